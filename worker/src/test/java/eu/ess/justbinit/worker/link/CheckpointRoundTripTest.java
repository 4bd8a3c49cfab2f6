package eu.ess.justbinit.worker.link;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import eu.ess.justbinit.wire.rpc.Checkpoint;
import eu.ess.justbinit.wire.rpc.PartitionOffset;
import eu.ess.justbinit.wire.rpc.WorkerMessage;
import eu.ess.justbinit.worker.histogram.Histogram;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A checkpoint of 1,000,000 bins survives the trip to the controller and back. What it costs is
 * measured by {@link CheckpointBenchmark}, not here.
 */
class CheckpointRoundTripTest {
  @Test
  void aMillionBinCheckpointRoundTrips() throws Exception {
    Histogram histogram = CheckpointBenchmark.filled();
    WorkerMessage message = CheckpointBenchmark.checkpoint(histogram.snapshotForPublish());

    Checkpoint parsed = WorkerMessage.parseFrom(message.toByteArray()).getCheckpoint();
    Histogram resumed = Histogram.forSpec(CheckpointBenchmark.spec());
    resumed.restore(SupervisorMessages.snapshot(parsed, resumed.binning()));
    assertArrayEquals(histogram.binning().counts(), resumed.binning().counts());
    assertEquals(
        List.of(
            PartitionOffset.newBuilder().setTopic("data").setPartition(0).setOffset(42).build()),
        parsed.getNextOffsetsList());
    assertEquals(3, parsed.getSkippedMessages());
    assertEquals(1, parsed.getPartitionsCount());
    assertEquals("data", parsed.getPartitions(0).getTopic());
  }
}
