package eu.ess.justbinit.tools.viewer;

import eu.ess.justbinit.tools.outputs.HistogramFollower;
import eu.ess.justbinit.tools.outputs.HistogramSummary;
import eu.ess.justbinit.wire.codec.CodecException;
import eu.ess.justbinit.wire.codec.HistogramMessage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** The latest histogram of each id seen on a topic, in the order the ids first appeared. */
public final class HistogramBoard implements HistogramFollower.Listener {
  /**
   * One histogram's latest message.
   *
   * @param version counts the messages of this id, so that a page redraws only what changed
   * @param kafkaTimestampMs the Kafka timestamp of the message
   */
  public record Entry(
      HistogramMessage message, HistogramSummary summary, long version, long kafkaTimestampMs) {}

  private final Map<String, Entry> entries = new LinkedHashMap<>();
  private Entry latest;
  private long undecodable;

  @Override
  public synchronized void histogram(
      ConsumerRecord<byte[], byte[]> record, HistogramMessage message) {
    HistogramSummary summary = HistogramSummary.of(message);
    Entry previous = entries.get(summary.id());
    long version = previous == null ? 1 : previous.version() + 1;
    latest = new Entry(message, summary, version, record.timestamp());
    entries.put(summary.id(), latest);
    notifyAll();
  }

  @Override
  public synchronized void undecodable(
      ConsumerRecord<byte[], byte[]> record, CodecException error) {
    undecodable++;
  }

  public synchronized List<Entry> entries() {
    return new ArrayList<>(entries.values());
  }

  public synchronized Optional<Entry> get(String id) {
    return Optional.ofNullable(entries.get(id));
  }

  /** Messages on the topic that were no histograms. */
  public synchronized long undecodable() {
    return undecodable;
  }

  /** The latest histogram of {@code id}, or the latest of all when {@code id} is null. */
  public synchronized Optional<Entry> current(String id) {
    return Optional.ofNullable(id == null ? latest : entries.get(id));
  }

  /**
   * Waits for a histogram of {@code id}, or for any when {@code id} is null: then the latest.
   *
   * @return empty when none came within the timeout
   */
  public synchronized Optional<Entry> await(String id, long timeoutMs) throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMs;
    while (true) {
      Optional<Entry> found = current(id);
      long left = deadline - System.currentTimeMillis();
      if (found.isPresent() || left <= 0) {
        return found;
      }
      wait(left);
    }
  }
}
