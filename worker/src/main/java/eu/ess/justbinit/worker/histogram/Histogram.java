package eu.ess.justbinit.worker.histogram;

import eu.ess.justbinit.wire.codec.BinnedFrame;
import eu.ess.justbinit.wire.codec.EventMessage;
import eu.ess.justbinit.wire.codec.IntVector;
import eu.ess.justbinit.wire.rpc.HistogramSpec;
import eu.ess.justbinit.wire.rpc.HistogramState;
import java.util.Arrays;

/**
 * One histogram: its binning, the source filter, the time window, the state and the statistics.
 * Single writer (the worker's loop).
 *
 * <p>The data arrive from one or more partitions (of one or more topics), numbered 0 to {@link
 * #partitions()} - 1; a histogram that is never told otherwise reads one. The time window is judged
 * per partition: a message after stop ends its partition, which offers nothing more (everything
 * after it on that partition is skipped), and the histogram is FINISHED when every partition has
 * ended, whatever the order in which the partitions' messages were interleaved.
 *
 * <p>The statistics follow the original's publish bookkeeping, per partition: at each publish diff
 * = sum - sum at the previous publish; a partition's rate is the counts it added since the previous
 * publish divided by how far its own pulse time advanced (in seconds; 0 when it did not advance),
 * and rate is the sum of the partitions' rates. last_pulse_time is the latest of the partitions'
 * last counted pulse times. A publish where neither sum nor last_pulse_time changed repeats the
 * previous diff and rate. Before the first publish (and after {@link #clear}) the previous values
 * are 0. With one partition all this is the original's bookkeeping.
 *
 * <p>A floating histogram (see {@link Binning}) keeps its sum as the whole counts plus the sum of
 * the fractions, and its diff as a double; its rate counts the fractions too.
 */
public final class Histogram {
  private final Binning binning;
  private final String source;
  private final long startMs;
  private final long stopMs;

  private HistogramState state = HistogramState.INITIALISED;
  private String errorMessage = "";
  private long sum;
  private double fractionalSum;

  private long publishedSum;
  private double publishedFractionalSum;
  private double publishedFloatingDiff;
  private long publishedPulseTimeNs;
  private long publishedDiff;
  private double publishedRate;

  /** Per partition: no more is read from it. */
  private boolean[] ended = new boolean[1];

  /** How many partitions have not ended. */
  private int open = 1;

  /** Per partition: the counts it added since the last clear. */
  private long[] partitionSums = new long[1];

  /** Per partition: the pulse time of the last message counted from it, 0 when none. */
  private long[] partitionPulseTimesNs = new long[1];

  private long[] publishedPartitionSums = new long[1];

  /**
   * Per partition: the fractions it added, counted from the last clear or resume (only the
   * difference to the published value is ever used).
   */
  private double[] partitionFractions = new double[1];

  private double[] publishedPartitionFractions = new double[1];
  private long[] publishedPartitionPulseTimesNs = new long[1];

  /**
   * @param sourceOrNull only messages of this source name count; null (or blank) for all
   * @param startMsOrNull messages with an earlier Kafka timestamp are skipped
   * @param stopMsOrNull a message with a later Kafka timestamp is skipped and ends its partition
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
   * From now on the data come from {@code count} partitions, none ended, none counted from yet (sum
   * and counts stay). Called once the partitions are known, before the first offer; a resumed
   * histogram then gets each partition's progress with {@link #resumePartition}. With no partition
   * at all nothing ends the histogram but {@link #finish}.
   */
  public void readPartitions(int count) {
    ended = new boolean[count];
    open = count;
    partitionSums = new long[count];
    partitionPulseTimesNs = new long[count];
    publishedPartitionSums = new long[count];
    partitionFractions = new double[count];
    publishedPartitionFractions = new double[count];
    publishedPartitionPulseTimesNs = new long[count];
  }

  /**
   * Continues partition {@code partition} as a checkpoint left it: whether it had ended, the counts
   * it added and the pulse time of its last counted message, both as of that checkpoint's publish.
   */
  public void resumePartition(int partition, boolean hasEnded, long counted, long pulseTimeNs) {
    partitionSums[partition] = counted;
    publishedPartitionSums[partition] = counted;
    partitionPulseTimesNs[partition] = pulseTimeNs;
    publishedPartitionPulseTimesNs[partition] = pulseTimeNs;
    if (hasEnded) {
      endPartition(partition);
    }
  }

  /** How many partitions the data come from. */
  public int partitions() {
    return ended.length;
  }

  /** How many partitions have not ended. */
  public int openPartitions() {
    return open;
  }

  /** Whether nothing more is taken from {@code partition}. */
  public boolean hasEnded(int partition) {
    return ended[partition];
  }

  /**
   * Nothing more is taken from {@code partition} (a message after stop came from it, or it was
   * caught up with the clock past stop); when it was the last one not ended, FINISHED.
   */
  public void endPartition(int partition) {
    if (ended[partition]) {
      return;
    }
    ended[partition] = true;
    open--;
    if (open == 0) {
      finish();
    }
  }

  /** {@link #offer(int, EventMessage, long)} from a histogram's only partition, partition 0. */
  public void offer(EventMessage message, long timestampMs) {
    offer(0, message, timestampMs);
  }

  /**
   * Offers one decoded message of {@code partition} that arrived with Kafka timestamp {@code
   * timestampMs}: skipped before start, skipped and ending its partition after stop, else counted
   * when its source matches. An ended partition, or a FINISHED or failed histogram, takes nothing
   * more.
   */
  public void offer(int partition, EventMessage message, long timestampMs) {
    offer(
        partition,
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
    offer(0, sourceName, pulseTimeNs, timeOfFlight, pixelId, timestampMs);
  }

  void offer(
      int partition,
      String sourceName,
      long pulseTimeNs,
      IntVector timeOfFlight,
      IntVector pixelId,
      long timestampMs) {
    if (state == HistogramState.FINISHED
        || state == HistogramState.ERROR
        || ended[partition]
        || timestampMs < startMs) {
      return;
    }
    if (timestampMs > stopMs) {
      endPartition(partition);
      return;
    }
    state = HistogramState.COUNTING;
    if (source != null && !source.equals(sourceName)) {
      return;
    }
    partitionPulseTimesNs[partition] = pulseTimeNs;
    long added = binning.add(timeOfFlight, pixelId);
    sum += added;
    partitionSums[partition] += added;
  }

  /** {@link #offer(int, BinnedFrame, long)} from a histogram's only partition, partition 0. */
  public boolean offer(BinnedFrame frame, long timestampMs) {
    return offer(0, frame, timestampMs);
  }

  /**
   * Offers one decoded da00 frame of {@code partition}, by the same time window and source filter
   * as events; the frame's timestamp becomes the partition's pulse time when the histogram can use
   * the frame.
   *
   * @return false when the histogram's type cannot use this frame (a dethist whose width x height
   *     differs from the frame's columns, or a type without a da00 path): nothing was added
   */
  public boolean offer(int partition, BinnedFrame frame, long timestampMs) {
    if (state == HistogramState.FINISHED
        || state == HistogramState.ERROR
        || ended[partition]
        || timestampMs < startMs) {
      return true;
    }
    if (timestampMs > stopMs) {
      endPartition(partition);
      return true;
    }
    state = HistogramState.COUNTING;
    if (source != null && !source.equals(frame.sourceName())) {
      return true;
    }
    if (!binning.addFrame(frame)) {
      return false;
    }
    partitionPulseTimesNs[partition] = frame.timestampNs();
    sum += binning.frameCounts;
    partitionSums[partition] += binning.frameCounts;
    fractionalSum += binning.frameFractions;
    partitionFractions[partition] += binning.frameFractions;
    return true;
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

  /** Stopped by command, or every partition ended: FINISHED (an ERROR stays an ERROR). */
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
    fractionalSum = 0;
    publishedSum = 0;
    publishedFractionalSum = 0;
    publishedFloatingDiff = 0;
    Arrays.fill(partitionFractions, 0);
    Arrays.fill(publishedPartitionFractions, 0);
    publishedPulseTimeNs = 0;
    publishedDiff = 0;
    publishedRate = 0;
    Arrays.fill(partitionSums, 0);
    Arrays.fill(publishedPartitionSums, 0);
    Arrays.fill(publishedPartitionPulseTimesNs, 0);
  }

  /** The histogram as published now; advances the diff/rate bookkeeping as one publish. */
  public HistogramSnapshot snapshotForPublish() {
    long lastPulseTimeNs = lastPulseTimeNs();
    boolean floating = binning.floating();
    long diff = sum - publishedSum;
    double fractionDiff = fractionalSum - publishedFractionalSum;
    double floatingDiff = floating ? diff + fractionDiff : 0;
    double rate = 0;
    if (diff == 0 && fractionDiff == 0 && lastPulseTimeNs == publishedPulseTimeNs) {
      diff = publishedDiff;
      floatingDiff = floating ? publishedFloatingDiff : 0;
      rate = publishedRate;
    } else {
      for (int p = 0; p < partitionSums.length; p++) {
        double seconds = (partitionPulseTimesNs[p] - publishedPartitionPulseTimesNs[p]) / 1e9;
        if (seconds > 0) {
          double added = partitionSums[p] - publishedPartitionSums[p];
          if (floating) {
            added += partitionFractions[p] - publishedPartitionFractions[p];
          }
          rate += added / seconds;
        }
      }
    }
    publishedSum = sum;
    publishedFractionalSum = fractionalSum;
    publishedFloatingDiff = floatingDiff;
    System.arraycopy(
        partitionFractions, 0, publishedPartitionFractions, 0, partitionFractions.length);
    publishedPulseTimeNs = lastPulseTimeNs;
    publishedDiff = diff;
    publishedRate = rate;
    System.arraycopy(partitionSums, 0, publishedPartitionSums, 0, partitionSums.length);
    System.arraycopy(
        partitionPulseTimesNs, 0, publishedPartitionPulseTimesNs, 0, partitionPulseTimesNs.length);
    return new HistogramSnapshot(
        binning.counts(),
        binning.fractions(),
        binning.shape(),
        binning.edges(),
        state,
        errorMessage,
        lastPulseTimeNs,
        sum,
        diff,
        rate,
        new HistogramSnapshot.Partitions(
            ended.clone(), partitionSums.clone(), partitionPulseTimesNs.clone()),
        fractionalSum,
        floatingDiff);
  }

  /** The latest of the partitions' last counted pulse times; 0 when none was counted. */
  private long lastPulseTimeNs() {
    long latest = 0;
    for (int p = 0; p < partitionPulseTimesNs.length; p++) {
      latest = p == 0 ? partitionPulseTimesNs[0] : Math.max(latest, partitionPulseTimesNs[p]);
    }
    return latest;
  }

  /**
   * Continues from a snapshot of the same spec taken by a worker that has gone: counts, sum,
   * statistics, state and partitions as they were right after that publish. A snapshot that knows
   * no partitions leaves its sum and last_pulse_time to one partition until {@link
   * #readPartitions}.
   *
   * @throws IllegalArgumentException when the snapshot's counts do not fit this histogram
   */
  public void restore(HistogramSnapshot snapshot) {
    binning.load(snapshot.counts(), snapshot.fractions());
    state = snapshot.state();
    errorMessage = snapshot.errorMessage();
    sum = snapshot.sum();
    fractionalSum = snapshot.fractionalSum();
    publishedSum = snapshot.sum();
    publishedFractionalSum = snapshot.fractionalSum();
    publishedFloatingDiff = snapshot.floatingDiff();
    publishedPulseTimeNs = snapshot.lastPulseTimeNs();
    publishedDiff = snapshot.diff();
    publishedRate = snapshot.rate();
    HistogramSnapshot.Partitions partitions = snapshot.partitions();
    if (partitions.sums().length == 0) {
      readPartitions(1);
      resumePartition(0, false, snapshot.sum(), snapshot.lastPulseTimeNs());
    } else {
      readPartitions(partitions.sums().length);
      for (int p = 0; p < partitions.sums().length; p++) {
        resumePartition(
            p, partitions.ended()[p], partitions.sums()[p], partitions.pulseTimesNs()[p]);
      }
    }
    // Restoring the partitions must not change the state the snapshot had.
    state = snapshot.state();
  }
}
