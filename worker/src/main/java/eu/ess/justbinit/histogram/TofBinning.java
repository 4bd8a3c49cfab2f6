package eu.ess.justbinit.histogram;

import eu.ess.justbinit.codec.IntVector;
import eu.ess.justbinit.rpc.HistogramSpec;
import java.nio.ByteBuffer;

/** hist1d: time of flight over tof_range, optionally only for pixel ids inside det_range. */
public final class TofBinning extends Binning {
  private final RegularAxis tof;
  private final PixelRange pixels;

  TofBinning(RegularAxis tof, PixelRange pixelsOrNull) {
    super(tof.bins());
    this.tof = tof;
    this.pixels = pixelsOrNull;
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
  public int[] shape() {
    return new int[] {bins.length};
  }

  @Override
  public double[][] edges() {
    return new double[][] {tof.edges()};
  }
}
