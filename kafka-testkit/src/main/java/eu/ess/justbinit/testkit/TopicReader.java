package eu.ess.justbinit.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads every partition of a test topic from its beginning and keeps every record read so far, in
 * order per partition: the one topic reader of the tests. One thread at a time may call it (the
 * Kafka consumer it owns is not thread-safe).
 */
public final class TopicReader implements AutoCloseable {
  private static final Duration POLL = Duration.ofMillis(100);

  private final String topic;
  private final Duration patience;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();

  /**
   * Starts reading {@code topic} with a consumer made from {@code clientProperties}; {@code
   * patience} is how long {@link #await(String, Predicate)} waits.
   */
  public TopicReader(Map<String, Object> clientProperties, String topic, Duration patience) {
    this.topic = topic;
    this.patience = patience;
    Map<String, Object> settings = new HashMap<>(clientProperties);
    settings.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, EmbeddedKafka.MAX_MESSAGE_BYTES);
    settings.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 64 * 1024 * 1024);
    consumer =
        new KafkaConsumer<>(settings, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    List<TopicPartition> partitions =
        consumer.partitionsFor(topic).stream()
            .map(info -> new TopicPartition(topic, info.partition()))
            .toList();
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
  }

  /** Reads what has arrived since the last call and returns every record read so far. */
  public List<ConsumerRecord<byte[], byte[]>> poll() {
    try {
      consumer.poll(POLL).forEach(records::add);
    } catch (RetriableException e) {
      // A topic created a moment ago may not be served yet: poll again.
    } catch (KafkaException e) {
      throw new AssertionError("Cannot read " + topic, e);
    }
    return List.copyOf(records);
  }

  /** Polls until a record satisfies {@code test}; returns the first such. */
  public ConsumerRecord<byte[], byte[]> await(
      String what, Predicate<ConsumerRecord<byte[], byte[]>> test) {
    return Eventually.get(what, patience, () -> poll().stream().filter(test).findFirst());
  }

  /** Polls until at least {@code count} records have been read; returns them all. */
  public List<ConsumerRecord<byte[], byte[]>> awaitCount(int count) {
    return Eventually.get(
        () -> count + " records on " + topic + "; read " + records.size(),
        patience,
        () -> {
          List<ConsumerRecord<byte[], byte[]>> all = poll();
          return all.size() >= count ? Optional.of(all) : Optional.empty();
        });
  }

  /** The topic read. */
  public String topic() {
    return topic;
  }

  @Override
  public void close() {
    consumer.close();
  }
}
