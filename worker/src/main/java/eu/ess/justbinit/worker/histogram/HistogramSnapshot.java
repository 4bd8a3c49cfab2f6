package eu.ess.justbinit.worker.histogram;

import eu.ess.justbinit.wire.codec.HistogramInfo;
import eu.ess.justbinit.wire.rpc.HistogramSpec;
import eu.ess.justbinit.wire.rpc.HistogramState;

/**
 * One publish of a histogram: what the hs01 message and its info carry, and everything {@link
 * Histogram#restore} needs for a restarted worker to continue exactly. The arrays are the
 * snapshot's own (nobody else writes them); callers must not modify them.
 */
public final class HistogramSnapshot {
  private final long[] counts;
  private final double[] fractions;
  private final int[] shape;
  private final double[][] edges;
  private final HistogramState state;
  private final String errorMessage;
  private final long lastPulseTimeNs;
  private final long sum;
  private final long diff;
  private final double rate;
  private final Partitions partitions;
  private final double fractionalSum;
  private final double floatingDiff;

  /**
   * Per partition the data came from, in the histogram's numbering: whether it had ended, the
   * counts it added since the last reset, and the pulse time of its last counted message. Empty
   * arrays: not known (a snapshot made from a checkpoint, whose partitions are matched by name).
   */
  @SuppressWarnings("ArrayRecordComponent") // a snapshot's arrays are its own, never modified
  public record Partitions(boolean[] ended, long[] sums, long[] pulseTimesNs) {
    public static final Partitions UNKNOWN =
        new Partitions(new boolean[0], new long[0], new long[0]);
  }

  /**
   * @param counts row-major over shape, as {@link Binning#counts()}
   * @param errorMessage empty unless state is ERROR
   * @param partitions {@link Partitions#UNKNOWN} when not known
   */
  public HistogramSnapshot(
      long[] counts,
      int[] shape,
      double[][] edges,
      HistogramState state,
      String errorMessage,
      long lastPulseTimeNs,
      long sum,
      long diff,
      double rate,
      Partitions partitions) {
    this(
        counts,
        null,
        shape,
        edges,
        state,
        errorMessage,
        lastPulseTimeNs,
        sum,
        diff,
        rate,
        partitions,
        0,
        0);
  }

  /**
   * @param fractions null for an integer histogram; else what each bin holds on top of its count,
   *     laid out as {@code counts}
   * @param fractionalSum the sum of the fractions
   * @param floatingDiff a floating histogram's diff
   */
  public HistogramSnapshot(
      long[] counts,
      double[] fractions,
      int[] shape,
      double[][] edges,
      HistogramState state,
      String errorMessage,
      long lastPulseTimeNs,
      long sum,
      long diff,
      double rate,
      Partitions partitions,
      double fractionalSum,
      double floatingDiff) {
    this.counts = counts;
    this.fractions = fractions;
    this.fractionalSum = fractionalSum;
    this.floatingDiff = floatingDiff;
    this.shape = shape;
    this.edges = edges;
    this.state = state;
    this.errorMessage = errorMessage;
    this.lastPulseTimeNs = lastPulseTimeNs;
    this.sum = sum;
    this.diff = diff;
    this.rate = rate;
    this.partitions = partitions;
  }

  /** Row-major over {@link #shape()}: index = x * ny + y. Shared: do not modify. */
  public long[] counts() {
    return counts;
  }

  /** What each bin holds on top of its count, null while integer. Shared: do not modify. */
  public double[] fractions() {
    return fractions;
  }

  /** Whether the histogram holds fractions: it is published as doubles. */
  public boolean floating() {
    return fractions != null;
  }

  /** count + fraction per bin, row-major (a new array), for a floating histogram; else null. */
  public double[] values() {
    if (fractions == null) {
      return null;
    }
    double[] values = new double[counts.length];
    for (int i = 0; i < values.length; i++) {
      values[i] = counts[i] + fractions[i];
    }
    return values;
  }

  /** The sum of the fractions (0 while integer); the total is sum() + fractionalSum(). */
  public double fractionalSum() {
    return fractionalSum;
  }

  /** A floating histogram's diff: counts and fractions added since the previous publish. */
  public double floatingDiff() {
    return floatingDiff;
  }

  /** The current_shape. Shared: do not modify. */
  public int[] shape() {
    return shape;
  }

  /** Bin boundaries per axis, shape[i] + 1 each. Shared: do not modify. */
  public double[][] edges() {
    return edges;
  }

  public HistogramState state() {
    return state;
  }

  /** Empty unless {@link #state()} is ERROR. */
  public String errorMessage() {
    return errorMessage;
  }

  /** Pulse time of the last message counted (0 when none): the info's last_pulse_time. */
  public long lastPulseTimeNs() {
    return lastPulseTimeNs;
  }

  /** Total counts. */
  public long sum() {
    return sum;
  }

  /** Counts added since the previous publish (kept from it when nothing new arrived). */
  public long diff() {
    return diff;
  }

  /** diff per second of pulse time since the previous publish. */
  public double rate() {
    return rate;
  }

  /** Per partition: ended, counts added and last pulse time. Shared: do not modify. */
  public Partitions partitions() {
    return partitions;
  }

  /**
   * The info JSON published with this snapshot, in the form {@link HistogramInfo} writes for the
   * workers and the controller alike.
   *
   * @param publishRefusal why the last publish did not reach the broker, empty when it did: the
   *     info's error_message when the histogram has none of its own
   */
  public String info(HistogramSpec spec, long skippedMessages, String publishRefusal) {
    String message = errorMessage.isEmpty() ? publishRefusal : errorMessage;
    if (floating()) {
      return HistogramInfo.jsonFloating(
          spec,
          state.name(),
          lastPulseTimeNs,
          sum + fractionalSum,
          floatingDiff,
          rate,
          skippedMessages,
          message);
    }
    return HistogramInfo.json(
        spec, state.name(), lastPulseTimeNs, sum, diff, rate, skippedMessages, message);
  }
}
