package eu.ess.justbinit.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import eu.ess.justbinit.testkit.EmbeddedKafka;
import eu.ess.justbinit.testkit.Eventually;
import eu.ess.justbinit.wire.codec.CodecException;
import eu.ess.justbinit.wire.codec.HistogramDecoder;
import eu.ess.justbinit.wire.codec.HistogramMessage;
import java.io.IOException;
import java.nio.ByteBuffer;
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
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteBufferDeserializer;

/** Reads a histogram output topic from its beginning, decoding every message. */
final class PublishedHistograms implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One published histogram: its info, its counts and their sum. */
  @SuppressWarnings("ArrayRecordComponent") // decoded here, never modified
  record Published(JsonNode info, long[] counts, long countsSum) {
    String state() {
      return info.path("state").asText();
    }
  }

  private final KafkaConsumer<ByteBuffer, ByteBuffer> consumer;
  private final HistogramDecoder decoder = new HistogramDecoder();
  private final List<Published> seen = new ArrayList<>();

  PublishedHistograms(EmbeddedKafka kafka, String topic) {
    Map<String, Object> settings = new HashMap<>(kafka.clientProperties());
    settings.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, EmbeddedKafka.MAX_MESSAGE_BYTES);
    consumer =
        new KafkaConsumer<>(settings, new ByteBufferDeserializer(), new ByteBufferDeserializer());
    TopicPartition partition = new TopicPartition(topic, 0);
    consumer.assign(List.of(partition));
    consumer.seekToBeginning(List.of(partition));
  }

  /** Waits for a published histogram that {@code wanted} accepts; fails after the timeout. */
  Published await(Predicate<Published> wanted, Duration timeout, String what) {
    return Eventually.get(
        () -> "published " + what + "; last: " + (seen.isEmpty() ? "none" : last().info()),
        timeout,
        () -> {
          readMore();
          return firstSeen(wanted);
        });
  }

  private Optional<Published> firstSeen(Predicate<Published> wanted) {
    return seen.stream().filter(wanted).findFirst();
  }

  private void readMore() {
    for (ConsumerRecord<ByteBuffer, ByteBuffer> record : consumer.poll(Duration.ofMillis(100))) {
      seen.add(decode(record.value()));
    }
  }

  /** Everything read so far. */
  List<Published> seen() {
    return List.copyOf(seen);
  }

  Published last() {
    return seen.get(seen.size() - 1);
  }

  private Published decode(ByteBuffer value) {
    HistogramMessage message;
    JsonNode info;
    try {
      message = decoder.decode(value);
      info = JSON.readTree(message.info());
    } catch (CodecException | IOException e) {
      throw new AssertionError("Not a histogram on the output topic", e);
    }
    long[] counts = message.data().integers();
    long sum = 0;
    for (long count : counts) {
      sum += count;
    }
    return new Published(info, counts, sum);
  }

  @Override
  public void close() {
    consumer.close();
  }
}
