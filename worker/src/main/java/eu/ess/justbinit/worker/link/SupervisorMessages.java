package eu.ess.justbinit.worker.link;

import eu.ess.justbinit.wire.rpc.Axis;
import eu.ess.justbinit.wire.rpc.Checkpoint;
import eu.ess.justbinit.wire.rpc.Finished;
import eu.ess.justbinit.wire.rpc.HistogramState;
import eu.ess.justbinit.wire.rpc.Layout;
import eu.ess.justbinit.wire.rpc.PartitionOffset;
import eu.ess.justbinit.wire.rpc.PartitionProgress;
import eu.ess.justbinit.wire.rpc.Report;
import eu.ess.justbinit.wire.rpc.Statistics;
import eu.ess.justbinit.wire.rpc.WorkerMessage;
import eu.ess.justbinit.worker.histogram.Binning;
import eu.ess.justbinit.worker.histogram.HistogramSnapshot;
import java.util.List;
import org.apache.kafka.common.TopicPartition;

/** What the worker tells the controller, made from the histogram's snapshots. */
public final class SupervisorMessages {
  private SupervisorMessages() {}

  public static WorkerMessage layout(Binning binning) {
    Layout.Builder layout = Layout.newBuilder();
    for (int size : binning.shape()) {
      layout.addShape(size);
    }
    for (double[] boundaries : binning.edges()) {
      Axis.Builder axis = Axis.newBuilder();
      for (double boundary : boundaries) {
        axis.addBoundaries(boundary);
      }
      layout.addEdges(axis);
    }
    return WorkerMessage.newBuilder().setLayout(layout).build();
  }

  /**
   * The report the worker sends after every publish: its state and statistics.
   *
   * @param publishRefusal why the last publish did not reach the broker, empty when it did: the
   *     report's error message outside ERROR
   */
  public static WorkerMessage report(
      HistogramSnapshot snapshot, long skippedMessages, String publishRefusal) {
    Report.Builder report =
        Report.newBuilder()
            .setState(snapshot.state())
            .setStatistics(statistics(snapshot))
            .setSkippedMessages(skippedMessages);
    if (snapshot.state() == HistogramState.ERROR) {
      report.setErrorMessage(snapshot.errorMessage());
    } else {
      report.setErrorMessage(publishRefusal);
    }
    return WorkerMessage.newBuilder().setReport(report).build();
  }

  /**
   * Counts, statistics, positions and partitions, all as of the end of the same batch; {@code
   * partitions} names the snapshot's partitions in the histogram's numbering.
   */
  public static WorkerMessage checkpoint(
      HistogramSnapshot snapshot,
      List<PartitionOffset> nextOffsets,
      List<TopicPartition> partitions,
      long skippedMessages) {
    Checkpoint.Builder checkpoint =
        Checkpoint.newBuilder()
            .setStatistics(statistics(snapshot))
            .setState(snapshot.state())
            .addAllNextOffsets(nextOffsets)
            .setSkippedMessages(skippedMessages)
            // The snapshot was a publish: the next rate is measured from its pulse time.
            .setPreviousPulseTimeNs(snapshot.lastPulseTimeNs());
    HistogramSnapshot.Partitions progress = snapshot.partitions();
    if (progress.sums().length == partitions.size()) {
      for (int number = 0; number < partitions.size(); number++) {
        checkpoint.addPartitions(
            PartitionProgress.newBuilder()
                .setTopic(partitions.get(number).topic())
                .setPartition(partitions.get(number).partition())
                .setEnded(progress.ended()[number])
                .setSum(progress.sums()[number])
                .setLastPulseTimeNs(progress.pulseTimesNs()[number]));
      }
    }
    // One by one: addAllCounts would box every count.
    for (long count : snapshot.counts()) {
      checkpoint.addCounts(count);
    }
    if (snapshot.floating()) {
      for (double fraction : snapshot.fractions()) {
        checkpoint.addFractions(fraction);
      }
    }
    return WorkerMessage.newBuilder().setCheckpoint(checkpoint).build();
  }

  /**
   * The histogram as a checkpoint left it, for {@link
   * eu.ess.justbinit.worker.histogram.Histogram#restore}.
   */
  public static HistogramSnapshot snapshot(Checkpoint checkpoint, Binning binning) {
    long[] counts = new long[checkpoint.getCountsCount()];
    for (int i = 0; i < counts.length; i++) {
      counts[i] = checkpoint.getCounts(i);
    }
    double[] fractions = null;
    if (checkpoint.getFractionsCount() > 0) {
      fractions = new double[checkpoint.getFractionsCount()];
      for (int i = 0; i < fractions.length; i++) {
        fractions[i] = checkpoint.getFractions(i);
      }
    }
    Statistics statistics = checkpoint.getStatistics();
    HistogramState state = state(checkpoint);
    return new HistogramSnapshot(
        counts,
        fractions,
        binning.shape(),
        binning.edges(),
        state,
        // A checkpoint carries no error message: an ERROR is final and ends the worker first.
        state == HistogramState.ERROR ? "resumed in ERROR" : "",
        statistics.getLastPulseTimeNs(),
        statistics.getSum(),
        statistics.getDiff(),
        statistics.getRate(),
        // Matched with the partitions by name once they are known (WorkerLoop).
        HistogramSnapshot.Partitions.UNKNOWN,
        statistics.getFractionalSum(),
        statistics.getFloatingDiff());
  }

  public static WorkerMessage finished(HistogramState state) {
    return WorkerMessage.newBuilder().setFinished(Finished.newBuilder().setState(state)).build();
  }

  private static Statistics statistics(HistogramSnapshot snapshot) {
    return Statistics.newBuilder()
        .setLastPulseTimeNs(snapshot.lastPulseTimeNs())
        .setSum(snapshot.sum())
        .setDiff(snapshot.diff())
        .setRate(snapshot.rate())
        .setFractionalSum(snapshot.fractionalSum())
        .setFloatingDiff(snapshot.floatingDiff())
        .build();
  }

  /** A checkpoint's state; one a worker never writes is refused, as the checkpoint is broken. */
  private static HistogramState state(Checkpoint checkpoint) {
    HistogramState state = checkpoint.getState();
    if (state == HistogramState.HISTOGRAM_STATE_UNSPECIFIED
        || state == HistogramState.UNRECOGNIZED) {
      throw new IllegalArgumentException("A checkpoint in no known state: " + state);
    }
    return state;
  }
}
