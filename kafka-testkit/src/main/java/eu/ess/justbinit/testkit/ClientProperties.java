package eu.ess.justbinit.testkit;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;

/**
 * The properties a Kafka client needs for each listener of an embedded broker. Stateless: any
 * thread may call it; every method returns a fresh mutable map.
 */
final class ClientProperties {
  private ClientProperties() {}

  /** For the PLAINTEXT listener. */
  static Map<String, Object> plaintext(String bootstrapServers) {
    Map<String, Object> properties = new HashMap<>();
    properties.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    return properties;
  }

  /** For an admin client on the PLAINTEXT listener, with short timeouts so a dead broker fails. */
  static Map<String, Object> admin(String bootstrapServers) {
    Map<String, Object> properties = plaintext(bootstrapServers);
    properties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
    properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
    properties.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 200);
    return properties;
  }

  /** For the SASL_PLAINTEXT listener, authenticating with SCRAM as the given user. */
  static Map<String, Object> saslPlaintext(
      String bootstrapServers, String username, String password) {
    return scram(bootstrapServers, "SASL_PLAINTEXT", username, password);
  }

  /** For the SASL_SSL listener, authenticating with SCRAM and trusting the PEM {@code caFile}. */
  static Map<String, Object> saslSsl(
      String bootstrapServers, String username, String password, Path caFile) {
    Map<String, Object> properties = scram(bootstrapServers, "SASL_SSL", username, password);
    properties.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PEM");
    properties.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, caFile.toString());
    return properties;
  }

  private static Map<String, Object> scram(
      String bootstrapServers, String protocol, String username, String password) {
    Map<String, Object> properties = plaintext(bootstrapServers);
    properties.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, protocol);
    properties.put(SaslConfigs.SASL_MECHANISM, BrokerConfig.SCRAM_MECHANISM);
    properties.put(
        SaslConfigs.SASL_JAAS_CONFIG,
        String.format(
            "org.apache.kafka.common.security.scram.ScramLoginModule required"
                + " username=\"%s\" password=\"%s\";",
            jaasEscape(username), jaasEscape(password)));
    return properties;
  }

  private static String jaasEscape(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"");
  }
}
