package eu.ess.justbinit.worker.io;

import eu.ess.justbinit.wire.rpc.PartitionOffset;
import eu.ess.justbinit.wire.rpc.PartitionProgress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.serialization.ByteBufferDeserializer;

/**
 * Every partition of every data topic, read by one consumer of our own: no group, no commits (the
 * checkpoints hold the positions). Values arrive as views into the fetched data, never copied:
 * {@link ByteBufferDeserializer}'s ByteBuffer overload, which the consumer calls, returns the view
 * it is given.
 *
 * <p>Threads (docs/architecture.md, "Threads"): one thread at a time, as its consumer demands, and
 * no lock. A thread of the common pool opens it and sets its positions while the first histogram
 * goes out; the future that carries it to the loop thread publishes it safely (the loop joins it),
 * and from then on the loop thread alone polls, reads positions and closes it (the opening thread
 * closes one the loop never took). The consumer's own network thread fetches ahead inside
 * kafka-clients.
 */
public final class KafkaEventSource implements RecordSource {
  /** The message the original publishes when the data from start on is gone. */
  public static final String START_TOO_OLD =
      "Cannot find start time in the data, either the supplied time is too old or there is no"
          + " data available";

  private static final Logger LOG = Logger.getLogger(KafkaEventSource.class.getName());
  private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(30);

  private final Consumer<ByteBuffer, ByteBuffer> consumer;
  private final List<TopicPartition> partitions;

  /** Per partition: no longer read (paused). */
  private final boolean[] stopped;

  /** Runs once the start offsets are known and before any is sought: a seam for tests. */
  private Runnable afterStartLookup = () -> {};

  /** Reads {@code partitions}, which {@code consumer} is assigned. */
  KafkaEventSource(Consumer<ByteBuffer, ByteBuffer> consumer, List<TopicPartition> partitions) {
    this.consumer = consumer;
    this.partitions = partitions;
    this.stopped = new boolean[partitions.size()];
  }

  /** Has {@code hook} run in {@link #seekToTime} between looking the offsets up and seeking. */
  void afterStartLookup(Runnable hook) {
    this.afterStartLookup = hook;
  }

  /**
   * Connects to the data brokers and takes every partition of {@code topics}; the positions are
   * still to be set with one of the seek methods.
   */
  public static KafkaEventSource open(
      List<String> topics, Map<String, String> dataKafka, String clientId) {
    KafkaConsumer<ByteBuffer, ByteBuffer> consumer =
        new KafkaConsumer<>(
            consumerSettings(dataKafka, clientId),
            new ByteBufferDeserializer(),
            new ByteBufferDeserializer());
    try {
      List<TopicPartition> partitions = new ArrayList<>();
      for (String topic : topics) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, METADATA_TIMEOUT);
        if (infos.isEmpty()) {
          LOG.warning(() -> "Data topic " + topic + " has no partitions (does it exist?)");
        }
        infos.stream()
            .map(info -> new TopicPartition(info.topic(), info.partition()))
            .sorted(Comparator.comparingInt(TopicPartition::partition))
            .forEach(partitions::add);
      }
      consumer.assign(partitions);
      return new KafkaEventSource(consumer, List.copyOf(partitions));
    } catch (RuntimeException e) {
      consumer.close(CloseOptions.timeout(Duration.ZERO));
      throw e;
    }
  }

  /**
   * The consumer settings: the controller's (brokers, security) plus ours, tuned for messages of
   * 100,000 events (400-800 KB) arriving in bulk while catching up.
   */
  public static Properties consumerSettings(Map<String, String> dataKafka, String clientId) {
    Properties settings = new Properties();
    settings.putAll(dataKafka);
    settings.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
    settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    // Only when a resumed position was deleted by retention (the histogram is then in ERROR, see
    // seekToCheckpoint): read what is left rather than fail.
    settings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    // The defaults (1 MB per partition) fetch one or two large messages per round trip. 8 MB
    // (10 messages of 100,000 events) read as fast as 16 or 64 MB did, with half the memory: each
    // fetch is a new heap buffer, and the JDK keeps a direct buffer of the same size to read the
    // socket into.
    settings.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(8 << 20));
    settings.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, Integer.toString(8 << 20));
    // As librdkafka by default, which the original reads with: the broker checked each batch's
    // CRC when it was produced, and TCP guards the trip; skipping a pass over every byte reads
    // some 10 % faster.
    settings.put(ConsumerConfig.CHECK_CRCS_CONFIG, "false");
    // Live data trickles in: gather up to 1 MB, but wait at most 100 ms (live latency).
    settings.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, Integer.toString(1 << 20));
    settings.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "100");
    // Hand over everything fetched in one poll, so the next fetch goes out for every partition
    // while this batch is binned.
    settings.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "100000");
    // -1: the kernel's TCP autotuning, which grows the window beyond any fixed size we could set
    // without raising net.core.rmem_max.
    settings.put(ConsumerConfig.RECEIVE_BUFFER_CONFIG, "-1");
    // The consumer of KIP-848 has a network thread of its own that fetches the next batches while
    // this thread decodes and bins; the classic one reads the socket only inside poll(). No group
    // is joined: the protocol only picks the implementation.
    settings.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer");
    // No JMX MBeans for the client's metrics, nor their push to the broker (KIP-714): nobody reads
    // them in a worker, and each new client registered hundreds. Without them a fresh worker peaked
    // 10-15 MB lower while catching up (docs/benchmarks-worker-memory.md).
    settings.put(ConsumerConfig.METRIC_REPORTER_CLASSES_CONFIG, "");
    settings.put(ConsumerConfig.ENABLE_METRICS_PUSH_CONFIG, "false");
    return settings;
  }

  /**
   * Live mode: every partition starts at its recorded offset; one not recorded starts at its
   * beginning (its oldest retained message).
   *
   * <p>The controller records the end of every partition there is when it accepts the config, so a
   * partition it did not record was created later: all of its messages were produced after the
   * config was accepted, and starting at its end as of now would skip those produced before the
   * worker got here.
   */
  public void seekToOffsets(List<PartitionOffset> offsets) {
    Map<TopicPartition, Long> recorded = new HashMap<>();
    for (PartitionOffset offset : offsets) {
      recorded.put(
          new TopicPartition(offset.getTopic(), offset.getPartition()), offset.getOffset());
    }
    List<TopicPartition> unrecorded = new ArrayList<>();
    for (TopicPartition partition : partitions) {
      Long offset = recorded.get(partition);
      if (offset == null) {
        unrecorded.add(partition);
      } else {
        consumer.seek(partition, offset);
      }
    }
    if (!unrecorded.isEmpty()) {
      Map<TopicPartition, Long> beginnings =
          consumer.beginningOffsets(unrecorded, METADATA_TIMEOUT);
      for (TopicPartition partition : unrecorded) {
        long beginning = beginnings.get(partition);
        consumer.seek(partition, beginning);
        LOG.fine(
            () -> partition + " was not recorded: starts at its beginning, offset " + beginning);
      }
      // The ends last: the lag (isCaughtUp) is computed from the last lookup until the first
      // fetch, and a partition's beginning would make it read as caught up.
      consumer.endOffsets(unrecorded, METADATA_TIMEOUT);
    }
  }

  /**
   * Positions every partition at its first message at or after {@code startMs}, or, when there is
   * none, at its end as it was before that was looked up.
   *
   * @return {@link #START_TOO_OLD} when a partition's messages from start on were deleted: its
   *     oldest retained message lies after start and the log no longer begins at offset 0
   */
  public Optional<String> seekToTime(long startMs) {
    // The ends before the start offsets: a message produced after a partition's start offset
    // proved to be "none" lies after the end looked up before, and is read; messages between that
    // end and start are skipped by the window.
    Map<TopicPartition, Long> endsBefore = consumer.endOffsets(partitions, METADATA_TIMEOUT);
    Map<TopicPartition, Long> query = new HashMap<>();
    for (TopicPartition partition : partitions) {
      query.put(partition, startMs);
    }
    Map<TopicPartition, OffsetAndTimestamp> found =
        consumer.offsetsForTimes(query, METADATA_TIMEOUT);
    afterStartLookup.run();
    // A partition's log start is needed only when its first message from start on is not at
    // offset 0 (never when catching up from before the first message): one round trip saved.
    List<TopicPartition> maybeTruncated = new ArrayList<>();
    for (TopicPartition partition : partitions) {
      OffsetAndTimestamp first = found.get(partition);
      if (first != null && first.offset() > 0 && first.timestamp() > startMs) {
        maybeTruncated.add(partition);
      }
    }
    Map<TopicPartition, Long> beginnings =
        maybeTruncated.isEmpty()
            ? Map.of()
            : consumer.beginningOffsets(maybeTruncated, METADATA_TIMEOUT);
    // The ends again, last, and of every partition: until its first fetch the consumer computes
    // a partition's lag (isCaughtUp) from the offset its last lookup returned. Asked before the
    // log starts, or not at all, a historic window read as caught up before its first fetch and
    // finished with nothing counted.
    consumer.endOffsets(partitions, METADATA_TIMEOUT);
    Optional<String> problem = Optional.empty();
    for (TopicPartition partition : partitions) {
      OffsetAndTimestamp first = found.get(partition);
      if (first == null) {
        consumer.seek(partition, endsBefore.get(partition));
        continue;
      }
      Long logStart = beginnings.get(partition);
      if (logStart != null && first.offset() == logStart) {
        LOG.warning(
            () ->
                partition
                    + ": the oldest retained message (offset "
                    + logStart
                    + ") is after start; older ones were deleted");
        problem = Optional.of(START_TOO_OLD);
      }
      consumer.seek(partition, first.offset());
    }
    return problem;
  }

  /**
   * Resumes at a checkpoint's positions; a partition it lacks starts as {@code otherwise} says.
   *
   * @param progress the checkpoint's partitions: those ended need no data from their position on
   * @return why the counts cannot be exact, when retention deleted messages from a position on: the
   *     partition then resumes at its oldest retained message
   */
  public Optional<String> seekToCheckpoint(
      List<PartitionOffset> next,
      List<PartitionOffset> otherwise,
      List<PartitionProgress> progress) {
    List<PartitionOffset> merged = new ArrayList<>(otherwise);
    merged.addAll(next);
    seekToOffsets(merged);
    Set<TopicPartition> ended = new HashSet<>();
    for (PartitionProgress partition : progress) {
      if (partition.getEnded()) {
        ended.add(new TopicPartition(partition.getTopic(), partition.getPartition()));
      }
    }
    Map<TopicPartition, Long> resumed = new HashMap<>();
    for (PartitionOffset offset : next) {
      TopicPartition partition = new TopicPartition(offset.getTopic(), offset.getPartition());
      if (partitions.contains(partition) && !ended.contains(partition)) {
        resumed.put(partition, offset.getOffset());
      }
    }
    if (resumed.isEmpty()) {
      return Optional.empty();
    }
    Map<TopicPartition, Long> beginnings;
    try {
      beginnings = consumer.beginningOffsets(resumed.keySet(), METADATA_TIMEOUT);
    } catch (KafkaException e) {
      // Brokers out of reach: resume unchecked rather than not at all, as before the check.
      LOG.log(Level.WARNING, "Cannot check that the checkpoint's data is still there", e);
      return Optional.empty();
    }
    for (Map.Entry<TopicPartition, Long> position : resumed.entrySet()) {
      long oldest = beginnings.getOrDefault(position.getKey(), 0L);
      if (position.getValue() < oldest) {
        String problem =
            "Cannot resume: the data from the checkpoint on was deleted (retention): "
                + position.getKey()
                + " resumes at offset "
                + position.getValue()
                + ", its oldest retained message is at "
                + oldest;
        LOG.warning(problem);
        return Optional.of(problem);
      }
    }
    return Optional.empty();
  }

  /**
   * Sends the first fetch from the positions just set, without waiting for it: the data is on its
   * way while the caller publishes its first histogram. On 2 cores the fetch goes out 5-15 ms
   * sooner (a catch-up's first fetch takes 20-40 ms), and catching up A or B ends 10-30 ms sooner.
   * Should the fetch be back at once, the positions go back to its first records, which the next
   * {@link #poll} then returns.
   */
  public void startFetching() {
    ConsumerRecords<ByteBuffer, ByteBuffer> early = poll(Duration.ZERO);
    for (TopicPartition partition : early.partitions()) {
      consumer.seek(partition, early.records(partition).get(0).offset());
    }
  }

  @Override
  public ConsumerRecords<ByteBuffer, ByteBuffer> poll(Duration timeout) {
    try {
      return consumer.poll(timeout);
    } catch (AuthenticationException | AuthorizationException e) {
      throw e;
    } catch (KafkaException e) {
      // The consumer reconnects by itself; what reaches us here is worth a line, not a crash.
      LOG.log(Level.WARNING, "Reading the data topics failed, retrying", e);
      return ConsumerRecords.empty();
    }
  }

  @Override
  public List<TopicPartition> partitions() {
    return partitions;
  }

  @Override
  public boolean isCaughtUp() {
    for (int partition = 0; partition < partitions.size(); partition++) {
      if (!stopped[partition] && !isCaughtUp(partition)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public boolean isCaughtUp(int partition) {
    OptionalLong lag = consumer.currentLag(partitions.get(partition));
    return lag.isPresent() && lag.getAsLong() <= 0;
  }

  /** Pauses the partition: the consumer fetches it no more, and poll returns none of its data. */
  @Override
  public void stopReading(int partition) {
    if (!stopped[partition]) {
      stopped[partition] = true;
      consumer.pause(List.of(partitions.get(partition)));
    }
  }

  @Override
  public List<PartitionOffset> nextOffsets() {
    List<PartitionOffset> offsets = new ArrayList<>(partitions.size());
    for (TopicPartition partition : partitions) {
      offsets.add(
          PartitionOffset.newBuilder()
              .setTopic(partition.topic())
              .setPartition(partition.partition())
              .setOffset(consumer.position(partition, METADATA_TIMEOUT))
              .build());
    }
    return offsets;
  }

  @Override
  public void close() {
    consumer.close(CloseOptions.timeout(Duration.ofSeconds(1)));
  }
}
