package eu.ess.justbinit.tools.kafka;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import picocli.CommandLine.Option;

/**
 * The brokers every tool talks to, as the original takes them ({@code -b HOST:PORT [HOST:PORT
 * ...]}, commas allowed too).
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

  /** kafka-clients properties: bootstrap servers (and security); a fresh mutable map. */
  public Map<String, Object> clientProperties() {
    Map<String, Object> properties = new HashMap<>();
    properties.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, String.join(",", brokers));
    return properties;
  }
}
