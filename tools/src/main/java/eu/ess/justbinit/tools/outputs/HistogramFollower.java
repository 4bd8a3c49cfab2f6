package eu.ess.justbinit.tools.outputs;

import eu.ess.justbinit.wire.codec.CodecException;
import eu.ess.justbinit.wire.codec.HistogramDecoder;
import eu.ess.justbinit.wire.codec.HistogramMessage;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Follows a histogram topic: every partition, from its last message on (as the original's viewers
 * do) or from its beginning, until {@link #close()} from another thread.
 */
public final class HistogramFollower implements AutoCloseable {
  /** Receives each message of the topic, decoded or not. */
  public interface Listener {
    void histogram(ConsumerRecord<byte[], byte[]> record, HistogramMessage message);

    /** A message that is no histogram (or a damaged one). */
    void undecodable(ConsumerRecord<byte[], byte[]> record, CodecException error);
  }

  private static final int MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final String topic;
  private final HistogramDecoder decoder = new HistogramDecoder();

  /**
   * Positions a consumer on every partition of the topic.
   *
   * @param properties kafka-clients properties (brokers, security)
   * @param fromBeginning every retained message, not only the last of each partition on
   */
  public HistogramFollower(Map<String, Object> properties, String topic, boolean fromBeginning) {
    this.topic = topic;
    Map<String, Object> consumerProperties = new HashMap<>(properties);
    // Histograms of millions of bins are far larger than the consumer's default fetch size.
    consumerProperties.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, MAX_MESSAGE_BYTES);
    consumerProperties.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, MAX_MESSAGE_BYTES);
    consumerProperties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    this.consumer =
        new KafkaConsumer<>(
            consumerProperties, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    List<TopicPartition> partitions =
        consumer.partitionsFor(topic).stream()
            .map(info -> new TopicPartition(topic, info.partition()))
            .collect(Collectors.toList());
    if (partitions.isEmpty()) {
      consumer.close();
      throw new IllegalArgumentException("topic " + topic + " does not exist");
    }
    consumer.assign(partitions);
    if (fromBeginning) {
      consumer.seekToBeginning(partitions);
    } else {
      Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions);
      consumer
          .endOffsets(partitions)
          .forEach(
              (partition, end) ->
                  consumer.seek(partition, Math.max(begin.get(partition), end - 1)));
    }
  }

  /** Calls the listener for each message until {@link #close()}; then closes the consumer. */
  public void run(Listener listener) {
    try {
      while (true) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          HistogramMessage message;
          try {
            message = decoder.decode(ByteBuffer.wrap(record.value()));
          } catch (CodecException e) {
            listener.undecodable(record, e);
            continue;
          }
          listener.histogram(record, message);
        }
      }
    } catch (WakeupException e) {
      // close() asked us to stop.
    } finally {
      consumer.close();
    }
  }

  public String topic() {
    return topic;
  }

  /** Makes {@link #run} return; safe from any thread. */
  @Override
  public void close() {
    consumer.wakeup();
  }
}
