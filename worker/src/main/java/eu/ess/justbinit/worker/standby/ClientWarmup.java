package eu.ess.justbinit.worker.standby;

import eu.ess.justbinit.worker.io.HistogramSink;
import eu.ess.justbinit.worker.io.KafkaEventSource;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.ByteBufferDeserializer;

/**
 * A spare worker's rehearsal of what opening its source and sink and catching up will ask of the
 * Kafka clients: metadata, partitions, start and end offsets, and a fetch, with our own settings
 * against the output brokers. In a fresh JVM that first time costs about 0.6 s of class loading and
 * interpreted code to open, and the first fetches 0.2 s more (a 160 MB backlog read in 0.51 s
 * instead of 0.33 once a fetch of any size was rehearsed); done ahead, the worker that gets a
 * histogram opens its consumer in tens of milliseconds and reads at full speed at once. Nothing is
 * written; of the rehearsal topic, the last {@value #TAIL_MESSAGES} messages at most are read, up
 * to {@value #TAIL_PASSES} times over.
 */
public final class ClientWarmup {
  private static final Logger LOG = Logger.getLogger(ClientWarmup.class.getName());
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final int TAIL_MESSAGES = 100;

  /**
   * Passes over the tail, at most. Read once, the fetch path's methods (the consumer's network
   * loop, NIO, record parsing) stayed under C1's 200 calls, and C1 compiled some 480 of them on the
   * catching-up worker's time: 0.11-0.13 s of its CPU, a quarter, on 2 cores. Read a hundred times
   * and more, 0.04-0.07 s, and catching up ran 30-40 % faster (docs/benchmarks-worker-memory.md).
   */
  static final int TAIL_PASSES = 300;

  /**
   * How long the passes after the first may take: 300 took 2 s on 2 cores, a delay for a histogram
   * that takes a spare still rehearsing.
   */
  private static final Duration REPEAT_BUDGET = Duration.ofSeconds(1);

  private static final Duration POLL = Duration.ofMillis(100);

  private ClientWarmup() {}

  /**
   * Rehearses against {@code kafka}'s brokers, reading the end of {@code rehearsalTopic} (any
   * topic's offsets when it is empty or missing); failures are logged, never thrown.
   *
   * @return how many messages were read, over every pass
   */
  public static int run(Map<String, String> kafka, String clientId, String rehearsalTopic) {
    return run(kafka, clientId, rehearsalTopic, () -> false);
  }

  /**
   * As {@link #run(Map, String, String)}, without the passes after the first once {@code enough}
   * says so (a histogram waits for this spare).
   */
  public static int run(
      Map<String, String> kafka, String clientId, String rehearsalTopic, BooleanSupplier enough) {
    Properties consumerSettings = KafkaEventSource.consumerSettings(kafka, clientId);
    // Not the worker's wait for 1 MB or 100 ms: each pass would wait that long, for its first
    // fetch or for the one the consumer sent ahead at the tail's end, which a seek cannot recall.
    consumerSettings.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, "1");
    consumerSettings.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "0");
    try (KafkaConsumer<ByteBuffer, ByteBuffer> consumer =
            new KafkaConsumer<>(
                consumerSettings, new ByteBufferDeserializer(), new ByteBufferDeserializer());
        KafkaProducer<byte[], byte[]> producer =
            new KafkaProducer<>(
                HistogramSink.producerSettings(
                    kafka, clientId, HistogramSink.largestMessageBytes(0, 0)),
                new ByteArraySerializer(),
                new ByteArraySerializer())) {
      Map<String, List<PartitionInfo>> topics = consumer.listTopics(TIMEOUT);
      Optional<String> topic =
          topics.containsKey(rehearsalTopic)
              ? Optional.of(rehearsalTopic)
              : topics.keySet().stream().filter(t -> !t.startsWith("__")).findAny();
      if (topic.isEmpty()) {
        return 0;
      }
      List<PartitionInfo> partitions = producer.partitionsFor(topic.get());
      if (partitions.isEmpty()) {
        return 0;
      }
      TopicPartition partition = new TopicPartition(topic.get(), partitions.get(0).partition());
      List<TopicPartition> asked = List.of(partition);
      consumer.assign(asked);
      var unusedTimes = consumer.offsetsForTimes(Map.of(partition, 0L), TIMEOUT);
      long beginning = consumer.beginningOffsets(asked, TIMEOUT).get(partition);
      long end = consumer.endOffsets(asked, TIMEOUT).get(partition);
      consumer.seekToEnd(asked);
      var unusedPosition = consumer.position(partition, TIMEOUT);
      return topic.get().equals(rehearsalTopic)
          ? readTail(consumer, partition, Math.max(beginning, end - TAIL_MESSAGES), end, enough)
          : 0;
    } catch (KafkaException e) {
      LOG.log(Level.FINE, "The Kafka clients' warm-up failed; no harm done", e);
      return 0;
    }
  }

  /**
   * Reads {@code partition} from {@code from} to {@code end} once, or for as long as TIMEOUT; then
   * again, up to TAIL_PASSES times in all, for as long as REPEAT_BUDGET and until {@code enough}:
   * how many messages in all.
   */
  static int readTail(
      KafkaConsumer<ByteBuffer, ByteBuffer> consumer,
      TopicPartition partition,
      long from,
      long end,
      BooleanSupplier enough) {
    int read = readOnce(consumer, partition, from, end, System.nanoTime() + TIMEOUT.toNanos());
    long deadline = System.nanoTime() + REPEAT_BUDGET.toNanos();
    for (int pass = 1;
        pass < TAIL_PASSES && System.nanoTime() < deadline && !enough.getAsBoolean();
        pass++) {
      read += readOnce(consumer, partition, from, end, deadline);
    }
    return read;
  }

  private static int readOnce(
      KafkaConsumer<ByteBuffer, ByteBuffer> consumer,
      TopicPartition partition,
      long from,
      long end,
      long deadlineNanos) {
    consumer.seek(partition, from);
    int read = 0;
    while (consumer.position(partition, TIMEOUT) < end && System.nanoTime() < deadlineNanos) {
      read += consumer.poll(POLL).count();
    }
    return read;
  }
}
