package eu.ess.justbinit.worker.histogram;

import eu.ess.justbinit.wire.codec.BinnedFrame;
import eu.ess.justbinit.wire.codec.IntVector;
import eu.ess.justbinit.wire.rpc.HistogramSpec;
import java.nio.ByteBuffer;

/**
 * dethist: a width x height detector whose pixel ids start at det_range.low; pixel index p = id -
 * low lies at x = p % width, y = p / width. Counts are kept by pixel index, the order the hot loop
 * writes without a division, and laid out as [x][y] only when read.
 *
 * <p>A da00 frame of width x height columns adds column c, summed over time of flight, to pixel
 * index c (det_range.low plays no part); a frame of any other column count is refused whole.
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
  public boolean addFrame(BinnedFrame frame) {
    frameCounts = 0;
    frameFractions = 0;
    int columns = frame.columns();
    if (columns != bins.length) {
      return false;
    }
    int n = frame.bins();
    if (frame.integerSignal()) {
      for (int c = 0; c < columns; c++) {
        long column = 0;
        for (int b = 0; b < n; b++) {
          column += frame.count(b, c);
        }
        bins[c] += column;
        frameCounts += column;
      }
    } else {
      double[] f = floatingBins();
      for (int c = 0; c < columns; c++) {
        double column = 0;
        for (int b = 0; b < n; b++) {
          column += frame.value(b, c);
        }
        f[c] += column;
        frameFractions += column;
      }
    }
    return true;
  }

  @Override
  public double[] fractions() {
    if (fractions == null) {
      return null;
    }
    double[] out = new double[fractions.length];
    for (int r = 0, p = 0; r < height; r++) {
      for (int c = 0; c < width; c++, p++) {
        out[c * height + r] = fractions[p];
      }
    }
    return out;
  }

  @Override
  public void load(long[] rowMajor, double[] fractionsOrNull) {
    load(rowMajor);
    if (fractionsOrNull == null) {
      fractions = null;
      return;
    }
    if (fractionsOrNull.length != bins.length) {
      throw new IllegalArgumentException(
          "fractions: expected " + bins.length + " values, got " + fractionsOrNull.length);
    }
    double[] f = new double[bins.length];
    for (int r = 0, p = 0; r < height; r++) {
      for (int c = 0; c < width; c++, p++) {
        f[p] = fractionsOrNull[c * height + r];
      }
    }
    fractions = f;
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
