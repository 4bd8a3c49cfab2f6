package eu.ess.justbinit.worker.histogram;

import eu.ess.justbinit.wire.codec.BinnedFrame;
import eu.ess.justbinit.wire.codec.IntVector;
import eu.ess.justbinit.wire.rpc.HistogramSpec;
import java.util.Arrays;

/**
 * How the events of one histogram type fall into bins, and the frames of pre-binned data (da00) of
 * the types that take them. Single writer: only the worker's loop calls {@link #add}, {@link
 * #addFrame}, {@link #clear} and {@link #load}; readers call {@link #counts()} from that same
 * thread.
 *
 * <p>A histogram is integer until a frame adds a fraction (unaligned rebinning or a floating
 * signal): from then on it is floating until {@link #clear}. Its integer part stays in the counts,
 * which events keep incrementing as before, and the fractions are kept beside them; a bin holds
 * count + fraction.
 */
public abstract class Binning {
  /** What the hot loop counts into, in the order it writes fastest (see {@link #counts()}). */
  final long[] bins;

  /** What each bin holds on top of its count, laid out as {@link #bins}; null while integer. */
  double[] fractions;

  /** What the last {@link #addFrame} added: whole counts, and fractions (floating frames). */
  long frameCounts;

  double frameFractions;

  Binning(int storage) {
    bins = new long[storage];
  }

  /**
   * The binning a spec asks for.
   *
   * @throws IllegalArgumentException naming the field when the spec cannot be binned
   */
  public static Binning forSpec(HistogramSpec spec) {
    switch (spec.getType()) {
      case HIST1D:
        return TofBinning.fromSpec(spec);
      case HIST2D:
        return TofDetectorBinning.fromSpec(spec);
      case DETHIST:
        return DetectorMapBinning.fromSpec(spec);
      case ROIHIST:
        return RegionOfInterestBinning.fromSpec(spec);
      default:
        throw new IllegalArgumentException("type: unknown histogram type " + spec.getType());
    }
  }

  /**
   * Adds one message's events. A type that needs a vector the message lacks (empty) adds nothing.
   *
   * @return the number of events that fell into a bin
   */
  public abstract long add(IntVector timeOfFlight, IntVector pixelId);

  /**
   * Adds one pre-binned frame; what it added is then in {@link #frameCounts} and {@link
   * #frameFractions}. Types without a da00 path (hist2d, roihist) take none.
   *
   * @return false when this histogram cannot use the frame: nothing was added
   */
  public boolean addFrame(BinnedFrame frame) {
    frameCounts = 0;
    frameFractions = 0;
    return false;
  }

  /** Whether a fraction was added since the last {@link #clear}. */
  public boolean floating() {
    return fractions != null;
  }

  /** The fractions start at 0 in every bin: the histogram is floating from now on. */
  final double[] floatingBins() {
    if (fractions == null) {
      fractions = new double[bins.length];
    }
    return fractions;
  }

  /** A copy of the fractions laid out as {@link #counts()}, or null while integer. */
  public double[] fractions() {
    return fractions == null ? null : fractions.clone();
  }

  /**
   * A copy of the counts, row-major over {@link #shape()}: index = x * ny + y. (Some types keep
   * them in another order internally, the one their hot loop writes fastest.)
   */
  public long[] counts() {
    return bins.clone();
  }

  /** The histogram's current_shape. */
  public abstract int[] shape();

  /** Bin boundaries per axis, length shape[i] + 1 each. */
  public abstract double[][] edges();

  /** Zeroes the counts; the histogram is integer again. */
  public void clear() {
    Arrays.fill(bins, 0);
    fractions = null;
  }

  /**
   * Replaces the counts with {@code rowMajor}, laid out as {@link #counts()} returns them.
   *
   * @throws IllegalArgumentException when the length does not match the shape
   */
  public void load(long[] rowMajor) {
    checkLength(rowMajor, bins.length);
    System.arraycopy(rowMajor, 0, bins, 0, bins.length);
  }

  /**
   * Replaces the counts and the fractions (null: integer) with arrays laid out as {@link #counts()}
   * and {@link #fractions()} return them.
   *
   * @throws IllegalArgumentException when a length does not match the shape
   */
  public void load(long[] rowMajor, double[] fractionsOrNull) {
    load(rowMajor);
    if (fractionsOrNull == null) {
      fractions = null;
    } else {
      if (fractionsOrNull.length != bins.length) {
        throw new IllegalArgumentException(
            "fractions: expected " + bins.length + " values, got " + fractionsOrNull.length);
      }
      fractions = fractionsOrNull.clone();
    }
  }

  /**
   * The first rows * columns bins, kept as [row][column], laid out as [column][row]: the detector
   * maps count by pixel (row = y) and publish [x][y].
   */
  final long[] transposed(int rows, int columns) {
    long[] out = new long[rows * columns];
    for (int r = 0, p = 0; r < rows; r++) {
      for (int c = 0; c < columns; c++, p++) {
        out[c * rows + r] = bins[p];
      }
    }
    return out;
  }

  /** The inverse of {@link #transposed}. */
  final void loadTransposed(long[] columnMajor, int rows, int columns) {
    checkLength(columnMajor, rows * columns);
    for (int r = 0, p = 0; r < rows; r++) {
      for (int c = 0; c < columns; c++, p++) {
        bins[p] = columnMajor[c * rows + r];
      }
    }
  }

  /** The number of bins, the product of {@link #shape()}. */
  public int size() {
    int size = 1;
    for (int n : shape()) {
      size *= n;
    }
    return size;
  }

  static void checkLength(long[] rowMajor, int size) {
    if (rowMajor.length != size) {
      throw new IllegalArgumentException(
          "counts: expected " + size + " values, got " + rowMajor.length);
    }
  }

  /** Boundaries 0, 1, ..., n: the pixel axes of the detector maps. */
  static double[] unitEdges(int n) {
    double[] edges = new double[n + 1];
    for (int i = 0; i <= n; i++) {
      edges[i] = i;
    }
    return edges;
  }

  /** Number of events a message offers for two vectors that must be read together. */
  static int pairedLength(IntVector a, IntVector b) {
    return Math.min(a.length(), b.length());
  }

  /** An int from the spec that must be at least 1. */
  static int positive(String field, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(field + ": must be at least 1, got " + value);
    }
    return value;
  }

  /** Bins of a rectangle, refusing sizes that do not fit one Java array. */
  static int area(String what, int nx, int ny) {
    long area = (long) nx * ny;
    if (area > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(what + ": " + nx + " x " + ny + " bins is too many");
    }
    return (int) area;
  }
}
