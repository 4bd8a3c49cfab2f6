package eu.ess.justbinit.histogram;

import eu.ess.justbinit.codec.IntVector;
import eu.ess.justbinit.rpc.HistogramSpec;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * dethist: a width x height detector whose pixel ids start at det_range.low; pixel index p = id -
 * low lies at x = p % width, y = p / width. Counts are kept by pixel index, the order the hot loop
 * writes without a division, and laid out as [x][y] only when read.
 */
public final class DetectorMapBinning extends Binning {
  private final int width;
  private final int height;
  private final long firstPixel;
  private final long[] byPixel;

  DetectorMapBinning(long firstPixel, int width, int height) {
    this.width = width;
    this.height = height;
    this.firstPixel = firstPixel;
    this.byPixel = new long[area("width x height", width, height)];
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
    final long[] c = byPixel;
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
    long[] rowMajor = new long[byPixel.length];
    for (int y = 0, p = 0; y < height; y++) {
      for (int x = 0; x < width; x++, p++) {
        rowMajor[x * height + y] = byPixel[p];
      }
    }
    return rowMajor;
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
  public void clear() {
    Arrays.fill(byPixel, 0);
  }

  @Override
  public void load(long[] rowMajor) {
    checkLength(rowMajor, byPixel.length);
    for (int y = 0, p = 0; y < height; y++) {
      for (int x = 0; x < width; x++, p++) {
        byPixel[p] = rowMajor[x * height + y];
      }
    }
  }
}
