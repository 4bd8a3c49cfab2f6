package eu.ess.justbinit.histogram;

import eu.ess.justbinit.codec.EventMessage;
import eu.ess.justbinit.codec.IntVector;
import eu.ess.justbinit.rpc.HistogramSpec;

/**
 * One histogram: its binning, the source filter, the time window, the state and the statistics.
 * Single writer (the worker's loop).
 *
 * <p>The statistics follow the original's publish bookkeeping: at each publish diff = sum - sum at
 * the previous publish and rate = diff / (last_pulse_time - last_pulse_time at the previous
 * publish) in seconds, 0 when that difference is not positive; a publish where neither sum nor
 * last_pulse_time changed repeats the previous diff and rate. Before the first publish (and after
 * {@link #clear}) the previous values are 0.
 */
public final class Histogram {
  private final Binning binning;
  private final String source;
  private final long startMs;
  private final long stopMs;

  private HistogramState state = HistogramState.INITIALISED;
  private String errorMessage = "";
  private long lastPulseTimeNs;
  private long sum;

  private long publishedSum;
  private long publishedPulseTimeNs;
  private long publishedDiff;
  private double publishedRate;

  /**
   * @param sourceOrNull only messages of this source name count; null (or blank) for all
   * @param startMsOrNull messages with an earlier Kafka timestamp are skipped
   * @param stopMsOrNull a message with a later Kafka timestamp is skipped and finishes the
   *     histogram
   */
  public Histogram(Binning binning, String sourceOrNull, Long startMsOrNull, Long stopMsOrNull) {
    this.binning = binning;
    this.source = sourceOrNull == null || sourceOrNull.isBlank() ? null : sourceOrNull;
    this.startMs = startMsOrNull == null ? Long.MIN_VALUE : startMsOrNull;
    this.stopMs = stopMsOrNull == null ? Long.MAX_VALUE : stopMsOrNull;
  }

  /**
   * The histogram a spec asks for.
   *
   * @throws IllegalArgumentException naming the field when the spec cannot be binned
   */
  public static Histogram forSpec(HistogramSpec spec) {
    return new Histogram(
        Binning.forSpec(spec),
        spec.hasSource() ? spec.getSource() : null,
        spec.hasStartMs() ? spec.getStartMs() : null,
        spec.hasStopMs() ? spec.getStopMs() : null);
  }

  /**
   * Offers one decoded message that arrived with Kafka timestamp {@code timestampMs}: skipped
   * before start, skipped and finishing after stop, else counted when its source matches. A
   * FINISHED or failed histogram takes nothing more.
   */
  public void offer(EventMessage message, long timestampMs) {
    offer(
        message.sourceName(),
        message.pulseTimeNs(),
        message.timeOfFlight(),
        message.pixelId(),
        timestampMs);
  }

  void offer(
      String sourceName,
      long pulseTimeNs,
      IntVector timeOfFlight,
      IntVector pixelId,
      long timestampMs) {
    if (state == HistogramState.FINISHED || state == HistogramState.ERROR) {
      return;
    }
    if (timestampMs < startMs) {
      return;
    }
    if (timestampMs > stopMs) {
      state = HistogramState.FINISHED;
      return;
    }
    state = HistogramState.COUNTING;
    if (source != null && !source.equals(sourceName)) {
      return;
    }
    lastPulseTimeNs = pulseTimeNs;
    sum += binning.add(timeOfFlight, pixelId);
  }

  public HistogramState state() {
    return state;
  }

  /** Empty unless {@link #state()} is ERROR. */
  public String errorMessage() {
    return errorMessage;
  }

  public Binning binning() {
    return binning;
  }

  /** Stopped by command, or the wall clock passed stop: FINISHED (an ERROR stays an ERROR). */
  public void finish() {
    if (state != HistogramState.ERROR) {
      state = HistogramState.FINISHED;
    }
  }

  /** Counting cannot go on: ERROR, with {@code message} as the error_message. */
  public void fail(String message) {
    state = HistogramState.ERROR;
    errorMessage = message;
  }

  /** reset_counts: zeroes the counts and the publish statistics; keeps settings and state. */
  public void clear() {
    binning.clear();
    sum = 0;
    publishedSum = 0;
    publishedPulseTimeNs = 0;
    publishedDiff = 0;
    publishedRate = 0;
  }

  /** The histogram as published now; advances the diff/rate bookkeeping as one publish. */
  public HistogramSnapshot snapshotForPublish() {
    long diff = sum - publishedSum;
    double rate;
    if (diff == 0 && lastPulseTimeNs == publishedPulseTimeNs) {
      diff = publishedDiff;
      rate = publishedRate;
    } else {
      double seconds = (lastPulseTimeNs - publishedPulseTimeNs) / 1e9;
      rate = seconds > 0 ? diff / seconds : 0;
    }
    publishedSum = sum;
    publishedPulseTimeNs = lastPulseTimeNs;
    publishedDiff = diff;
    publishedRate = rate;
    return new HistogramSnapshot(
        binning.counts(),
        binning.shape(),
        binning.edges(),
        state,
        errorMessage,
        lastPulseTimeNs,
        sum,
        diff,
        rate);
  }

  /**
   * Continues from a snapshot of the same spec taken by a worker that has gone: counts, sum,
   * statistics and state as they were right after that publish.
   *
   * @throws IllegalArgumentException when the snapshot's counts do not fit this histogram
   */
  public void restore(HistogramSnapshot snapshot) {
    binning.load(snapshot.counts());
    state = snapshot.state();
    errorMessage = snapshot.errorMessage();
    lastPulseTimeNs = snapshot.lastPulseTimeNs();
    sum = snapshot.sum();
    publishedSum = snapshot.sum();
    publishedPulseTimeNs = snapshot.lastPulseTimeNs();
    publishedDiff = snapshot.diff();
    publishedRate = snapshot.rate();
  }
}
