package eu.ess.justbinit.worker.histogram;

/**
 * Regular bins over [lo, hi] for integer values (times of flight and pixel ids are int32). The
 * published edges are numpy's {@code linspace(lo, hi, n + 1)}: {@code lo + i * ((hi - lo) / n)} in
 * double precision with the last one exactly {@code hi}; bin i holds [edge i, edge i+1) and the
 * last bin also holds the upper edge. For an integer x that is the same as {@code lower[i] <= x <
 * lower[i + 1]} with {@code lower[i] = ceil(edge i)} and {@code lower[n] = floor(edge n) + 1},
 * which is what the binning compares against, so that results agree with the published edges
 * exactly.
 */
final class RegularAxis {
  /** Bounds outside the int range behave like these for every int value. */
  private static final long BELOW_INT = Integer.MIN_VALUE - 1L;

  private static final long ABOVE_INT = Integer.MAX_VALUE + 1L;

  /** Irregular axes over at most this many integers look their bins up in a table. */
  static final long TABLE_LIMIT = 1 << 16;

  /** Spans up to this many values can use the multiply-shift division (dividend below 2^31). */
  private static final long MAGIC_DIVIDEND_LIMIT = 1L << 31;

  private final int bins;
  private final double lo;
  private final double[] edges;
  private final long[] lower;
  private final double scale;
  private final long width;
  private final long magic;
  private final int shift;

  /** bin of first() + d at [d], for irregular axes with a small span; null otherwise. */
  private final int[] table;

  /**
   * @param field the spec field the range comes from, named in the exception
   * @throws IllegalArgumentException when the range is not finite and increasing or bins < 1
   */
  RegularAxis(String field, double lo, double hi, int bins) {
    if (bins < 1) {
      throw new IllegalArgumentException(field + ": needs at least 1 bin, got " + bins);
    }
    if (!(Double.isFinite(lo) && Double.isFinite(hi) && lo < hi)) {
      throw new IllegalArgumentException(
          field + ": must be finite with low < high, got [" + lo + ", " + hi + "]");
    }
    this.bins = bins;
    this.lo = lo;
    edges = new double[bins + 1];
    lower = new long[bins + 1];
    // numpy's linspace multiplies by the step, so an edge may land an ulp off its exact value.
    double step = (hi - lo) / bins;
    for (int i = 0; i < bins; i++) {
      edges[i] = lo + i * step;
      lower[i] = clampToInt(Math.ceil(edges[i]));
    }
    edges[bins] = hi;
    lower[bins] = clampToInt(Math.floor(edges[bins]) + 1);
    scale = bins / (hi - lo);
    width = integerWidth();
    if (width > 0) {
      // Granlund-Montgomery: for 0 <= d < 2^31, l = ceil(log2 w) and m = ceil(2^(31 + l) / w),
      // (d * m) >> (31 + l) == d / w; the product stays below 2^63.
      int l = 64 - Long.numberOfLeadingZeros(width - 1);
      shift = 31 + l;
      magic = ceilDiv(1L << shift, width);
    } else {
      shift = 0;
      magic = 0;
    }
    table = width == 0 && span() <= TABLE_LIMIT ? buildTable() : null;
  }

  private int[] buildTable() {
    int[] t = new int[(int) span()];
    for (int i = 0; i < bins; i++) {
      for (long x = lower[i]; x < lower[i + 1]; x++) {
        t[(int) (x - lower[0])] = i;
      }
    }
    return t;
  }

  /**
   * The common width of all bins when every edge is an integer and the accepted span is small
   * enough for the multiply-shift division; 0 otherwise.
   */
  private long integerWidth() {
    long span = lower[bins] - lower[0];
    if (lower[0] == BELOW_INT || lower[bins] == ABOVE_INT || span > MAGIC_DIVIDEND_LIMIT) {
      return 0;
    }
    if (edges[0] != lower[0] || edges[bins] != lower[bins] - 1) {
      return 0;
    }
    long total = lower[bins] - 1 - lower[0];
    if (total % bins != 0) {
      return 0;
    }
    long w = total / bins;
    for (int i = 0; i <= bins; i++) {
      if (edges[i] != lower[0] + i * w) {
        return 0;
      }
    }
    return w;
  }

  private static long ceilDiv(long a, long b) {
    return -Math.floorDiv(-a, b);
  }

  private static long clampToInt(double v) {
    return (long) Math.max(BELOW_INT, Math.min(ABOVE_INT, v));
  }

  /** The bin table of an irregular axis over a small span (index: x - first()); else null. */
  int[] table() {
    return table;
  }

  int bins() {
    return bins;
  }

  double[] edges() {
    return edges.clone();
  }

  /** The smallest accepted value. */
  long first() {
    return lower[0];
  }

  /** How many consecutive integers from {@link #first()} are accepted. */
  long span() {
    return lower[bins] - lower[0];
  }

  /**
   * Whether {@link #uniformIndex} applies: all edges are integers w apart and the span fits the
   * multiply-shift division.
   */
  boolean uniform() {
    return width > 0;
  }

  long magic() {
    return magic;
  }

  int shift() {
    return shift;
  }

  /**
   * The bin of {@code d = x - first()}, {@code 0 <= d < span()}, on a {@link #uniform()} axis: the
   * division by the width as a multiply and shift; the upper edge itself goes into the last bin.
   */
  static int uniformIndex(long d, long magic, int shift, int lastBin) {
    return Math.min((int) ((d * magic) >>> shift), lastBin);
  }

  /** The bin of an accepted {@code x}: first() <= x < first() + span(). */
  int acceptedIndex(int x) {
    if (width > 0) {
      return uniformIndex(x - lower[0], magic, shift, bins - 1);
    }
    return table != null ? table[(int) (x - lower[0])] : searchIndex(x);
  }

  /**
   * The bin of an accepted {@code x} found from its estimate (x - lo) * n / (hi - lo), corrected
   * against the integer lower bounds; bins narrower than 1 may be empty, hence the loops.
   */
  int searchIndex(int x) {
    int i = (int) ((x - lo) * scale);
    if (i < 0) {
      i = 0;
    } else if (i >= bins) {
      i = bins - 1;
    }
    while (x < lower[i]) {
      i--;
    }
    while (x >= lower[i + 1]) {
      i++;
    }
    return i;
  }

  /** The bin of {@code x}, or -1 when it falls outside the range. */
  int indexOrMinusOne(int x) {
    long d = x - lower[0];
    if (d < 0 || d >= span()) {
      return -1;
    }
    return acceptedIndex(x);
  }
}
