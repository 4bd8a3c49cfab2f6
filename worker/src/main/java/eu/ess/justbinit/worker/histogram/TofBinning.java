package eu.ess.justbinit.worker.histogram;

import eu.ess.justbinit.wire.codec.BinnedFrame;
import eu.ess.justbinit.wire.codec.IntVector;
import eu.ess.justbinit.wire.rpc.HistogramSpec;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * hist1d: time of flight over tof_range, optionally only for pixel ids inside det_range.
 *
 * <p>A da00 frame adds the sum of its columns (those inside det_range, taken as raw column indexes,
 * when it is set), rebinned onto this histogram's edges by fractional overlap: with C(x) the
 * frame's cumulative count, linear inside each of its bins, bin j gains C(edge j+1) - C(edge j).
 * When the signal is integer and every edge of ours strictly inside the frame's range is one of its
 * edges, that is a whole count per bin and the frame adds as integers; otherwise it adds fractions.
 */
public final class TofBinning extends Binning {
  private final RegularAxis tof;
  private final PixelRange pixels;
  private final double[] edges;

  // Per-frame work arrays, grown to the largest frame and reused.
  private long[] wholeSums = new long[0];
  private double[] sums = new double[0];
  private double[] cumulative = new double[0];

  TofBinning(RegularAxis tof, PixelRange pixelsOrNull) {
    super(tof.bins());
    this.tof = tof;
    this.pixels = pixelsOrNull;
    this.edges = tof.edges();
  }

  static TofBinning fromSpec(HistogramSpec spec) {
    if (!spec.hasTofRange()) {
      throw new IllegalArgumentException("tof_range: missing");
    }
    RegularAxis tof =
        new RegularAxis(
            "tof_range",
            spec.getTofRange().getLow(),
            spec.getTofRange().getHigh(),
            positive("num_bins", spec.getTofBins()));
    PixelRange pixels =
        spec.hasDetRange()
            ? PixelRange.inclusive(spec.getDetRange().getLow(), spec.getDetRange().getHigh())
            : null;
    return new TofBinning(tof, pixels);
  }

  @Override
  public long add(IntVector timeOfFlight, IntVector pixelId) {
    if (pixels != null) {
      int n = pairedLength(timeOfFlight, pixelId);
      return n == 0 ? 0 : addInPixelRange(timeOfFlight, pixelId, n);
    }
    int n = timeOfFlight.length();
    if (n == 0) {
      return 0;
    }
    ByteBuffer buffer = timeOfFlight.buffer();
    int from = timeOfFlight.byteOffset();
    return tof.uniform() ? addUniform(buffer, from, n) : addGeneral(buffer, from, n);
  }

  private long addUniform(ByteBuffer buffer, int from, int n) {
    final long[] c = bins;
    final long first = tof.first();
    final long spanBiased = tof.span() + Long.MIN_VALUE;
    final long magic = tof.magic();
    final int shift = tof.shift();
    final int lastBin = c.length - 1;
    final int end = from + (n << 2);
    long added = 0;
    for (int p = from; p < end; p += 4) {
      long d = buffer.getInt(p) - first;
      if (d + Long.MIN_VALUE < spanBiased) {
        c[RegularAxis.uniformIndex(d, magic, shift, lastBin)]++;
        added++;
      }
    }
    return added;
  }

  private long addGeneral(ByteBuffer buffer, int from, int n) {
    final long[] c = bins;
    final RegularAxis axis = tof;
    final long first = axis.first();
    final long spanBiased = axis.span() + Long.MIN_VALUE;
    final int end = from + (n << 2);
    long added = 0;
    for (int p = from; p < end; p += 4) {
      int x = buffer.getInt(p);
      if (x - first + Long.MIN_VALUE < spanBiased) {
        c[axis.searchIndex(x)]++;
        added++;
      }
    }
    return added;
  }

  private long addInPixelRange(IntVector timeOfFlight, IntVector pixelId, int n) {
    final long[] c = bins;
    final RegularAxis axis = tof;
    final ByteBuffer tofs = timeOfFlight.buffer();
    final ByteBuffer ids = pixelId.buffer();
    final int tofFrom = timeOfFlight.byteOffset();
    final int idFrom = pixelId.byteOffset();
    final long first = axis.first();
    final long spanBiased = axis.span() + Long.MIN_VALUE;
    final long pixelFirst = pixels.first();
    final long pixelSpanBiased = pixels.span() + Long.MIN_VALUE;
    long added = 0;
    for (int i = 0; i < n; i++) {
      int x = tofs.getInt(tofFrom + (i << 2));
      long pixel = ids.getInt(idFrom + (i << 2)) - pixelFirst;
      if (x - first + Long.MIN_VALUE < spanBiased && pixel + Long.MIN_VALUE < pixelSpanBiased) {
        c[axis.acceptedIndex(x)]++;
        added++;
      }
    }
    return added;
  }

  @Override
  public boolean addFrame(BinnedFrame frame) {
    frameCounts = 0;
    frameFractions = 0;
    int n = frame.bins();
    if (sums.length < n) {
      wholeSums = new long[n];
      sums = new double[n];
      cumulative = new double[n + 1];
    }
    boolean integer = frame.integerSignal();
    sumColumns(frame, n, integer);
    if (integer && aligned(frame, n)) {
      addAligned(frame, n);
    } else {
      addOverlaps(frame, n);
    }
    return true;
  }

  /** Sums the kept columns per frame bin into wholeSums (integer signal) or sums. */
  private void sumColumns(BinnedFrame frame, int n, boolean integer) {
    Arrays.fill(wholeSums, 0, n, 0);
    Arrays.fill(sums, 0, n, 0);
    int columns = frame.columns();
    for (int c = 0; c < columns; c++) {
      if (pixels != null && (c - pixels.first() < 0 || c - pixels.first() >= pixels.span())) {
        continue;
      }
      for (int b = 0; b < n; b++) {
        if (integer) {
          wholeSums[b] += frame.count(b, c);
        } else {
          sums[b] += frame.value(b, c);
        }
      }
    }
    if (integer) {
      for (int b = 0; b < n; b++) {
        sums[b] = wholeSums[b];
      }
    }
  }

  /** Whether every edge of ours strictly inside the frame's range is one of the frame's edges. */
  private boolean aligned(BinnedFrame frame, int n) {
    double low = frame.edge(0);
    double high = frame.edge(n);
    int i = 0;
    for (double edge : edges) {
      if (edge <= low || edge >= high) {
        continue;
      }
      while (frame.edge(i) < edge) {
        i++;
      }
      if (frame.edge(i) != edge) {
        return false;
      }
    }
    return true;
  }

  /** Aligned: each frame bin lies inside one bin of ours or outside the range, whole. */
  private void addAligned(BinnedFrame frame, int n) {
    int j = 0;
    int last = edges.length - 1;
    for (int i = 0; i < n; i++) {
      double from = frame.edge(i);
      double to = frame.edge(i + 1);
      if (from < edges[0] || to > edges[last] || wholeSums[i] == 0) {
        continue;
      }
      while (j < last - 1 && edges[j + 1] <= from) {
        j++;
      }
      bins[j] += wholeSums[i];
      frameCounts += wholeSums[i];
    }
  }

  /** Unaligned or floating: each frame bin shared in proportion to its overlap, as fractions. */
  private void addOverlaps(BinnedFrame frame, int n) {
    cumulative[0] = 0;
    for (int i = 0; i < n; i++) {
      cumulative[i + 1] = cumulative[i] + sums[i];
    }
    double[] f = floatingBins();
    int i = 0;
    double previous = cumulativeAt(frame, n, edges[0], 0);
    for (int j = 0; j < f.length; j++) {
      double x = edges[j + 1];
      while (i < n - 1 && frame.edge(i + 1) <= x) {
        i++;
      }
      double next = cumulativeAt(frame, n, x, i);
      double gain = next - previous;
      f[j] += gain;
      frameFractions += gain;
      previous = next;
    }
  }

  /** C(x): 0 at and below the first edge, the total at and above the last, linear in between. */
  private double cumulativeAt(BinnedFrame frame, int n, double x, int from) {
    if (n == 0 || x <= frame.edge(0)) {
      return 0;
    }
    if (x >= frame.edge(n)) {
      return cumulative[n];
    }
    int i = from;
    while (frame.edge(i + 1) <= x) {
      i++;
    }
    double lo = frame.edge(i);
    double hi = frame.edge(i + 1);
    return cumulative[i] + sums[i] * ((x - lo) / (hi - lo));
  }

  @Override
  public int[] shape() {
    return new int[] {bins.length};
  }

  @Override
  public double[][] edges() {
    return new double[][] {tof.edges()};
  }
}
