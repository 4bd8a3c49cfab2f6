package eu.ess.justbinit.bench;

import eu.ess.justbinit.worker.io.KafkaEventSource;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The read ceiling, in a JVM of its own (fresh, as a worker's): reads a topic from its start to its
 * end without decoding, {@code passes} times, and prints one line per pass: {@code pass=N seconds=S
 * messages=M bytes=B}. Each pass has a consumer of its own, connected before the clock starts, as
 * scripts/librdkafka-read's: one consumer sent back to the start would first wait out its fetch
 * parked at the end (fetch.max.wait.ms, 500 ms by default).
 *
 * <p>Usage: {@code ReadCeiling BROKERS TOPIC MESSAGES PASSES default|worker [KEY=VALUE...]};
 * "default" is a kafka-clients consumer with its default settings and byte[] values, "worker" is
 * the worker's own {@link KafkaEventSource} (its fetch settings, ByteBuffer views), with the given
 * consumer settings on top as the controller's Kafka settings would be.
 */
public final class ReadCeiling {
  private static final Duration POLL = Duration.ofMillis(100);

  private ReadCeiling() {}

  public static void main(String[] args) {
    String brokers = args[0];
    String topic = args[1];
    long messages = Long.parseLong(args[2]);
    int passes = Integer.parseInt(args[3]);
    if (args[4].equals("worker")) {
      Map<String, String> kafka = new HashMap<>();
      kafka.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
      for (int i = 5; i < args.length; i++) {
        int equals = args[i].indexOf('=');
        kafka.put(args[i].substring(0, equals), args[i].substring(equals + 1));
      }
      readWithWorkerSource(kafka, topic, messages, passes);
    } else {
      readWithDefaults(brokers, topic, messages, passes);
    }
  }

  private static void readWithWorkerSource(
      Map<String, String> kafka, String topic, long messages, int passes) {
    for (int pass = 1; pass <= passes; pass++) {
      try (KafkaEventSource source = KafkaEventSource.open(List.of(topic), kafka, "ceiling")) {
        // Looks the start up as a catch-up does, which connects to the partition's leader.
        source.seekToTime(0);
        long begin = System.nanoTime();
        long read = 0;
        long bytes = 0;
        while (read < messages) {
          for (ConsumerRecord<ByteBuffer, ByteBuffer> record : source.poll(POLL)) {
            read++;
            bytes += record.value().remaining();
          }
        }
        print(pass, begin, read, bytes);
      }
    }
  }

  private static void readWithDefaults(String brokers, String topic, long messages, int passes) {
    TopicPartition partition = new TopicPartition(topic, 0);
    for (int pass = 1; pass <= passes; pass++) {
      try (KafkaConsumer<byte[], byte[]> consumer =
          new KafkaConsumer<>(
              Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers),
              new ByteArrayDeserializer(),
              new ByteArrayDeserializer())) {
        consumer.assign(List.of(partition));
        consumer.seek(partition, consumer.beginningOffsets(List.of(partition)).get(partition));
        long begin = System.nanoTime();
        long read = 0;
        long bytes = 0;
        while (read < messages) {
          for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
            read++;
            bytes += record.value().length;
          }
        }
        print(pass, begin, read, bytes);
      }
    }
  }

  private static void print(int pass, long beginNs, long messages, long bytes) {
    System.out.printf(
        "pass=%d seconds=%.6f messages=%d bytes=%d%n",
        pass, (System.nanoTime() - beginNs) / 1e9, messages, bytes);
    System.out.flush();
  }
}
