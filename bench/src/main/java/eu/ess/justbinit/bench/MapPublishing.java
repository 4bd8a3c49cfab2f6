package eu.ess.justbinit.bench;

import eu.ess.justbinit.testkit.EmbeddedKafka;
import eu.ess.justbinit.wire.codec.EventDecoder;
import eu.ess.justbinit.wire.codec.EventEncoder;
import eu.ess.justbinit.wire.rpc.Checkpoint;
import eu.ess.justbinit.wire.rpc.HistogramSchema;
import eu.ess.justbinit.wire.rpc.HistogramSpec;
import eu.ess.justbinit.wire.rpc.HistogramType;
import eu.ess.justbinit.wire.rpc.Range;
import eu.ess.justbinit.worker.histogram.Histogram;
import eu.ess.justbinit.worker.histogram.HistogramSnapshot;
import eu.ess.justbinit.worker.io.HistogramSink;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ReplicaInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * The publishing of a large detector map, one compression type after another: a dethist of N x N
 * pixels filled at a set event rate by the worker's own decode and binning, published at every
 * interval through the worker's own sink to a real broker, with the worker's checkpoint built and
 * serialised on a second thread as the worker's link does. Reports bytes per publish raw and on the
 * wire (the broker's log size per message), encode time, the time the loop spends in a publish, the
 * counting rate achieved while publishing, and this JVM's memory (run it with the heap the
 * controller would give such a worker). Never part of the tests; run by scripts/bench-maps.
 */
public final class MapPublishing {
  private static final int EVENTS_PER_MESSAGE = 100_000;
  private static final int MESSAGES = 10;

  private final int side;
  private final long eventsPerSecond;
  private final Duration interval;
  private final Duration run;

  private MapPublishing(int side, long eventsPerSecond, Duration interval, Duration run) {
    this.side = side;
    this.eventsPerSecond = eventsPerSecond;
    this.interval = interval;
    this.run = run;
  }

  /** One compression type's figures. */
  record Figures(
      String compression,
      int publishes,
      long rawBytes,
      long wireBytes,
      double encodeMs,
      double publishMs,
      double checkpointMs,
      double eventsPerSecond,
      long heapUsedMb,
      long peakResidentMb,
      String failure) {}

  /**
   * Arguments: side (4096), events/s (10000000), interval ms (500), seconds per type (8), the
   * compression types (none,lz4,zstd,snappy,gzip), the report file.
   */
  public static void main(String[] args) throws Exception {
    int side = Integer.parseInt(args[0]);
    long rate = Long.parseLong(args[1]);
    Duration interval = Duration.ofMillis(Long.parseLong(args[2]));
    Duration run = Duration.ofSeconds(Long.parseLong(args[3]));
    List<String> types = List.of(args[4].split(","));
    Path report = Path.of(args[5]);
    MapPublishing bench = new MapPublishing(side, rate, interval, run);
    List<Figures> figures = new ArrayList<>();
    String began = Instant.now().toString();
    String loadBefore = loadAverage();
    try (EmbeddedKafka kafka = EmbeddedKafka.builder().start()) {
      for (String type : types) {
        Figures measured = bench.measure(kafka, type);
        System.out.println(measured);
        figures.add(measured);
      }
    }
    // Each type in a JVM of its own, as each histogram is: the first run writes the header.
    if (Files.exists(report)) {
      Files.writeString(
          report,
          bench.rows(figures, loadBefore, loadAverage()),
          StandardCharsets.UTF_8,
          java.nio.file.StandardOpenOption.APPEND);
    } else {
      Files.writeString(
          report,
          bench.markdown(figures, began, loadBefore, loadAverage()),
          StandardCharsets.UTF_8);
    }
    System.out.println("wrote " + report);
  }

  private HistogramSpec spec() {
    return HistogramSpec.newBuilder()
        .setType(HistogramType.DETHIST)
        .setId("map")
        .setOutputTopic("maps")
        .setDetRange(Range.newBuilder().setLow(1).setHigh((double) side * side))
        .setWidth(side)
        .setHeight(side)
        .build();
  }

  /** ev44 messages of events spread over every pixel, as a detector under a flat field sees. */
  private List<byte[]> messages() {
    SplittableRandom random = new SplittableRandom(1);
    List<byte[]> messages = new ArrayList<>();
    for (int m = 0; m < MESSAGES; m++) {
      int[] tof = new int[EVENTS_PER_MESSAGE];
      int[] pixels = new int[EVENTS_PER_MESSAGE];
      for (int i = 0; i < EVENTS_PER_MESSAGE; i++) {
        tof[i] = random.nextInt(71_000_000);
        pixels[i] = 1 + random.nextInt(side * side);
      }
      messages.add(EventEncoder.ev44("detector", m, m * 71_428_571L, tof, pixels));
    }
    return messages;
  }

  private Figures measure(EmbeddedKafka kafka, String compression) throws Exception {
    String topic = "maps-" + compression;
    try (Admin admin = Admin.create(kafka.adminProperties())) {
      admin
          .createTopics(
              List.of(
                  new NewTopic(topic, 1, (short) 1)
                      .configs(Map.of("max.message.bytes", Integer.toString(256 << 20)))))
          .all()
          .get();
    }
    HistogramSpec spec = spec();
    Histogram histogram = Histogram.forSpec(spec);
    List<byte[]> messages = messages();
    EventDecoder decoder = new EventDecoder();
    long bins = (long) side * side;
    long edges = 2L * (side + 1);
    List<Double> encodeMs = new ArrayList<>();
    List<Double> publishMs = new ArrayList<>();
    List<Double> checkpointMs = java.util.Collections.synchronizedList(new ArrayList<>());
    long rawBytes = 0;
    int publishes = 0;
    long counted = 0;
    ExecutorService link = Executors.newSingleThreadExecutor();
    Future<?> checkpoint = null;
    System.gc();
    try (HistogramSink sink =
        HistogramSink.open(
            spec.toBuilder().setOutputTopic(topic).setOutputSchema(HistogramSchema.HS01).build(),
            kafka.clientSettings(),
            "bench-maps",
            bins,
            edges,
            compression)) {
      long start = System.nanoTime();
      long end = start + run.toNanos();
      long nextPublish = start + interval.toNanos();
      int next = 0;
      long now;
      while ((now = System.nanoTime()) < end) {
        long due = (long) ((now - start) / 1e9 * eventsPerSecond);
        if (counted < due) {
          byte[] message = messages.get(next++ % MESSAGES);
          histogram.offer(decoder.decode(ByteBuffer.wrap(message)), 0);
          counted += EVENTS_PER_MESSAGE;
        } else {
          LockSupport.parkNanos(100_000);
        }
        if (System.nanoTime() >= nextPublish) {
          HistogramSnapshot snapshot = histogram.snapshotForPublish();
          long t0 = System.nanoTime();
          sink.publish(
              0,
              snapshot.lastPulseTimeNs(),
              snapshot.shape(),
              snapshot.edges(),
              snapshot.counts(),
              snapshot.values(),
              "{}");
          publishMs.add((System.nanoTime() - t0) / 1e6);
          encodeMs.add(sink.lastEncodeNanos() / 1e6);
          rawBytes = sink.lastMessageBytes();
          publishes++;
          if (checkpoint == null || checkpoint.isDone()) {
            long[] counts = snapshot.counts();
            checkpoint = link.submit(() -> checkpointMs.add(checkpoint(counts)));
          }
          nextPublish = System.nanoTime() + interval.toNanos();
        }
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      sink.close(Duration.ofSeconds(60));
      String failure = sink.refusal().orElse("");
      link.shutdown();
      link.awaitTermination(1, java.util.concurrent.TimeUnit.MINUTES);
      Runtime runtime = Runtime.getRuntime();
      long heapUsedMb = (runtime.totalMemory() - runtime.freeMemory()) >> 20;
      long wire = wireBytesPerMessage(kafka, topic);
      return new Figures(
          compression,
          publishes,
          rawBytes,
          wire,
          median(encodeMs),
          median(publishMs),
          median(checkpointMs),
          counted / seconds,
          heapUsedMb,
          ProcessMemory.peakResidentMb(ProcessHandle.current().pid()).orElse(-1),
          failure);
    }
  }

  /** What the worker's link does with a checkpoint: counts one by one, then serialised. */
  private static double checkpoint(long[] counts) {
    long t0 = System.nanoTime();
    Checkpoint.Builder builder = Checkpoint.newBuilder();
    for (long count : counts) {
      builder.addCounts(count);
    }
    byte[] bytes = builder.build().toByteArray();
    // Used, so that the serialisation is not optimised away.
    return bytes.length > 0 ? (System.nanoTime() - t0) / 1e6 : 0;
  }

  private static long wireBytesPerMessage(EmbeddedKafka kafka, String topic)
      throws ExecutionException, InterruptedException {
    try (Admin admin = Admin.create(kafka.adminProperties())) {
      TopicPartition partition = new TopicPartition(topic, 0);
      long end =
          admin
              .listOffsets(Map.of(partition, org.apache.kafka.clients.admin.OffsetSpec.latest()))
              .all()
              .get()
              .get(partition)
              .offset();
      long size = 0;
      int broker = admin.describeCluster().nodes().get().iterator().next().id();
      for (LogDirDescription dir :
          admin.describeLogDirs(List.of(broker)).allDescriptions().get().get(broker).values()) {
        ReplicaInfo info = dir.replicaInfos().get(partition);
        if (info != null) {
          size += info.size();
        }
      }
      return end == 0 ? 0 : size / end;
    }
  }

  private static double median(List<Double> values) {
    if (values.isEmpty()) {
      return Double.NaN;
    }
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).toArray();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (IOException e) {
      return "unknown";
    }
  }

  private String rows(List<Figures> figures, String loadBefore, String loadAfter) {
    StringBuilder text = new StringBuilder();
    for (Figures f : figures) {
      text.append(
          String.format(
              "| %s | %d | %d | %d (%.1f %%) | %.0f | %.0f | %.0f | %.2f M | %d | %d | %s / %s |"
                  + " %s |%n",
              f.compression(),
              f.publishes(),
              f.rawBytes(),
              f.wireBytes(),
              100.0 * f.wireBytes() / f.rawBytes(),
              f.encodeMs(),
              f.publishMs(),
              f.checkpointMs(),
              f.eventsPerSecond() / 1e6,
              f.heapUsedMb(),
              f.peakResidentMb(),
              loadBefore.split(" ", -1)[0],
              loadAfter.split(" ", -1)[0],
              f.failure()));
    }
    return text.toString();
  }

  private String markdown(
      List<Figures> figures, String began, String loadBefore, String loadAfter) {
    StringBuilder text = new StringBuilder();
    text.append("# Publishing a ")
        .append(side)
        .append(" x ")
        .append(side)
        .append(" detector map\n\n");
    text.append("Written by `scripts/bench-maps` (")
        .append(MapPublishing.class.getSimpleName())
        .append(") on ")
        .append(began)
        .append(": a dethist of ")
        .append((long) side * side)
        .append(" pixels filled at ")
        .append(eventsPerSecond)
        .append(" events/s (flat field, ev44 messages of ")
        .append(EVENTS_PER_MESSAGE)
        .append(" events decoded and binned by the worker's own code), published every ")
        .append(interval.toMillis())
        .append(" ms through the worker's own sink to the embedded broker, ")
        .append(run.toSeconds())
        .append(" s per compression type; the worker's checkpoint is built and serialised on a")
        .append(" second thread at each publish, as its link does.\n\n");
    text.append("Machine: ")
        .append(Runtime.getRuntime().availableProcessors())
        .append(" cores, shared with other work (the 1-minute load average before and after each")
        .append(" type's run is in its row); each type ran in a JVM of its own: ")
        .append(ManagementFactory.getRuntimeMXBean().getInputArguments())
        .append(". Figures are medians over the publishes of one short run: indicative.\n\n");
    text.append(
        "\n*encode ms*: the sink's HistogramEncoder, part of the publish call; *publish call ms*: the"
            + " loop's time in `HistogramSink.publish`, encoding and compressing (the producer"
            + " compresses in the caller's thread); *on the wire*: the broker's log bytes per"
            + " message; *heap used*: at the end of the run, before a collection; *peak resident*:"
            + " the JVM's VmHWM; *checkpoint ms*: building"
            + " and serialising the checkpoint on the second thread.\n");
    text.append(
        "\n| compression | publishes | raw bytes | on the wire | encode ms | publish call ms |"
            + " checkpoint ms | events/s counted | heap used MB | peak resident MB | load before"
            + " / after | failure |\n");
    text.append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    text.append(rows(figures, loadBefore, loadAfter));
    return text.toString();
  }
}
