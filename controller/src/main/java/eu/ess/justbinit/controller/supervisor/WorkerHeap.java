package eu.ess.justbinit.controller.supervisor;

import com.sun.management.OperatingSystemMXBean;
import eu.ess.justbinit.wire.rpc.HistogramSpec;
import eu.ess.justbinit.wire.rpc.HistogramType;
import java.lang.management.ManagementFactory;
import java.util.List;

/**
 * The heap limit (-Xmx) the controller gives a worker JVM, fitted to its histogram. Unbounded, G1
 * grows a catching-up worker's heap far beyond what it keeps alive: every fetch is a new 8 MB
 * buffer, read at up to 1 GB/s, and G1 sizes its young generation by its pause goal, not by need.
 *
 * <p>What a worker keeps alive is some 24 MB: three fetches (the one binned, the next, the one
 * arriving) and the clients' own buffers; 48 MB besides the histogram catches up as fast as an
 * unbounded heap at less than half the memory (docs/benchmarks-worker-memory.md).
 *
 * <p>Pure functions of the histogram and the machine: any thread may call them.
 */
public final class WorkerHeap {
  /** Everything but the histogram: the fetches, the Kafka and gRPC clients, G1's headroom. */
  static final int BASE_MB = 48;

  /**
   * Heap per bin and per bin edge: the counts, their copies in a snapshot and a checkpoint, the
   * encoded message, its builder's growth and the producer's batch; eight copies of 8 bytes.
   */
  static final int BYTES_PER_VALUE = 64;

  /**
   * Heap per value of a histogram larger than a spare's: its copies are then humongous objects for
   * G1, and the checkpoint's list of counts grows in steps of half its size. A 4096 x 4096 map
   * published every 500 ms ran out of 64 bytes a value within seconds and ran with 96
   * (docs/benchmarks-maps.md).
   */
  static final int LARGE_BYTES_PER_VALUE = 96;

  /** A region of interest maps every pixel of its span to a bin: 4 bytes each, up to 4 M pixels. */
  private static final long ROI_TABLE_PIXELS = 1 << 22;

  /**
   * A spare starts before its histogram is known, so with room for histograms of up to this many
   * bins and edges (a 254 x 254 map, a hist1d of 32,767 bins); a larger histogram gets a JVM of its
   * own.
   */
  static final long SPARE_VALUES = 1 << 16;

  private static final long MB = 1 << 20;

  /** What the machine keeps for itself, the controller and the other workers' own memory. */
  private static final long MACHINE_RESERVE_MB = 1024;

  private WorkerHeap() {}

  /**
   * The largest heap a worker is ever given: the machine's memory (a container's limit where there
   * is one) less {@link #MACHINE_RESERVE_MB}, and never below a spare's. A larger -Xmx would only
   * postpone the failure to the moment the heap is touched, or wake the kernel's OOM killer.
   */
  public static int machineMegabytes() {
    long total =
        ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getTotalMemorySize()
            / MB;
    return (int)
        Math.min(Integer.MAX_VALUE, Math.max(total - MACHINE_RESERVE_MB, spareMegabytes()));
  }

  /** The heap of a worker for {@code spec}, in MB; may exceed {@link #machineMegabytes()}. */
  static int megabytesFor(HistogramSpec spec) {
    long values = values(spec);
    int perValue = values > SPARE_VALUES ? LARGE_BYTES_PER_VALUE : BYTES_PER_VALUE;
    return megabytesFor(values * perValue + roiTableBytes(spec));
  }

  /** The heap of a spare, in MB: the least heap a worker is ever given. */
  public static int spareMegabytes() {
    return megabytesFor(SPARE_VALUES * BYTES_PER_VALUE);
  }

  /**
   * The most bins and edges a histogram may have whose worker needs at most {@code heapMegabytes},
   * the inverse of {@link #megabytesFor(HistogramSpec)} (a roihist's pixel table aside).
   */
  public static long largestValues(int heapMegabytes) {
    long histogramBytes = Math.max(0L, (long) heapMegabytes - BASE_MB) * MB;
    long large = histogramBytes / LARGE_BYTES_PER_VALUE;
    // Up to a spare's size a value costs less: a heap too small for a large histogram still
    // holds a small one.
    return large > SPARE_VALUES ? large : Math.min(histogramBytes / BYTES_PER_VALUE, SPARE_VALUES);
  }

  /**
   * Whether {@code jvmOptions} set the heap limit themselves: then the controller sets none, and
   * every spare fits every histogram.
   */
  public static boolean setBy(List<String> jvmOptions) {
    return jvmOptions.stream()
        .anyMatch(
            option ->
                option.startsWith("-Xmx")
                    || option.startsWith("-XX:MaxHeapSize=")
                    || option.startsWith("-XX:MaxRAM=")
                    || option.startsWith("-XX:MaxRAMPercentage=")
                    || option.startsWith("-XX:MaxRAMFraction="));
  }

  private static int megabytesFor(long histogramBytes) {
    long megabytes = BASE_MB + (histogramBytes + MB - 1) / MB;
    return (int) Math.min(Integer.MAX_VALUE, megabytes);
  }

  /** Bins plus bin edges of the histogram {@code spec} describes. */
  static long values(HistogramSpec spec) {
    long[] axes =
        switch (spec.getType()) {
          case HIST1D -> new long[] {spec.getTofBins()};
          case HIST2D -> new long[] {spec.getTofBins(), spec.getDetBins()};
          case DETHIST -> new long[] {spec.getWidth(), spec.getHeight()};
          case ROIHIST -> new long[] {spec.getWidth(), spec.getLeftEdgesCount()};
          default -> new long[] {0};
        };
    long bins = 1;
    long edges = 0;
    for (long axis : axes) {
      long length = Math.max(axis, 0);
      bins = Math.min(bins * length, Integer.MAX_VALUE);
      edges += length + 1;
    }
    // Past an int the worker refuses the histogram anyway; capped, the products cannot overflow.
    return Math.min(bins + edges, Integer.MAX_VALUE);
  }

  private static long roiTableBytes(HistogramSpec spec) {
    if (spec.getType() != HistogramType.ROIHIST || spec.getLeftEdgesCount() == 0) {
      return 0;
    }
    long span =
        (long) spec.getLeftEdges(spec.getLeftEdgesCount() - 1)
            + spec.getWidth()
            - spec.getLeftEdges(0);
    return 4 * Math.min(Math.max(span, 0), ROI_TABLE_PIXELS);
  }
}
