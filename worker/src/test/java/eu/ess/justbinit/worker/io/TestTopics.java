package eu.ess.justbinit.worker.io;

import eu.ess.justbinit.testkit.EmbeddedKafka;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Topics of small one-byte messages for the tests of the worker's Kafka clients. */
public final class TestTopics {
  private TestTopics() {}

  /** A new topic of {@code partitions} partitions, with a unique name. */
  public static String topic(EmbeddedKafka kafka, int partitions) {
    String topic = "source-" + UUID.randomUUID().toString().substring(0, 8);
    kafka.createTopic(topic, partitions);
    return topic;
  }

  /** Sends {@code count} small messages, timestamped base, base + 1 s, ... (now when null). */
  public static void send(EmbeddedKafka kafka, String topic, int partition, Long base, int count)
      throws Exception {
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(
            kafka.clientProperties(), new ByteArraySerializer(), new ByteArraySerializer())) {
      for (int i = 0; i < count; i++) {
        Long timestamp = base == null ? null : base + i * 1000L;
        producer
            .send(new ProducerRecord<>(topic, partition, timestamp, null, new byte[] {1}))
            .get();
      }
    }
  }
}
