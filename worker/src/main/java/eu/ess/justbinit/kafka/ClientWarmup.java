package eu.ess.justbinit.kafka;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.ByteBufferDeserializer;

/**
 * A spare worker's rehearsal of what opening its source and sink will ask of the Kafka clients:
 * metadata, partitions, start and end offsets, with our own settings against the output brokers. In
 * a fresh JVM that first time costs about 0.6 s of class loading and interpreted code; done ahead,
 * the worker that gets a histogram opens its consumer in tens of milliseconds. Nothing is read or
 * written.
 */
public final class ClientWarmup {
  private static final Logger LOG = Logger.getLogger(ClientWarmup.class.getName());
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private ClientWarmup() {}

  /** Rehearses against {@code kafka}'s brokers; failures are logged, never thrown. */
  public static void run(Map<String, String> kafka, String clientId) {
    try (KafkaConsumer<ByteBuffer, ByteBuffer> consumer =
            new KafkaConsumer<>(
                KafkaEventSource.consumerSettings(kafka, clientId),
                new ByteBufferDeserializer(),
                new ByteBufferDeserializer());
        KafkaProducer<byte[], byte[]> producer =
            new KafkaProducer<>(
                HistogramSink.producerSettings(
                    kafka, clientId, HistogramSink.largestMessageBytes(0, 0)),
                new ByteArraySerializer(),
                new ByteArraySerializer())) {
      Optional<String> topic =
          consumer.listTopics(TIMEOUT).keySet().stream().filter(t -> !t.startsWith("__")).findAny();
      if (topic.isEmpty()) {
        return;
      }
      List<PartitionInfo> partitions = producer.partitionsFor(topic.get());
      if (partitions.isEmpty()) {
        return;
      }
      List<TopicPartition> asked =
          List.of(new TopicPartition(topic.get(), partitions.get(0).partition()));
      consumer.assign(asked);
      var unusedTimes = consumer.offsetsForTimes(Map.of(asked.get(0), 0L), TIMEOUT);
      var unusedBeginnings = consumer.beginningOffsets(asked, TIMEOUT);
      var unusedEnds = consumer.endOffsets(asked, TIMEOUT);
      consumer.seekToEnd(asked);
      var unusedPosition = consumer.position(asked.get(0), TIMEOUT);
    } catch (KafkaException e) {
      LOG.log(Level.FINE, "The Kafka clients' warm-up failed; no harm done", e);
    }
  }
}
