package eu.ess.justbinit.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import eu.ess.justbinit.wire.codec.CodecException;
import eu.ess.justbinit.wire.codec.HistogramDecoder;
import eu.ess.justbinit.wire.codec.HistogramMessage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteBufferDeserializer;

/**
 * Follows the histogram topic from its end as of now, in a thread of its own, and keeps what each
 * message says (its info and timestamps) for the measurements to wait on.
 */
final class HistogramWatch implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration POLL = Duration.ofMillis(100);

  private final KafkaConsumer<ByteBuffer, ByteBuffer> consumer;
  private final Thread thread;
  private final List<Published> seen = new ArrayList<>();
  private volatile boolean closed;
  private volatile RuntimeException failure;

  HistogramWatch(Map<String, Object> clientProperties, String topic) {
    Map<String, Object> settings = new java.util.HashMap<>(clientProperties);
    settings.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 << 20);
    // Histograms are small and few: hand each over at once, as a live client would see it.
    settings.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10);
    consumer =
        new KafkaConsumer<>(settings, new ByteBufferDeserializer(), new ByteBufferDeserializer());
    TopicPartition partition = new TopicPartition(topic, 0);
    consumer.assign(List.of(partition));
    consumer.seekToEnd(List.of(partition));
    consumer.position(partition);
    thread = new Thread(this::follow, "histogram-watch");
    thread.setDaemon(true);
    thread.start();
  }

  private void follow() {
    HistogramDecoder decoder = new HistogramDecoder();
    try {
      while (!closed) {
        for (ConsumerRecord<ByteBuffer, ByteBuffer> record : consumer.poll(POLL)) {
          long received = Clock.nowNs();
          HistogramMessage message = decoder.decode(record.value());
          JsonNode info = JSON.readTree(message.info());
          Published published =
              new Published(
                  received,
                  message.timestampNs(),
                  info.path("id").asText(),
                  info.path("state").asText(),
                  info.path("sum").asLong(),
                  info.path("last_pulse_time").asLong());
          synchronized (seen) {
            seen.add(published);
            seen.notifyAll();
          }
        }
      }
    } catch (WakeupException e) {
      // close()
    } catch (CodecException | IOException | RuntimeException e) {
      failure = new IllegalStateException("cannot read the histogram topic: " + e, e);
    } finally {
      consumer.close();
    }
  }

  /**
   * The first message since {@code fromIndex} that passes {@code test}, waiting at most {@code
   * timeout}; empty when none came.
   */
  Optional<Indexed> await(int fromIndex, Predicate<Published> test, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    int next = fromIndex;
    synchronized (seen) {
      while (true) {
        for (; next < seen.size(); next++) {
          if (test.test(seen.get(next))) {
            return Optional.of(new Indexed(next, seen.get(next)));
          }
        }
        if (failure != null) {
          throw failure;
        }
        long leftMs = (deadline - System.nanoTime()) / 1_000_000;
        if (leftMs <= 0) {
          return Optional.empty();
        }
        seen.wait(leftMs);
      }
    }
  }

  /** The index the next message will get: where a measurement starts looking. */
  int mark() {
    synchronized (seen) {
      return seen.size();
    }
  }

  /** The messages from {@code from} to {@code to}, both included, that pass {@code test}. */
  List<Published> between(int from, int to, Predicate<Published> test) {
    synchronized (seen) {
      return seen.subList(from, to + 1).stream().filter(test).toList();
    }
  }

  @Override
  public void close() {
    closed = true;
    consumer.wakeup();
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A message and its place in the order of arrival. */
  record Indexed(int index, Published published) {}
}
