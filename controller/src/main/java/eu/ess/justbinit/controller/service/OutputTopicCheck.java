package eu.ess.justbinit.controller.service;

import eu.ess.justbinit.wire.rpc.HistogramSpec;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Logger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Checks, before a config is acknowledged, that every histogram's message fits what its output
 * topic accepts: the topic's max.message.bytes, asked of the output brokers, or the brokers'
 * message.max.bytes for a topic that does not exist yet. Uncompressed, a histogram's message has a
 * size known from its shape alone; compressed, its size depends on its counts, so the check is left
 * to the broker at each publish (a refused publish is reported in the histogram's info). Called by
 * the controller's command thread only.
 */
final class OutputTopicCheck {
  private static final Logger LOG = Logger.getLogger(OutputTopicCheck.class.getName());

  /** NICOS gives up after 5 s without an answer; the data topics are checked in that time too. */
  private static final Duration TIMEOUT = Duration.ofSeconds(1);

  /** The FlatBuffers tables, source, info JSON and Kafka's record batch around the arrays. */
  static final long OVERHEAD_BYTES = 4096;

  private final List<String> brokers;
  private final Map<String, String> kafkaSecurity;
  private final String compression;

  OutputTopicCheck(List<String> brokers, Map<String, String> kafkaSecurity, String compression) {
    this.brokers = List.copyOf(brokers);
    this.kafkaSecurity = kafkaSecurity;
    this.compression = compression;
  }

  /** Why a histogram of {@code specs} cannot be published to its topic, or empty. */
  Optional<String> check(List<HistogramSpec> specs) {
    if (!compression.equals("none")) {
      return Optional.empty();
    }
    Set<String> topics = new LinkedHashSet<>();
    specs.forEach(spec -> topics.add(spec.getOutputTopic()));
    Map<String, Long> limits;
    try (Admin admin = Admin.create(adminProperties())) {
      limits = limits(admin, topics);
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      // The workers will find out at their first publish and say so in their info.
      LOG.warning("Cannot ask the output brokers what the output topics accept, not checked: " + e);
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
    for (HistogramSpec spec : specs) {
      long bytes = messageBytes(spec);
      Long limit = limits.get(spec.getOutputTopic());
      if (limit != null && bytes > limit) {
        return Optional.of(
            "histograms["
                + spec.getIndex()
                + "] ('"
                + spec.getId()
                + "'): its messages are "
                + bytes
                + " bytes, more than the "
                + limit
                + " bytes output topic '"
                + spec.getOutputTopic()
                + "' accepts (max.message.bytes)");
      }
    }
    return Optional.empty();
  }

  /** The largest message each topic accepts, in bytes. */
  private Map<String, Long> limits(Admin admin, Collection<String> topics)
      throws ExecutionException, TimeoutException, InterruptedException {
    Map<String, KafkaFuture<TopicDescription>> descriptions =
        admin.describeTopics(topics).topicNameValues();
    Map<String, Long> limits = new HashMap<>();
    Long brokerLimit = null;
    for (String topic : topics) {
      try {
        await(descriptions.get(topic));
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
          throw e;
        }
        // Created at the first publish, with the brokers' default.
        if (brokerLimit == null) {
          brokerLimit = brokerLimit(admin);
        }
        limits.put(topic, brokerLimit);
        continue;
      }
      ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
      Config config = await(admin.describeConfigs(List.of(resource)).all()).get(resource);
      limits.put(topic, Long.parseLong(config.get("max.message.bytes").value()));
    }
    return limits;
  }

  private long brokerLimit(Admin admin)
      throws ExecutionException, TimeoutException, InterruptedException {
    Node node = await(admin.describeCluster().nodes()).iterator().next();
    ConfigResource resource =
        new ConfigResource(ConfigResource.Type.BROKER, Integer.toString(node.id()));
    ConfigEntry entry =
        await(admin.describeConfigs(List.of(resource)).all())
            .get(resource)
            .get("message.max.bytes");
    return Long.parseLong(entry.value());
  }

  /**
   * The bytes of one uncompressed hs00/hs01 message of {@code spec}: 8 for each count (int64) and
   * each bin edge (double), and {@link #OVERHEAD_BYTES}.
   */
  static long messageBytes(HistogramSpec spec) {
    long[] axes =
        switch (spec.getType()) {
          case HIST1D -> new long[] {spec.getTofBins()};
          case HIST2D -> new long[] {spec.getTofBins(), spec.getDetBins()};
          case DETHIST -> new long[] {spec.getWidth(), spec.getHeight()};
          case ROIHIST -> new long[] {spec.getLeftEdgesCount(), spec.getWidth()};
          default -> new long[] {0};
        };
    long bins = 1;
    long edges = 0;
    for (long axis : axes) {
      bins *= axis;
      edges += axis + 1;
    }
    return 8 * (bins + edges) + OVERHEAD_BYTES;
  }

  private static <T> T await(KafkaFuture<T> future)
      throws ExecutionException, TimeoutException, InterruptedException {
    return future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
  }

  private Map<String, Object> adminProperties() {
    Map<String, Object> properties = new HashMap<>(kafkaSecurity);
    properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, String.join(",", brokers));
    properties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
    properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
    return properties;
  }
}
