package eu.ess.justbinit.worker.histogram;

import eu.ess.justbinit.wire.codec.IntVector;
import eu.ess.justbinit.wire.rpc.HistogramSpec;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

/**
 * roihist: row r holds the pixel ids left_edges[r] + c for c in [0, width); shape [width, rows].
 * Pixel ids from the first row's first pixel to the last row's last pixel are looked up in a table
 * that points either at a bin or at one spare slot for the gaps between rows, so the hot loop has a
 * single range check; counts are kept as [row][column] and laid out as [column][row] when read.
 */
public final class RegionOfInterestBinning extends Binning {
  /** Regions spanning more pixel ids than this find rows by binary search instead of a table. */
  static final int TABLE_LIMIT = 1 << 22;

  private final int width;
  private final int[] leftEdges;
  private final long firstPixel;
  private final long span;
  private final int[] table;

  RegionOfInterestBinning(int[] leftEdges, int width) {
    // rows * width bins, then the spare slot for the pixels between rows.
    super(storage(leftEdges, width) + 1);
    int rows = leftEdges.length;
    this.width = width;
    this.leftEdges = leftEdges.clone();
    this.firstPixel = leftEdges[0];
    this.span = (long) leftEdges[rows - 1] + width - firstPixel;
    this.table = span <= TABLE_LIMIT ? buildTable(rows * width) : null;
  }

  /** The number of bins of a valid region; refuses an invalid one. */
  private static int storage(int[] leftEdges, int width) {
    if (leftEdges.length == 0) {
      throw new IllegalArgumentException("left_edges: needs at least one row");
    }
    positive("width", width);
    for (int r = 1; r < leftEdges.length; r++) {
      if ((long) leftEdges[r] < (long) leftEdges[r - 1] + width) {
        throw new IllegalArgumentException(
            "left_edges: row "
                + r
                + " starts at "
                + leftEdges[r]
                + ", inside row "
                + (r - 1)
                + " ("
                + leftEdges[r - 1]
                + " + width "
                + width
                + "); left edges must increase by at least the width");
      }
    }
    return area("left_edges x width", width, leftEdges.length);
  }

  static RegionOfInterestBinning fromSpec(HistogramSpec spec) {
    List<Integer> edges = spec.getLeftEdgesList();
    int[] leftEdges = new int[edges.size()];
    for (int r = 0; r < leftEdges.length; r++) {
      leftEdges[r] = edges.get(r);
    }
    return new RegionOfInterestBinning(leftEdges, spec.getWidth());
  }

  private int[] buildTable(int spare) {
    int[] t = new int[(int) span];
    Arrays.fill(t, spare);
    for (int r = 0; r < leftEdges.length; r++) {
      int base = (int) (leftEdges[r] - firstPixel);
      for (int c = 0; c < width; c++) {
        t[base + c] = r * width + c;
      }
    }
    return t;
  }

  @Override
  public long add(IntVector timeOfFlight, IntVector pixelId) {
    int n = pixelId.length();
    if (n == 0) {
      return 0;
    }
    return table != null ? addByTable(pixelId, n) : addBySearch(pixelId, n);
  }

  private long addByTable(IntVector pixelId, int n) {
    final long[] c = bins;
    final int[] t = table;
    final ByteBuffer ids = pixelId.buffer();
    final int from = pixelId.byteOffset();
    final int end = from + (n << 2);
    final long first = firstPixel;
    final long spanBiased = span + Long.MIN_VALUE;
    final int spare = c.length - 1;
    final long spareBefore = c[spare];
    long inSpan = 0;
    for (int p = from; p < end; p += 4) {
      long d = ids.getInt(p) - first;
      if (d + Long.MIN_VALUE < spanBiased) {
        c[t[(int) d]]++;
        inSpan++;
      }
    }
    return inSpan - (c[spare] - spareBefore);
  }

  private long addBySearch(IntVector pixelId, int n) {
    final ByteBuffer ids = pixelId.buffer();
    final int from = pixelId.byteOffset();
    long added = 0;
    for (int i = 0; i < n; i++) {
      int id = ids.getInt(from + (i << 2));
      int r = Arrays.binarySearch(leftEdges, id);
      if (r < 0) {
        r = -r - 2;
      }
      if (r >= 0 && (long) id - leftEdges[r] < width) {
        bins[r * width + (id - leftEdges[r])]++;
        added++;
      }
    }
    return added;
  }

  @Override
  public long[] counts() {
    return transposed(leftEdges.length, width);
  }

  @Override
  public int[] shape() {
    return new int[] {width, leftEdges.length};
  }

  @Override
  public double[][] edges() {
    return new double[][] {unitEdges(width), unitEdges(leftEdges.length)};
  }

  @Override
  public void load(long[] rowMajor) {
    loadTransposed(rowMajor, leftEdges.length, width);
    bins[bins.length - 1] = 0;
  }
}
