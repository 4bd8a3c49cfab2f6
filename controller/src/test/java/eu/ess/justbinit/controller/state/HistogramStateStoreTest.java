package eu.ess.justbinit.controller.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.ess.justbinit.wire.rpc.Checkpoint;
import eu.ess.justbinit.wire.rpc.HistogramSpec;
import eu.ess.justbinit.wire.rpc.HistogramState;
import eu.ess.justbinit.wire.rpc.HistogramType;
import eu.ess.justbinit.wire.rpc.PartitionOffset;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistogramStateStoreTest {
  @TempDir Path directory;

  private static HistogramSpec spec(String id) {
    return HistogramSpec.newBuilder()
        .setType(HistogramType.HIST1D)
        .setId(id)
        .setOutputTopic("out")
        .addDataTopics("data")
        .setTofBins(3)
        .addStartOffsets(PartitionOffset.newBuilder().setTopic("data").setOffset(5))
        .build();
  }

  private static Checkpoint checkpoint(HistogramState state, long... counts) {
    Checkpoint.Builder checkpoint =
        Checkpoint.newBuilder()
            .setState(state)
            .addNextOffsets(PartitionOffset.newBuilder().setTopic("data").setOffset(42));
    Arrays.stream(counts).forEach(checkpoint::addCounts);
    return checkpoint.build();
  }

  private List<Path> files(String suffix) throws IOException {
    try (Stream<Path> files = Files.list(directory)) {
      return files.filter(f -> f.getFileName().toString().endsWith(suffix)).sorted().toList();
    }
  }

  @Test
  void aKeptHistogramIsOnTheDiskAtOnceAndRestoredWithItsLatestCheckpoint() throws Exception {
    try (HistogramStateStore store = HistogramStateStore.open(directory)) {
      StoredHistogram one = store.keep(spec("one"), 0);
      assertEquals(1, files(".pb").size());
      store.keep(spec("two"), 3);
      one.checkpointed(checkpoint(HistogramState.COUNTING, 1, 2, 3));
      store.awaitWrites();
    }
    try (HistogramStateStore store = HistogramStateStore.open(directory)) {
      List<HistogramStateStore.Restored> restored = store.restore();
      assertEquals(List.of("one", "two"), restored.stream().map(r -> r.spec().getId()).toList());
      assertEquals(
          List.of(0, 3), restored.stream().map(HistogramStateStore.Restored::slot).toList());
      assertEquals(spec("one"), restored.get(0).spec());
      assertEquals(
          Optional.of(checkpoint(HistogramState.COUNTING, 1, 2, 3)), restored.get(0).checkpoint());
      assertEquals(Optional.empty(), restored.get(1).checkpoint());
      // The restored ones go on being kept in the same files; new ones get new files.
      store.keep(spec("three"), 0);
      assertEquals(3, files(".pb").size());
    }
  }

  @Test
  void closingWritesTheCheckpointThatWaitsForItsInterval() throws Exception {
    try (HistogramStateStore store = HistogramStateStore.open(directory)) {
      StoredHistogram one = store.keep(spec("one"), 0);
      // The first goes out at once (the spec was just written: the next waits its interval).
      one.checkpointed(checkpoint(HistogramState.COUNTING, 1, 0, 0));
      one.checkpointed(checkpoint(HistogramState.COUNTING, 2, 0, 0));
    }
    try (HistogramStateStore store = HistogramStateStore.open(directory)) {
      assertEquals(
          Optional.of(checkpoint(HistogramState.COUNTING, 2, 0, 0)),
          store.restore().get(0).checkpoint());
    }
  }

  @Test
  void aForgottenHistogramLeavesNoFileAndAnEndedOneKeepsItsLastRunningCheckpoint()
      throws Exception {
    try (HistogramStateStore store = HistogramStateStore.open(directory)) {
      StoredHistogram stopped = store.keep(spec("stopped"), 0);
      StoredHistogram shutDown = store.keep(spec("shut down"), 0);
      shutDown.checkpointed(checkpoint(HistogramState.COUNTING, 7, 0, 0));
      store.awaitWrites();
      shutDown.checkpointed(checkpoint(HistogramState.FINISHED, 8, 0, 0));
      stopped.checkpointed(checkpoint(HistogramState.COUNTING, 1, 0, 0));
      stopped.forget();
      stopped.checkpointed(checkpoint(HistogramState.COUNTING, 2, 0, 0));
      store.awaitWrites();
      assertEquals(1, files(".pb").size());
    }
    try (HistogramStateStore store = HistogramStateStore.open(directory)) {
      List<HistogramStateStore.Restored> restored = store.restore();
      assertEquals(1, restored.size());
      assertEquals(
          Optional.of(checkpoint(HistogramState.COUNTING, 7, 0, 0)), restored.get(0).checkpoint());
    }
  }

  @Test
  void damagedCutShortAndHalfWrittenFilesAreSkippedAndTheOthersRestored() throws Exception {
    try (HistogramStateStore store = HistogramStateStore.open(directory)) {
      for (String id : List.of("damaged", "cut", "good")) {
        store
            .keep(spec(id), 0)
            .checkpointed(checkpoint(HistogramState.COUNTING, 1_000_000, 2_000_000, 3));
      }
      store.awaitWrites();
    }
    List<Path> written = files(".pb");
    byte[] damaged = Files.readAllBytes(written.get(0));
    damaged[damaged.length / 2] ^= 0x10;
    Files.write(written.get(0), damaged);
    byte[] cut = Files.readAllBytes(written.get(1));
    Files.write(written.get(1), Arrays.copyOf(cut, cut.length - 7));
    Files.write(directory.resolve("histogram-9.pb.partial"), new byte[] {1, 2, 3});
    Files.write(directory.resolve("histogram-10.pb"), new byte[0]);

    try (HistogramStateStore store = HistogramStateStore.open(directory)) {
      List<HistogramStateStore.Restored> restored = store.restore();
      assertEquals(List.of("good"), restored.stream().map(r -> r.spec().getId()).toList());
    }
    assertEquals(3, files(".corrupt").size());
    assertEquals(List.of(), files(".partial"));
    assertEquals(1, files(".pb").size());
  }

  @Test
  void aDirectoryInUseIsRefused() throws Exception {
    HistogramStateStore first = HistogramStateStore.open(directory);
    IOException refused =
        assertThrows(IOException.class, () -> HistogramStateStore.open(directory));
    assertTrue(refused.getMessage().contains("lock"), refused.getMessage());
    first.close();
    HistogramStateStore.open(directory).close();
  }

  @Test
  void aDisabledStoreKeepsNothing() throws Exception {
    try (HistogramStateStore store = HistogramStateStore.disabled()) {
      assertFalse(store.enabled());
      StoredHistogram kept = store.keep(spec("one"), 0);
      kept.checkpointed(checkpoint(HistogramState.COUNTING, 1, 2, 3));
      kept.forget();
      assertEquals(List.of(), store.restore());
    }
    assertEquals(List.of(), files(".pb"));
  }

  @Test
  void largeHistogramsAndSlowWritesAreWrittenLessOften() {
    assertEquals(Duration.ofSeconds(1), StoredHistogram.interval(1000, Duration.ofMillis(5)));
    assertEquals(
        Duration.ofSeconds(4),
        StoredHistogram.interval(4 * StoredHistogram.BYTES_PER_SECOND, Duration.ofMillis(100)));
    assertEquals(Duration.ofSeconds(10), StoredHistogram.interval(1000, Duration.ofMillis(500)));
  }
}
