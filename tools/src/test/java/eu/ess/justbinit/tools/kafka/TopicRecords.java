package eu.ess.justbinit.tools.kafka;

import eu.ess.justbinit.testkit.EmbeddedKafka;
import eu.ess.justbinit.testkit.TopicReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Reads (with the testkit's {@link TopicReader}) and writes the records of a test topic. */
public final class TopicRecords {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private TopicRecords() {}

  /** Every record of the topic from its beginning, once at least {@code count} are there. */
  public static List<ConsumerRecord<byte[], byte[]>> read(
      EmbeddedKafka kafka, String topic, int count) {
    try (TopicReader reader = new TopicReader(kafka.clientProperties(), topic, TIMEOUT)) {
      return reader.awaitCount(count);
    }
  }

  /** Sends the values to the topic and waits until the broker has them. */
  public static void write(EmbeddedKafka kafka, String topic, byte[]... values) {
    Map<String, Object> properties = kafka.clientProperties();
    properties.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, EmbeddedKafka.MAX_MESSAGE_BYTES);
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(properties, new ByteArraySerializer(), new ByteArraySerializer())) {
      List<Future<RecordMetadata>> sent = new ArrayList<>();
      for (byte[] value : values) {
        sent.add(producer.send(new ProducerRecord<>(topic, value)));
      }
      for (Future<RecordMetadata> each : sent) {
        each.get();
      }
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot write to " + topic, e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while writing to " + topic, e);
    }
  }
}
