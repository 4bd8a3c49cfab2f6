package eu.ess.justbinit.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The histograms published on an output topic, decoded, by id and in order of arrival: the one
 * reader of the tests' histogram topics. One thread at a time may call it (it polls a {@link
 * TopicReader}).
 */
public final class PublishedHistograms implements AutoCloseable {
  private final TopicReader reader;
  private final Duration patience;
  private final Consumer<byte[]> check;
  private final List<PublishedHistogram> seen = new ArrayList<>();
  private final Map<String, List<PublishedHistogram>> byId = new HashMap<>();
  private int decoded;

  /** Reads the histograms {@code reader} reads; the awaits wait {@code patience}. */
  public PublishedHistograms(TopicReader reader, Duration patience) {
    this(reader, patience, value -> {});
  }

  /**
   * The same, {@code check} run on each message's bytes as it is read: where a test asserts more of
   * the wire format than the info and the values.
   */
  public PublishedHistograms(TopicReader reader, Duration patience, Consumer<byte[]> check) {
    this.reader = reader;
    this.patience = patience;
    this.check = check;
  }

  /** Reads {@code topic} of {@code kafka} from its beginning; the awaits wait {@code patience}. */
  public static PublishedHistograms of(EmbeddedKafka kafka, String topic, Duration patience) {
    return new PublishedHistograms(
        new TopicReader(kafka.clientProperties(), topic, patience), patience);
  }

  /** Reads what has arrived and returns every histogram read so far. */
  public synchronized List<PublishedHistogram> seen() {
    List<ConsumerRecord<byte[], byte[]>> records = reader.poll();
    for (; decoded < records.size(); decoded++) {
      byte[] value = records.get(decoded).value();
      check.accept(value);
      PublishedHistogram published = PublishedHistogram.decode(value);
      seen.add(published);
      byId.computeIfAbsent(published.id(), k -> new ArrayList<>()).add(published);
    }
    return List.copyOf(seen);
  }

  /** Every histogram published with info id {@code id} so far, in order. */
  public synchronized List<PublishedHistogram> all(String id) {
    seen();
    return List.copyOf(byId.getOrDefault(id, List.of()));
  }

  /** The latest histogram published with info id {@code id}, if any yet. */
  public Optional<PublishedHistogram> latest(String id) {
    List<PublishedHistogram> all = all(id);
    return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
  }

  /** Waits until the latest histogram of {@code id} satisfies {@code wanted}. */
  public PublishedHistogram await(String id, String what, Predicate<PublishedHistogram> wanted) {
    return Eventually.get(
        () -> id + ": " + what + "; latest: " + latestSeen(id),
        patience,
        () -> latest(id).filter(wanted));
  }

  /** Waits until some histogram of {@code id}, the latest or an earlier one, satisfies it. */
  public PublishedHistogram awaitAny(String id, String what, Predicate<PublishedHistogram> wanted) {
    return Eventually.get(
        () -> id + ": " + what + "; latest: " + latestSeen(id),
        patience,
        () -> all(id).stream().filter(wanted).findFirst());
  }

  /** Waits until some histogram of any id satisfies {@code wanted}; returns the first such. */
  public PublishedHistogram awaitAny(String what, Predicate<PublishedHistogram> wanted) {
    return Eventually.get(
        () -> "published " + what + "; last: " + (seen.isEmpty() ? "none" : last()),
        patience,
        () -> seen().stream().filter(wanted).findFirst());
  }

  /** The last histogram read. */
  public synchronized PublishedHistogram last() {
    return seen.get(seen.size() - 1);
  }

  private synchronized String latestSeen(String id) {
    List<PublishedHistogram> all = byId.getOrDefault(id, List.of());
    return all.isEmpty() ? "none" : all.get(all.size() - 1).toString();
  }

  @Override
  public void close() {
    reader.close();
  }
}
