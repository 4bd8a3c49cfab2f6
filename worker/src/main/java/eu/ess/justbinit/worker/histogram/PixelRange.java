package eu.ess.justbinit.worker.histogram;

/** The pixel ids first, first + 1, ..., first + span - 1. */
record PixelRange(long first, long span) {

  /** The integer ids inside [low, high], both ends included. */
  static PixelRange inclusive(double low, double high) {
    if (!(Double.isFinite(low) && Double.isFinite(high) && low <= high)) {
      throw new IllegalArgumentException(
          "det_range: must be finite with low <= high, got [" + low + ", " + high + "]");
    }
    // Ids are int32: clamping keeps the arithmetic exact without changing which ids are inside.
    long first = (long) Math.max(Integer.MIN_VALUE, Math.ceil(low));
    long last = (long) Math.min(Integer.MAX_VALUE, Math.floor(high));
    return new PixelRange(first, Math.max(0, last - first + 1));
  }
}
