package eu.ess.justbinit.controller.status;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The project's version and the commit it was built from, written into a resource by the build; for
 * the CLI and the service. Any thread may call it.
 */
public final class SoftwareVersion {
  private static final String UNKNOWN = "unknown";

  private SoftwareVersion() {}

  /** The version, e.g. {@code 0.1.0-SNAPSHOT} (the heartbeat's software_version). */
  public static String version() {
    return property("version");
  }

  /** The abbreviated commit the build was made from; {@code unknown} for a build outside git. */
  public static String commit() {
    return property("commit");
  }

  private static String property(String name) {
    return known(properties().getProperty(name));
  }

  /** A value the build did not fill in (no such property at build time) counts as unknown. */
  static String known(String value) {
    return value == null || value.isBlank() || value.contains("${") ? UNKNOWN : value;
  }

  private static Properties properties() {
    Properties properties = new Properties();
    try (InputStream in = SoftwareVersion.class.getResourceAsStream("version.properties")) {
      if (in != null) {
        properties.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return properties;
  }
}
