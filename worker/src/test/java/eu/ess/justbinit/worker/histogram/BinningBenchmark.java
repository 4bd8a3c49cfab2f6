package eu.ess.justbinit.worker.histogram;

import eu.ess.justbinit.wire.codec.IntVector;
import eu.ess.justbinit.wire.rpc.HistogramSpec;
import eu.ess.justbinit.wire.rpc.HistogramType;
import eu.ess.justbinit.wire.rpc.Range;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Events per second through {@link Binning#add}, one message per operation. Run by
 * scripts/bench-engine (never by the tests): the score is millions of events per second.
 *
 * <p>Data: times of flight Gaussian around 5e7 ns (sigma 1.5e7) drawn again until inside [0, 1e8);
 * pixel ids uniform in [1, 6144].
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class BinningBenchmark {

  /** type:bins, the bins as the type counts them (hist2d tof x det, dethist width x height). */
  @Param({
    "hist1d:50",
    "hist1d:1000",
    "hist1d:100000",
    "hist2d:5x10",
    "hist2d:25x40",
    "hist2d:100x100",
    "hist2d:250x400",
    "hist2d:4096x4096",
    "dethist:5x10",
    "dethist:25x40",
    "dethist:32x192",
    "dethist:250x400",
    "dethist:1000x1000",
    "roihist:5x10",
    "roihist:16x16",
    "roihist:25x40",
    "roihist:100x1000"
  })
  public String histogram;

  @Param({"1000", "100000"})
  public int events;

  private static final int MESSAGES = 4;

  private Binning binning;
  private IntVector[] tofs;
  private IntVector[] pixels;
  private int next;
  private long calls;

  /** Reads the CPU clock about every million events: often enough, rarely enough to not cost. */
  private long cpuUpdateMask;

  @Setup(Level.Trial)
  public void setUp() {
    binning = Binning.forSpec(spec(histogram));
    cpuUpdateMask = Long.highestOneBit(Math.max(1, 1_000_000 / events)) * 2 - 1;
    SplittableRandom random = new SplittableRandom(42);
    tofs = new IntVector[MESSAGES];
    pixels = new IntVector[MESSAGES];
    for (int m = 0; m < MESSAGES; m++) {
      int[] tof = new int[events];
      int[] pixel = new int[events];
      for (int i = 0; i < events; i++) {
        tof[i] = gaussianTof(random);
        pixel[i] = 1 + random.nextInt(6144);
      }
      tofs[m] = IntVector.of(tof);
      pixels[m] = IntVector.of(pixel);
    }
  }

  private static int gaussianTof(SplittableRandom random) {
    while (true) {
      double u = random.nextDouble();
      double v = random.nextDouble();
      double g = Math.sqrt(-2 * Math.log1p(-u)) * Math.cos(2 * Math.PI * v);
      double tof = 5e7 + 1.5e7 * g;
      if (tof >= 0 && tof < 1e8) {
        return (int) tof;
      }
    }
  }

  static HistogramSpec spec(String histogram) {
    int colon = histogram.indexOf(':');
    String type = histogram.substring(0, colon);
    String bins = histogram.substring(colon + 1);
    int x = bins.indexOf('x');
    int a = Integer.parseInt(x < 0 ? bins : bins.substring(0, x));
    int b = x < 0 ? 1 : Integer.parseInt(bins.substring(x + 1));
    HistogramSpec.Builder spec = HistogramSpec.newBuilder();
    Range tofRange = Range.newBuilder().setLow(0).setHigh(1e8).build();
    Range pixelRange = Range.newBuilder().setLow(1).setHigh(6144).build();
    switch (type) {
      case "hist1d" -> spec.setType(HistogramType.HIST1D).setTofRange(tofRange).setTofBins(a);
      case "hist2d" ->
          spec.setType(HistogramType.HIST2D)
              .setTofRange(tofRange)
              .setDetRange(pixelRange)
              .setTofBins(a)
              .setDetBins(b);
      case "dethist" ->
          spec.setType(HistogramType.DETHIST).setDetRange(pixelRange).setWidth(a).setHeight(b);
      case "roihist" -> {
        // b rows of a pixels, each row starting 2a (at least 32) ids after the previous one.
        int stride = Math.max(32, 2 * a);
        spec.setType(HistogramType.ROIHIST).setWidth(a);
        for (int r = 0; r < b; r++) {
          spec.addLeftEdges(1 + a / 2 + r * stride);
        }
      }
      default -> throw new IllegalArgumentException(histogram);
    }
    return spec.build();
  }

  /**
   * The CPU time this thread got during an iteration (other processes share the cores), so that
   * events per CPU second can be reported beside events per wall-clock second.
   */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class CpuTime {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** CPU nanoseconds of the iteration; JMH sums it over the iteration like an event count. */
    public long cpuNanos;

    private long iterationStart;

    @Setup(Level.Iteration)
    public void begin() {
      cpuNanos = 0;
      iterationStart = THREADS.getCurrentThreadCpuTime();
    }

    void update() {
      cpuNanos = THREADS.getCurrentThreadCpuTime() - iterationStart;
    }
  }

  /** One message; the primary score is messages per second (times events: events per second). */
  @Benchmark
  public long addMessage(CpuTime cpu) {
    int m = next;
    next = (m + 1) & (MESSAGES - 1);
    long added = binning.add(tofs[m], pixels[m]);
    if ((++calls & cpuUpdateMask) == 0) {
      cpu.update();
    }
    return added;
  }
}
