package eu.ess.justbinit.worker.link;

import eu.ess.justbinit.wire.codec.IntVector;
import eu.ess.justbinit.wire.rpc.HistogramSpec;
import eu.ess.justbinit.wire.rpc.HistogramType;
import eu.ess.justbinit.wire.rpc.PartitionOffset;
import eu.ess.justbinit.wire.rpc.Range;
import eu.ess.justbinit.wire.rpc.WorkerMessage;
import eu.ess.justbinit.worker.histogram.Histogram;
import eu.ess.justbinit.worker.histogram.HistogramSnapshot;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.TopicPartition;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What a checkpoint of a 1000 × 1000 detector histogram (1,000,000 bins, five million events) costs
 * the worker, step by step: the snapshot, the checkpoint message, its serialised bytes. Run by
 * scripts/bench-checkpoint (never by the tests): each score is milliseconds per operation.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class CheckpointBenchmark {
  /** The bins of the histogram checkpointed. */
  public static final int BINS = 1_000_000;

  private static final List<TopicPartition> PARTITIONS = List.of(new TopicPartition("data", 0));
  private static final List<PartitionOffset> OFFSETS =
      List.of(PartitionOffset.newBuilder().setTopic("data").setPartition(0).setOffset(42).build());

  private Histogram histogram;
  private HistogramSnapshot snapshot;
  private WorkerMessage message;

  /** The histogram checkpointed: a 1000 × 1000 detector histogram of pixels 1..1,000,000. */
  public static HistogramSpec spec() {
    return HistogramSpec.newBuilder()
        .setType(HistogramType.DETHIST)
        .setDetRange(Range.newBuilder().setLow(1).setHigh(BINS + 1))
        .setWidth(1000)
        .setHeight(1000)
        .build();
  }

  /** A histogram of {@link #spec()} holding five million events, uniform over the pixels. */
  public static Histogram filled() {
    Histogram histogram = Histogram.forSpec(spec());
    SplittableRandom random = new SplittableRandom(1);
    int[] pixels = new int[BINS];
    for (int round = 0; round < 5; round++) {
      for (int i = 0; i < pixels.length; i++) {
        pixels[i] = 1 + random.nextInt(BINS);
      }
      histogram.binning().add(IntVector.of(), IntVector.of(pixels));
    }
    return histogram;
  }

  /** The checkpoint message of {@code snapshot}, as the worker sends it. */
  public static WorkerMessage checkpoint(HistogramSnapshot snapshot) {
    return SupervisorMessages.checkpoint(snapshot, OFFSETS, PARTITIONS, 3);
  }

  @Setup(Level.Trial)
  public void setUp() {
    histogram = filled();
    snapshot = histogram.snapshotForPublish();
    message = checkpoint(snapshot);
  }

  /** Copies the counts out of the binning. */
  @Benchmark
  public HistogramSnapshot snapshot() {
    return histogram.snapshotForPublish();
  }

  /** Builds the checkpoint message from a snapshot. */
  @Benchmark
  public WorkerMessage checkpointMessage() {
    return checkpoint(snapshot);
  }

  /** Serialises the checkpoint message as gRPC does. */
  @Benchmark
  public byte[] serialise() {
    return message.toByteArray();
  }
}
