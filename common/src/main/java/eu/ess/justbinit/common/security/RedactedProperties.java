package eu.ess.justbinit.common.security;

import java.util.AbstractMap;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * kafka-clients properties that may hold a secret: reads like any map, but its toString hides the
 * values of secret keys, so that logging the settings that hold it cannot leak a password.
 */
public final class RedactedProperties extends AbstractMap<String, String> {
  private final Map<String, String> properties;

  public RedactedProperties(Map<String, String> properties) {
    this.properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
  }

  static boolean isSecret(String key) {
    return key.endsWith(".jaas.config") || key.contains("password") || key.endsWith(".key");
  }

  @Override
  public Set<Entry<String, String>> entrySet() {
    return properties.entrySet();
  }

  @Override
  public String toString() {
    return properties.entrySet().stream()
        .map(e -> e.getKey() + "=" + (isSecret(e.getKey()) ? "(hidden)" : e.getValue()))
        .collect(Collectors.joining(", ", "{", "}"));
  }
}
