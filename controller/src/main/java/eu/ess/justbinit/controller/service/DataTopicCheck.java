package eu.ess.justbinit.controller.service;

import eu.ess.justbinit.wire.rpc.HistogramSpec;
import eu.ess.justbinit.wire.rpc.PartitionOffset;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Checks, before a config is acknowledged, that each histogram's data brokers answer and its data
 * topics exist, and fixes where live histograms (no start) begin reading: the end offset of every
 * partition now, so that no event produced after the ACK is missed. Called by the controller's
 * command thread only.
 */
final class DataTopicCheck {
  /** NICOS gives up after 5 s without an answer: each broker list gets less than that. */
  private static final Duration TIMEOUT = Duration.ofSeconds(3);

  private final Map<String, String> kafkaSecurity;

  DataTopicCheck(Map<String, String> kafkaSecurity) {
    this.kafkaSecurity = kafkaSecurity;
  }

  /** The specs, ready to run, or why the config is refused. */
  sealed interface Outcome {}

  record Ready(List<HistogramSpec> specs) implements Outcome {}

  record Refused(String reason) implements Outcome {}

  Outcome check(List<HistogramSpec> specs) {
    Map<List<String>, List<HistogramSpec>> byBrokers = new LinkedHashMap<>();
    for (HistogramSpec spec : specs) {
      byBrokers.computeIfAbsent(spec.getDataBrokersList(), brokers -> new ArrayList<>()).add(spec);
    }
    // Keyed by brokers and topic: two broker lists may have topics of the same name.
    Map<String, Map<Integer, Long>> endOffsets = new HashMap<>();
    for (Map.Entry<List<String>, List<HistogramSpec>> group : byBrokers.entrySet()) {
      try {
        inspect(group.getKey(), group.getValue(), endOffsets);
      } catch (RefusedException e) {
        return new Refused(e.getMessage());
      }
    }
    List<HistogramSpec> ready = new ArrayList<>();
    for (HistogramSpec spec : specs) {
      if (spec.hasStartMs()) {
        ready.add(spec);
        continue;
      }
      HistogramSpec.Builder live = spec.toBuilder().clearStartOffsets();
      for (String topic : spec.getDataTopicsList()) {
        endOffsets
            .get(key(spec.getDataBrokersList(), topic))
            .forEach(
                (partition, offset) ->
                    live.addStartOffsets(
                        PartitionOffset.newBuilder()
                            .setTopic(topic)
                            .setPartition(partition)
                            .setOffset(offset)));
      }
      ready.add(live.build());
    }
    return new Ready(ready);
  }

  private void inspect(
      List<String> brokers, List<HistogramSpec> specs, Map<String, Map<Integer, Long>> endOffsets)
      throws RefusedException {
    Set<String> topics = new LinkedHashSet<>();
    specs.forEach(spec -> topics.addAll(spec.getDataTopicsList()));
    boolean anyLive = specs.stream().anyMatch(spec -> !spec.hasStartMs());
    String brokerList = String.join(",", brokers);
    try (Admin admin = Admin.create(adminProperties(brokerList))) {
      Map<String, KafkaFuture<TopicDescription>> descriptions =
          admin.describeTopics(topics).topicNameValues();
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      for (String topic : topics) {
        TopicDescription description = await(descriptions.get(topic), brokerList, topic);
        List<TopicPartition> topicPartitions =
            description.partitions().stream()
                .map(info -> new TopicPartition(topic, info.partition()))
                .toList();
        topicPartitions.forEach(partition -> latest.put(partition, OffsetSpec.latest()));
      }
      if (anyLive) {
        Map<TopicPartition, ListOffsetsResultInfo> offsets =
            await(admin.listOffsets(latest).all(), brokerList, null);
        offsets.forEach(
            (partition, info) ->
                endOffsets
                    .computeIfAbsent(key(brokers, partition.topic()), topic -> new TreeMap<>())
                    .put(partition.partition(), info.offset()));
      }
    }
  }

  private static <T> T await(KafkaFuture<T> future, String brokers, String topic)
      throws RefusedException {
    try {
      return future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UnknownTopicOrPartitionException && topic != null) {
        throw new RefusedException(
            "Data topic '" + topic + "' does not exist on data brokers " + brokers);
      }
      throw new RefusedException(
          "Data brokers "
              + brokers
              + " cannot be asked about "
              + (topic == null ? "their topics" : "data topic '" + topic + "'")
              + ": "
              + e.getCause().getMessage());
    } catch (TimeoutException e) {
      throw new RefusedException(
          "Data brokers " + brokers + " did not answer within " + TIMEOUT.toSeconds() + " s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RefusedException("Interrupted while checking the data brokers " + brokers);
    }
  }

  private Map<String, Object> adminProperties(String brokers) {
    Map<String, Object> properties = new HashMap<>(kafkaSecurity);
    properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
    properties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
    properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
    return properties;
  }

  private static String key(List<String> brokers, String topic) {
    return String.join(",", brokers) + "/" + topic;
  }

  /** Why a config cannot run. */
  private static final class RefusedException extends Exception {
    RefusedException(String message) {
      super(message);
    }
  }
}
