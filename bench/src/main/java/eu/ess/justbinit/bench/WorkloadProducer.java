package eu.ess.justbinit.bench;

import eu.ess.justbinit.testkit.EmbeddedKafka;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Fills a workload's topic once (a kept broker directory keeps it for the next run). */
final class WorkloadProducer {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private WorkloadProducer() {}

  /** A producer for bulk: large batches, no compression, waits for the leader only. */
  static KafkaProducer<byte[], byte[]> bulkProducer(EmbeddedKafka kafka) {
    Map<String, Object> settings = kafka.clientProperties();
    settings.put(ProducerConfig.ACKS_CONFIG, "1");
    settings.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    settings.put(ProducerConfig.BATCH_SIZE_CONFIG, 1 << 20);
    settings.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 256L << 20);
    settings.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, EmbeddedKafka.MAX_MESSAGE_BYTES);
    settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
    return new KafkaProducer<>(settings, new ByteArraySerializer(), new ByteArraySerializer());
  }

  /**
   * Makes sure the workload's topic holds exactly its messages; produces them when it does not.
   *
   * @return the bytes of the topic's values, and whether they were produced now
   */
  static Produced ensure(EmbeddedKafka kafka, Workload workload, EventData events) {
    String topic = workload.topic();
    if (kafka.topics().contains(topic)) {
      long stored = endOffset(kafka, topic);
      if (stored == workload.messages()) {
        return new Produced(workload.messages() * messageBytes(events), Duration.ZERO);
      }
      kafka.deleteTopic(topic);
      awaitDeleted(kafka, topic);
    }
    kafka.createTopic(topic, 1);
    long begin = System.nanoTime();
    AtomicReference<Exception> failure = new AtomicReference<>();
    long bytes = 0;
    Future<RecordMetadata> last = null;
    try (KafkaProducer<byte[], byte[]> producer = bulkProducer(kafka)) {
      for (int i = 0; i < workload.messages(); i++) {
        byte[] value = events.message(i);
        bytes += value.length;
        last =
            producer.send(
                new ProducerRecord<>(topic, 0, null, value),
                (metadata, e) -> {
                  if (e != null) {
                    failure.compareAndSet(null, e);
                  }
                });
      }
      producer.flush();
      if (last != null) {
        last.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while producing " + topic, e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot produce " + topic, e);
    }
    if (failure.get() != null) {
      throw new IllegalStateException("cannot produce " + topic, failure.get());
    }
    return new Produced(bytes, Duration.ofNanos(System.nanoTime() - begin));
  }

  /** All messages of a workload have the same size: the same vectors, the same fields. */
  private static long messageBytes(EventData events) {
    return events.message(0).length;
  }

  static long endOffset(EmbeddedKafka kafka, String topic) {
    TopicPartition partition = new TopicPartition(topic, 0);
    Map<String, Object> settings = kafka.clientProperties();
    settings.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(settings, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      return consumer.endOffsets(List.of(partition)).get(partition)
          - consumer.beginningOffsets(List.of(partition)).get(partition);
    }
  }

  private static void awaitDeleted(EmbeddedKafka kafka, String topic) {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (kafka.topics().contains(topic)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("topic " + topic + " was not deleted in " + TIMEOUT);
      }
      Thread.onSpinWait();
    }
  }

  /**
   * @param bytes the size of all values together
   * @param took how long producing took; zero when the topic was there already
   */
  record Produced(long bytes, Duration took) {}
}
