package eu.ess.justbinit.tools.generator;

import eu.ess.justbinit.tools.cli.ToolCommandLine;
import eu.ess.justbinit.tools.kafka.BrokerOptions;
import eu.ess.justbinit.wire.codec.EventEncoder;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The original's generate_event_data: publishes messages of Gaussian fake events to a topic, then
 * says what it sent (also when stopped by Ctrl-C).
 */
@Command(
    name = "generate-event-data",
    mixinStandardHelpOptions = true,
    description = "Publishes ev44 (or ev42) messages of Gaussian fake events to a Kafka topic.")
public final class GenerateEventData implements Callable<Integer> {
  /** The schemas it can write. */
  enum Schema {
    EV44,
    EV42
  }

  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  @Mixin private BrokerOptions brokers;

  @Option(
      names = {"-t", "--topic"},
      required = true,
      description = "the topic to write to")
  private String topic;

  @Option(
      names = {"-n", "--num-messages", "--num_messages"},
      defaultValue = "0",
      description =
          "the number of messages to write; 0 runs until Ctrl-C (default: ${DEFAULT-VALUE})")
  private long numMessages;

  @Option(
      names = {"-ne", "--num-events", "--num_events"},
      defaultValue = "1000",
      description = "the number of events per message (default: ${DEFAULT-VALUE})")
  private int numEvents;

  @Option(
      names = {"-dh", "--det-hist"},
      description =
          "lay the detector ids out for a detector map: a 100 x 100 detector (ids 0..9999), each"
              + " row Gaussian around its middle column")
  private boolean detectorMap;

  @Option(
      names = "--schema",
      defaultValue = "ev44",
      converter = SchemaConverter.class,
      description = "ev44 or ev42 (default: ${DEFAULT-VALUE})")
  private Schema schema;

  @Option(
      names = "--rate",
      defaultValue = "1",
      description = "messages per second; 0 sends as fast as possible (default: ${DEFAULT-VALUE})")
  private double rate;

  @Option(
      names = "--source",
      defaultValue = "just-bin-it",
      description = "the source name of the messages (default: ${DEFAULT-VALUE})")
  private String source;

  private final CountDownLatch stopRequested = new CountDownLatch(1);
  private final CountDownLatch finished = new CountDownLatch(1);
  private final PrintStream out;

  public GenerateEventData() {
    this(System.out);
  }

  public GenerateEventData(PrintStream out) {
    this.out = out;
  }

  public static void main(String[] args) {
    System.exit(ToolCommandLine.of(new GenerateEventData()).execute(args));
  }

  @Override
  public Integer call() throws InterruptedException {
    if (numMessages < 0 || numEvents < 0 || rate < 0 || !Double.isFinite(rate)) {
      throw new CommandLine.ParameterException(
          new CommandLine(this), "--num-messages, --num-events and --rate must not be negative");
    }
    Thread hook = new Thread(this::stopAndAwait, "generate-event-data-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      Sent sent = run();
      out.println(sent.summary(topic));
      out.flush();
      return sent.failures() == 0 ? 0 : 1;
    } finally {
      finished.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // Shutting down already: the hook is running and waits for the summary above.
      }
    }
  }

  /** Asks the sending loop to stop; returns once it has printed what it sent. */
  public void stopAndAwait() {
    stopRequested.countDown();
    try {
      finished.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private Sent run() throws InterruptedException {
    int[] tof = new int[numEvents];
    int[] pixelIds = new int[numEvents];
    FakeEvents events = new FakeEvents(new SplittableRandom());
    Sent sent = new Sent();
    long periodNs = rate == 0 ? 0 : (long) (NANOS_PER_SECOND / rate);
    long begin = System.nanoTime();
    long lastReferenceTime = 0;
    try (KafkaProducer<byte[], byte[]> producer = producer()) {
      for (long i = 0; numMessages == 0 || i < numMessages; i++) {
        long wait = begin + i * periodNs - System.nanoTime();
        if (stopRequested.await(Math.max(0, wait), TimeUnit.NANOSECONDS)) {
          break;
        }
        events.fill(tof, pixelIds, detectorMap);
        // Every message has its own reference time, even several within one clock tick.
        long referenceTime = Math.max(wallClockNanos(), lastReferenceTime + 1);
        lastReferenceTime = referenceTime;
        long messageId = i + 1;
        byte[] payload =
            schema == Schema.EV44
                ? EventEncoder.ev44(source, messageId, referenceTime, tof, pixelIds)
                : EventEncoder.ev42(source, messageId, referenceTime, tof, pixelIds);
        ProducerRecord<byte[], byte[]> record =
            new ProducerRecord<>(topic, null, referenceTime / 1_000_000, null, payload);
        // The callback reports the outcome; the future adds nothing.
        Future<RecordMetadata> unused =
            producer.send(
                record,
                (metadata, error) -> {
                  if (error == null) {
                    sent.acknowledged(referenceTime, numEvents);
                  } else {
                    sent.failed(error);
                  }
                });
      }
      producer.flush();
    }
    return sent;
  }

  private KafkaProducer<byte[], byte[]> producer() {
    Map<String, Object> properties = brokers.clientProperties();
    // A message of many events is far larger than the 1 MiB kafka-clients accepts by default.
    int messageBytes = 1024 + 8 * numEvents + source.getBytes(StandardCharsets.UTF_8).length;
    properties.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Math.max(1 << 20, 2 * messageBytes));
    properties.put(ProducerConfig.BUFFER_MEMORY_CONFIG, Math.max(32L << 20, 8L * messageBytes));
    properties.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    return new KafkaProducer<>(properties, new ByteArraySerializer(), new ByteArraySerializer());
  }

  private static long wallClockNanos() {
    Instant now = Instant.now();
    return now.getEpochSecond() * NANOS_PER_SECOND + now.getNano();
  }

  /** What the broker acknowledged, updated from the producer's callback thread. */
  static final class Sent {
    private final AtomicLong messages = new AtomicLong();
    private final AtomicLong events = new AtomicLong();
    private final AtomicLong first = new AtomicLong(Long.MAX_VALUE);
    private final AtomicLong last = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong failures = new AtomicLong();
    private final AtomicReference<Exception> firstError = new AtomicReference<>();

    void acknowledged(long referenceTime, int eventCount) {
      messages.incrementAndGet();
      events.addAndGet(eventCount);
      first.accumulateAndGet(referenceTime, Math::min);
      last.accumulateAndGet(referenceTime, Math::max);
    }

    void failed(Exception error) {
      failures.incrementAndGet();
      firstError.compareAndSet(null, error);
    }

    long failures() {
      return failures.get();
    }

    String summary(String topic) {
      StringBuilder text =
          new StringBuilder()
              .append(
                  String.format(
                      "Sent %d messages, %d events to %s", messages.get(), events.get(), topic));
      if (messages.get() > 0) {
        text.append(
            String.format(
                "%nFirst timestamp = %d ns, last timestamp = %d ns", first.get(), last.get()));
      }
      if (failures.get() > 0) {
        text.append(
            String.format(
                "%n%d messages failed, the first with: %s", failures.get(), firstError.get()));
      }
      return text.toString();
    }
  }

  /** ev44 or ev42, in any case. */
  static final class SchemaConverter implements CommandLine.ITypeConverter<Schema> {
    @Override
    public Schema convert(String value) {
      return switch (value.toLowerCase(Locale.ROOT)) {
        case "ev44" -> Schema.EV44;
        case "ev42" -> Schema.EV42;
        default -> throw new CommandLine.TypeConversionException("ev44 or ev42, not " + value);
      };
    }
  }
}
