package eu.ess.justbinit.worker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import eu.ess.justbinit.wire.codec.IntVector;
import eu.ess.justbinit.wire.rpc.Checkpoint;
import eu.ess.justbinit.wire.rpc.HistogramSpec;
import eu.ess.justbinit.wire.rpc.HistogramType;
import eu.ess.justbinit.wire.rpc.PartitionOffset;
import eu.ess.justbinit.wire.rpc.Range;
import eu.ess.justbinit.wire.rpc.WorkerMessage;
import eu.ess.justbinit.worker.histogram.Histogram;
import eu.ess.justbinit.worker.histogram.HistogramSnapshot;
import eu.ess.justbinit.worker.link.SupervisorMessages;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;

/**
 * A checkpoint of 1,000,000 bins survives the trip to the controller and back, and what it costs is
 * reported (not asserted: timings depend on the machine).
 */
class CheckpointCostTest {
  private static final int ROUNDS = 20;
  private static final List<TopicPartition> PARTITIONS = List.of(new TopicPartition("data", 0));

  @Test
  void aMillionBinCheckpointRoundTripsAndItsCostIsReported(TestReporter reporter) throws Exception {
    HistogramSpec spec =
        HistogramSpec.newBuilder()
            .setType(HistogramType.DETHIST)
            .setDetRange(Range.newBuilder().setLow(1).setHigh(1_000_001))
            .setWidth(1000)
            .setHeight(1000)
            .build();
    Histogram histogram = Histogram.forSpec(spec);
    fill(histogram);
    List<PartitionOffset> offsets =
        List.of(
            PartitionOffset.newBuilder().setTopic("data").setPartition(0).setOffset(42).build());

    long snapshotNs = 0;
    long buildNs = 0;
    long serialiseNs = 0;
    int bytes = 0;
    WorkerMessage message = null;
    for (int round = 0; round < ROUNDS; round++) {
      long t0 = System.nanoTime();
      HistogramSnapshot snapshot = histogram.snapshotForPublish();
      long t1 = System.nanoTime();
      message = SupervisorMessages.checkpoint(snapshot, offsets, PARTITIONS, 3);
      long t2 = System.nanoTime();
      bytes = message.toByteArray().length;
      long t3 = System.nanoTime();
      if (round >= ROUNDS / 2) {
        snapshotNs += t1 - t0;
        buildNs += t2 - t1;
        serialiseNs += t3 - t2;
      }
    }
    int measured = ROUNDS - ROUNDS / 2;
    String figures =
        String.format(
            "1,000,000 bins: snapshot %.1f ms, checkpoint message %.1f ms, serialise %.1f ms,"
                + " %d bytes",
            snapshotNs / 1e6 / measured,
            buildNs / 1e6 / measured,
            serialiseNs / 1e6 / measured,
            bytes);
    reporter.publishEntry("checkpoint-cost", figures);
    System.out.println("checkpoint-cost: " + figures);

    Checkpoint parsed = WorkerMessage.parseFrom(message.toByteArray()).getCheckpoint();
    Histogram resumed = Histogram.forSpec(spec);
    resumed.restore(SupervisorMessages.snapshot(parsed, resumed.binning()));
    assertArrayEquals(histogram.binning().counts(), resumed.binning().counts());
    assertEquals(offsets, parsed.getNextOffsetsList());
    assertEquals(3, parsed.getSkippedMessages());
    assertEquals(1, parsed.getPartitionsCount());
    assertEquals("data", parsed.getPartitions(0).getTopic());
  }

  private static void fill(Histogram histogram) {
    SplittableRandom random = new SplittableRandom(1);
    int[] pixels = new int[1_000_000];
    for (int round = 0; round < 5; round++) {
      for (int i = 0; i < pixels.length; i++) {
        pixels[i] = 1 + random.nextInt(1_000_000);
      }
      histogram.binning().add(IntVector.of(), IntVector.of(pixels));
    }
  }
}
