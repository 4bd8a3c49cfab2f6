package eu.ess.justbinit.histogram;

import eu.ess.justbinit.codec.IntVector;
import eu.ess.justbinit.rpc.HistogramSpec;
import java.nio.ByteBuffer;

/**
 * dethist: a width x height detector whose pixel ids start at det_range.low; pixel index p = id -
 * low lies at x = p % width, y = p / width. Counts are kept by pixel index, the order the hot loop
 * writes without a division, and laid out as [x][y] only when read.
 */
public final class DetectorMapBinning extends Binning {
  private final int width;
  private final int height;
  private final long firstPixel;

  DetectorMapBinning(long firstPixel, int width, int height) {
    super(area("width x height", width, height));
    this.width = width;
    this.height = height;
    this.firstPixel = firstPixel;
  }

  static DetectorMapBinning fromSpec(HistogramSpec spec) {
    if (!spec.hasDetRange()) {
      throw new IllegalArgumentException("det_range: missing");
    }
    double low = spec.getDetRange().getLow();
    if (low != Math.rint(low) || Math.abs(low) > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("det_range: first pixel id must be an int, got " + low);
    }
    int width = positive("width", spec.getWidth());
    int height = positive("height", spec.getHeight());
    return new DetectorMapBinning((long) low, width, height);
  }

  @Override
  public long add(IntVector timeOfFlight, IntVector pixelId) {
    int n = pixelId.length();
    if (n == 0) {
      return 0;
    }
    final long[] c = bins;
    final ByteBuffer ids = pixelId.buffer();
    final int from = pixelId.byteOffset();
    final int end = from + (n << 2);
    final long first = firstPixel;
    final long sizeBiased = c.length + Long.MIN_VALUE;
    long added = 0;
    for (int p = from; p < end; p += 4) {
      long d = ids.getInt(p) - first;
      if (d + Long.MIN_VALUE < sizeBiased) {
        c[(int) d]++;
        added++;
      }
    }
    return added;
  }

  @Override
  public long[] counts() {
    return transposed(height, width);
  }

  @Override
  public int[] shape() {
    return new int[] {width, height};
  }

  @Override
  public double[][] edges() {
    return new double[][] {unitEdges(width), unitEdges(height)};
  }

  @Override
  public void load(long[] rowMajor) {
    loadTransposed(rowMajor, height, width);
  }
}
