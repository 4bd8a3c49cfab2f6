package eu.ess.justbinit.tools.kafka;

import eu.ess.justbinit.common.security.KafkaSecurityException;
import eu.ess.justbinit.common.security.KafkaSecurityOptions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The brokers every tool talks to, as the original takes them ({@code -b HOST:PORT [HOST:PORT
 * ...]}, commas allowed too), with just-bin-it's Kafka security options.
 */
public final class BrokerOptions {
  @Option(
      names = {"-b", "--brokers"},
      required = true,
      arity = "1..*",
      split = ",",
      paramLabel = "HOST:PORT",
      description = "the Kafka brokers")
  private List<String> brokers;

  @Mixin private KafkaSecurityOptions security;

  /**
   * kafka-clients properties: bootstrap servers and security; a fresh mutable map.
   *
   * @throws IllegalArgumentException when the security options are refused, with the reason
   */
  public Map<String, Object> clientProperties() {
    Map<String, Object> properties = new HashMap<>();
    try {
      properties.putAll(security.kafkaProperties());
    } catch (KafkaSecurityException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    properties.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, String.join(",", brokers));
    return properties;
  }
}
