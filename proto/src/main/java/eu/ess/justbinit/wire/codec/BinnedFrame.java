package eu.ess.justbinit.wire.codec;

import java.nio.ByteBuffer;

/**
 * One pre-binned time-of-flight frame read from a da00 DataArray: its {@code signal} seen as bins
 * along {@code frame_time} by columns (every other axis, flattened row-major), and the bin edges in
 * ns. A flyweight: {@link FrameDecoder} refills the same instance for every message and the signal
 * is read in place, so nothing here is valid after the next decode or once the buffer is reused.
 */
public final class BinnedFrame {
  private String sourceName = "";
  private long timestampNs;
  private ByteBuffer buffer;
  private Da00Type type;
  private int data;
  private int bins;
  private int columns;
  private int inner;
  private double[] edges = new double[0];

  /** The DataArray's source_name. */
  public String sourceName() {
    return sourceName;
  }

  /** The DataArray's timestamp (ns since epoch): the frame's pulse time. */
  public long timestampNs() {
    return timestampNs;
  }

  /** Number of time-of-flight bins: the signal's extent along frame_time. */
  public int bins() {
    return bins;
  }

  /** Number of columns: the product of the signal's other extents (1 for a 1-D signal). */
  public int columns() {
    return columns;
  }

  /** Edge {@code i} (ns), 0 <= i <= bins(); strictly increasing. */
  public double edge(int i) {
    return edges[i];
  }

  /** Whether the signal's element type is an integer type. */
  public boolean integerSignal() {
    return type.isInteger();
  }

  /** The signal's element type. */
  public Da00Type signalType() {
    return type;
  }

  /** The signal in {@code bin} of {@code column}, for an {@link #integerSignal()}. */
  public long count(int bin, int column) {
    return type.longAt(buffer, data, index(bin, column));
  }

  /** The signal in {@code bin} of {@code column} as a double. */
  public double value(int bin, int column) {
    return type.doubleAt(buffer, data, index(bin, column));
  }

  private int index(int bin, int column) {
    if (inner == 1) {
      return column * bins + bin;
    }
    return (column / inner) * bins * inner + bin * inner + column % inner;
  }

  void fill(
      String sourceName,
      long timestampNs,
      ByteBuffer buffer,
      Da00Type type,
      int data,
      int bins,
      int columns,
      int inner) {
    this.sourceName = sourceName;
    this.timestampNs = timestampNs;
    this.buffer = buffer;
    this.type = type;
    this.data = data;
    this.bins = bins;
    this.columns = columns;
    this.inner = inner;
  }

  /** The decoder's edge array, at least {@code length} long; reused while large enough. */
  double[] edges(int length) {
    if (edges.length < length) {
      edges = new double[length];
    }
    return edges;
  }
}
