package eu.ess.justbinit.bench;

import eu.ess.justbinit.controller.state.HistogramStateStore;
import eu.ess.justbinit.controller.state.StateFile;
import eu.ess.justbinit.controller.state.StoredHistogram;
import eu.ess.justbinit.wire.codec.CodecException;
import eu.ess.justbinit.wire.codec.EventDecoder;
import eu.ess.justbinit.wire.codec.EventEncoder;
import eu.ess.justbinit.wire.rpc.Checkpoint;
import eu.ess.justbinit.wire.rpc.EventSchema;
import eu.ess.justbinit.wire.rpc.HistogramSchema;
import eu.ess.justbinit.wire.rpc.HistogramSpec;
import eu.ess.justbinit.wire.rpc.HistogramState;
import eu.ess.justbinit.wire.rpc.HistogramType;
import eu.ess.justbinit.wire.rpc.PartitionOffset;
import eu.ess.justbinit.wire.rpc.Range;
import eu.ess.justbinit.wire.rpc.Statistics;
import eu.ess.justbinit.worker.histogram.Histogram;
import eu.ess.justbinit.worker.histogram.HistogramSnapshot;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * What --state-dir costs for a 4096 x 4096 detector map: the time to write its checkpoint to disk
 * (write, fsync, rename) and to read it back, and how many events per second a counting thread
 * loses while checkpoints are written beside it, back to back and at the store's pace. A plain
 * main, run by hand (never a test); writes a markdown report.
 *
 * <p>usage: StateDirCost REPORT.md SCRATCH_DIR [seconds per counting run]
 *
 * <p>In the store's package, to time its file writes without its pacing.
 */
public final class StateDirCost {
  private static final int SIDE = 4096;
  private static final int EVENTS_PER_MESSAGE = 100_000;
  private static final int MESSAGES = 20;
  private static final int WRITES = 5;
  private static final int RUNS = 3;

  /** The store's INFO lines, held here: a logger nobody holds may be collected with its level. */
  private static final Logger QUIET = Logger.getLogger("eu.ess.justbinit");

  private StateDirCost() {}

  public static void main(String[] args) throws Exception {
    QUIET.setLevel(Level.WARNING);
    Path report = Path.of(args[0]);
    Path scratch = Path.of(args[1]);
    double seconds = args.length > 2 ? Double.parseDouble(args[2]) : 10;
    Files.createDirectories(scratch);

    HistogramSpec spec = detectorMap();
    List<ByteBuffer> messages = messages();
    Histogram histogram = Histogram.forSpec(spec);
    EventDecoder decoder = new EventDecoder();
    // Some 200 million events: a map an experiment has been filling for a while.
    for (int round = 0; round < 100; round++) {
      for (ByteBuffer message : messages) {
        histogram.offer(decoder.decode(message.duplicate()), 0);
      }
    }
    Checkpoint checkpoint = checkpoint(histogram.snapshotForPublish());
    long serialized = checkpoint.getSerializedSize();

    List<Double> writeMs = new ArrayList<>();
    List<Double> readMs = new ArrayList<>();
    for (int i = 0; i < WRITES; i++) {
      Path dir = scratch.resolve("write-" + i);
      long started = System.nanoTime();
      try (HistogramStateStore store = HistogramStateStore.open(dir)) {
        store.keep(spec, 0).checkpointed(checkpoint);
      }
      writeMs.add((System.nanoTime() - started) / 1e6);
      started = System.nanoTime();
      try (HistogramStateStore store = HistogramStateStore.open(dir)) {
        if (store.restore().get(0).checkpoint().orElseThrow().getCountsCount() != SIDE * SIDE) {
          throw new IllegalStateException("restored the wrong checkpoint");
        }
      }
      readMs.add((System.nanoTime() - started) / 1e6);
    }
    long fileBytes;
    try (Stream<Path> files = Files.list(scratch.resolve("write-0"))) {
      fileBytes = Files.size(files.findFirst().orElseThrow());
    }
    double writeMedian = median(writeMs);
    long intervalMs =
        StoredHistogram.interval(fileBytes, Duration.ofNanos((long) (writeMedian * 1e6)))
            .toMillis();

    Path busyFile = scratch.resolve("busy.pb");
    // Interleaved, so that what else the machine does weighs on the three alike.
    List<Double> alone = new ArrayList<>();
    List<Double> busy = new ArrayList<>();
    List<Double> atPace = new ArrayList<>();
    AtomicInteger backToBack = new AtomicInteger();
    AtomicInteger paced = new AtomicInteger();
    for (int run = 0; run < RUNS; run++) {
      alone.add(countingRate(spec, messages, seconds, null));
      busy.add(
          countingRate(
              spec, messages, seconds, writer(busyFile, spec, checkpoint, false, backToBack)));
      atPace.add(
          countingRate(spec, messages, seconds, writer(busyFile, spec, checkpoint, true, paced)));
    }
    double aloneMedian = median(alone);

    String text =
        """
        # The cost of --state-dir for a 4096 x 4096 detector map

        Measured by `bench/.../StateDirCost.java` (a plain main, run by hand) on %d cores, %s.
        The map holds %,d events (counts up to %,d per bin); its checkpoint is %,d bytes of
        protobuf (%,d bins), the file %,d bytes.

        | what | figure |
        |---|---|
        | write one checkpoint to disk (serialise, write, fsync, rename, fsync dir), median of %d | %.0f ms (all: %s) |
        | read it back at start (read, CRC-32C, parse), median of %d | %.0f ms |
        | the store's interval for this file: max(1 s, size / 4 MB/s, 20 x the write's time) | %d ms |
        | counting alone (one thread, 100,000-event ev44 messages), median of %d | %.1f M events/s (all: %s) |
        | counting while checkpoints are written back to back (%d writes), median of %d | %.1f M events/s (%+.1f %%; all: %s) |
        | counting while checkpoints are written at the store's pace (%d writes), median of %d | %.1f M events/s (%+.1f %%; all: %s) |

        The worker sends its checkpoints whether or not the controller keeps them; what a state
        directory adds is the controller's write, done by one thread of its own. The counting
        runs lasted %.0f s each, the three kinds interleaved; on a machine shared with other work
        single runs vary widely (see "all"), so compare the medians.
        """
            .formatted(
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
                checkpoint.getStatistics().getSum(),
                Arrays.stream(histogram.snapshotForPublish().counts()).max().orElse(0),
                serialized,
                checkpoint.getCountsCount(),
                fileBytes,
                WRITES,
                writeMedian,
                writeMs.stream().map(ms -> String.format("%.0f", ms)).toList(),
                WRITES,
                median(readMs),
                intervalMs,
                RUNS,
                aloneMedian / 1e6,
                millions(alone),
                backToBack.get(),
                RUNS,
                median(busy) / 1e6,
                (median(busy) / aloneMedian - 1) * 100,
                millions(busy),
                paced.get(),
                RUNS,
                median(atPace) / 1e6,
                (median(atPace) / aloneMedian - 1) * 100,
                millions(atPace),
                seconds);
    Files.writeString(report, text, StandardCharsets.UTF_8);
    System.out.print(text);
  }

  private static HistogramSpec detectorMap() {
    return HistogramSpec.newBuilder()
        .setType(HistogramType.DETHIST)
        .setId("map")
        .setOutputTopic("out")
        .addDataBrokers("localhost:9092")
        .addDataTopics("data")
        .setInputSchema(EventSchema.EV44)
        .setOutputSchema(HistogramSchema.HS01)
        .setTofRange(Range.newBuilder().setLow(0).setHigh(100_000_000))
        .setDetRange(Range.newBuilder().setLow(1).setHigh((double) SIDE * SIDE))
        .setWidth(SIDE)
        .setHeight(SIDE)
        .addStartOffsets(PartitionOffset.newBuilder().setTopic("data").setOffset(0))
        .build();
  }

  private static List<ByteBuffer> messages() {
    SplittableRandom random = new SplittableRandom(22);
    List<ByteBuffer> messages = new ArrayList<>();
    for (int m = 0; m < MESSAGES; m++) {
      int[] tof = random.ints(EVENTS_PER_MESSAGE, 0, 100_000_000).toArray();
      int[] pixels = random.ints(EVENTS_PER_MESSAGE, 1, SIDE * SIDE + 1).toArray();
      messages.add(ByteBuffer.wrap(EventEncoder.ev44("detector", m, m * 1_000_000L, tof, pixels)));
    }
    return messages;
  }

  /** As the worker makes it (SupervisorMessages.checkpoint). */
  private static Checkpoint checkpoint(HistogramSnapshot snapshot) {
    Checkpoint.Builder checkpoint =
        Checkpoint.newBuilder()
            .setStatistics(Statistics.newBuilder().setSum(snapshot.sum()))
            .setState(HistogramState.COUNTING)
            .addNextOffsets(PartitionOffset.newBuilder().setTopic("data").setOffset(12_345_678));
    for (long count : snapshot.counts()) {
      checkpoint.addCounts(count);
    }
    return checkpoint.build();
  }

  /** Writes the checkpoint again and again, paced as the store paces it or not, until stopped. */
  private static Runnable writer(
      Path file, HistogramSpec spec, Checkpoint checkpoint, boolean paced, AtomicInteger count) {
    return () -> {
      try {
        while (!Thread.currentThread().isInterrupted()) {
          long started = System.nanoTime();
          long bytes = StateFile.write(file, spec, 0, Optional.of(checkpoint));
          count.incrementAndGet();
          if (paced) {
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            long waitNanos = StoredHistogram.interval(bytes, took).minus(took).toNanos();
            if (waitNanos > 0) {
              Thread.sleep(waitNanos / 1_000_000);
            }
          }
        }
      } catch (IOException e) {
        // Interrupted in the middle of a write, the channel closes: the run is over.
        if (!Thread.currentThread().isInterrupted()) {
          throw new IllegalStateException(e);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    };
  }

  /** Events per second one thread counts in {@code seconds}, with {@code beside} running. */
  private static double countingRate(
      HistogramSpec spec, List<ByteBuffer> messages, double seconds, Runnable beside)
      throws CodecException, InterruptedException {
    Histogram histogram = Histogram.forSpec(spec);
    EventDecoder decoder = new EventDecoder();
    for (ByteBuffer message : messages) {
      histogram.offer(decoder.decode(message.duplicate()), 0);
    }
    Thread other = beside == null ? null : new Thread(beside, "checkpoint-writer");
    if (other != null) {
      other.start();
    }
    long events = 0;
    long started = System.nanoTime();
    long end = started + (long) (seconds * 1e9);
    while (System.nanoTime() < end) {
      for (ByteBuffer message : messages) {
        histogram.offer(decoder.decode(message.duplicate()), 0);
        events += EVENTS_PER_MESSAGE;
      }
    }
    double rate = events / ((System.nanoTime() - started) / 1e9);
    if (other != null) {
      other.interrupt();
      other.join();
    }
    return rate;
  }

  private static List<String> millions(List<Double> rates) {
    return rates.stream().map(rate -> String.format("%.1f", rate / 1e6)).toList();
  }

  private static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted(Comparator.naturalOrder()).toList();
    return sorted.get(sorted.size() / 2);
  }
}
