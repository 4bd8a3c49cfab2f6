package eu.ess.justbinit.histogram;

import eu.ess.justbinit.codec.IntVector;
import eu.ess.justbinit.rpc.HistogramSpec;
import java.util.Arrays;

/**
 * How the events of one histogram type fall into bins. Single writer: only the worker's loop calls
 * {@link #add}, {@link #clear} and {@link #load}; readers call {@link #counts()} from that same
 * thread.
 */
public abstract class Binning {
  /** What the hot loop counts into, in the order it writes fastest (see {@link #counts()}). */
  final long[] bins;

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

  /** Zeroes the counts. */
  public void clear() {
    Arrays.fill(bins, 0);
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
