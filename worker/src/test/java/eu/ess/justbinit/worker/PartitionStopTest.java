package eu.ess.justbinit.worker;

import static eu.ess.justbinit.worker.WorkerProcessTest.assignment;
import static eu.ess.justbinit.worker.WorkerProcessTest.hist1d;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.ess.justbinit.testkit.EmbeddedKafka;
import eu.ess.justbinit.testkit.KafkaBrokerExtension;
import eu.ess.justbinit.testkit.ProcessLevel;
import eu.ess.justbinit.testkit.PublishedHistogram;
import eu.ess.justbinit.testkit.PublishedHistograms;
import eu.ess.justbinit.wire.rpc.Assignment;
import eu.ess.justbinit.wire.rpc.Checkpoint;
import eu.ess.justbinit.wire.rpc.HistogramSpec;
import eu.ess.justbinit.wire.rpc.HistogramState;
import eu.ess.justbinit.wire.rpc.LogLevel;
import eu.ess.justbinit.wire.rpc.PartitionOffset;
import eu.ess.justbinit.wire.rpc.PartitionProgress;
import eu.ess.justbinit.wire.rpc.Report;
import eu.ess.justbinit.wire.rpc.Standby;
import eu.ess.justbinit.wire.rpc.WorkerMessage;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The time window judged per partition, with real worker JVMs against the real broker: a quiet
 * partition whose message after stop is read while a busy one is still being caught up loses
 * nothing of the busy one, whether the partitions are of one topic or of several.
 */
@ExtendWith(KafkaBrokerExtension.class)
@ProcessLevel
class PartitionStopTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final long MINUTE = 60_000;

  /** Messages of 100,000 events (some 800 KB): 16 of them take two fetches of 8 MB or more. */
  private static final int BIG = 100_000;

  private static final int BUSY_MESSAGES = 16;

  /** Start and stop 10 and 5 minutes ago, and the events that must be counted between them. */
  private static final class Window {
    final long start = System.currentTimeMillis() - 10 * MINUTE;
    final long stop = start + 5 * MINUTE;
    final long[] inside = new long[DataTopics.BINS];
    final long[] outside = new long[DataTopics.BINS];

    long sum() {
      long sum = 0;
      for (long count : inside) {
        sum += count;
      }
      return sum;
    }
  }

  /** Three small messages inside the window, one after stop, then a late one inside (skipped). */
  private static void quiet(DataTopics topics, Window w, String topic, int partition)
      throws Exception {
    for (int i = 1; i <= 3; i++) {
      topics.send(topic, partition, w.start + i * MINUTE, 50, w.inside);
    }
    topics.send(topic, partition, w.stop + MINUTE, 50, w.outside);
    topics.send(topic, partition, w.start + 4 * MINUTE, 50, w.outside);
  }

  /** One message before start, then large ones inside the window, none after stop. */
  private static void busy(DataTopics topics, Window w, String topic, int partition, int messages)
      throws Exception {
    topics.send(topic, partition, w.start - 1, 500, w.outside);
    for (int i = 0; i < messages; i++) {
      topics.send(topic, partition, w.start + 10_000 + i * 100L, BIG, w.inside);
    }
  }

  @Test
  void aHistoricWindowOverTwoPartitionsCountsEveryEventOfTheBusyOne(EmbeddedKafka kafka)
      throws Exception {
    String data = DataTopics.unique("partitions");
    kafka.createTopic(data, 2);
    Window w = new Window();
    try (DataTopics topics = new DataTopics(kafka)) {
      quiet(topics, w, data, 0);
      busy(topics, w, data, 1, BUSY_MESSAGES);
      HistogramSpec.Builder spec = hist1d(kafka, data).setStartMs(w.start).setStopMs(w.stop);
      assertFinishedWith(kafka, assignment(topics, spec).build(), w);
    }
  }

  @Test
  void aHistoricWindowOverTwoTopicsCountsEveryEventOfTheBusyOne(EmbeddedKafka kafka)
      throws Exception {
    String quietTopic = DataTopics.unique("quiet");
    String busyTopic = DataTopics.unique("busy");
    kafka.createTopics(2, quietTopic, busyTopic);
    Window w = new Window();
    try (DataTopics topics = new DataTopics(kafka)) {
      quiet(topics, w, quietTopic, 0);
      // quietTopic-1 has no message at all.
      busy(topics, w, busyTopic, 0, BUSY_MESSAGES);
      // busyTopic-1's first message is already after stop: it adds nothing, even later ones.
      topics.send(busyTopic, 1, w.stop + 1, 70, w.outside);
      topics.send(busyTopic, 1, w.start + MINUTE, 70, w.outside);
      HistogramSpec.Builder spec =
          hist1d(kafka, quietTopic).addDataTopics(busyTopic).setStartMs(w.start).setStopMs(w.stop);
      assertFinishedWith(kafka, assignment(topics, spec).build(), w);
    }
  }

  /** Runs the assignment to its end: FINISHED, with exactly the events inside the window. */
  private static void assertFinishedWith(EmbeddedKafka kafka, Assignment assignment, Window w)
      throws Exception {
    try (FakeController controller = new FakeController(assignment);
        WorkerProcess worker = WorkerProcess.start(controller.address());
        PublishedHistograms published =
            PublishedHistograms.of(kafka, assignment.getSpec().getOutputTopic(), WAIT)) {
      WorkerMessage finished = controller.await(WorkerMessage::hasFinished, WAIT, "finished");
      assertEquals(HistogramState.FINISHED, finished.getFinished().getState(), worker.logText());
      assertEquals(w.sum(), lastReport(controller).getStatistics().getSum(), worker.logText());
      PublishedHistogram end = published.awaitAny("FINISHED", h -> h.state().equals("FINISHED"));
      assertArrayEquals(w.inside, end.counts(), "bin for bin");
      assertEquals(w.sum(), end.info().get("sum").asLong());
      assertEquals(0, worker.awaitExit(WAIT), worker.logText());
    }
  }

  @Test
  void aWorkerReplacedMidCatchUpEndsWithEveryEventOfTheWindow(EmbeddedKafka kafka)
      throws Exception {
    String data = DataTopics.unique("midway");
    kafka.createTopic(data, 2);
    Window w = new Window();
    try (DataTopics topics = new DataTopics(kafka)) {
      quiet(topics, w, data, 0);
      busy(topics, w, data, 1, BUSY_MESSAGES);
      HistogramSpec.Builder spec = hist1d(kafka, data).setStartMs(w.start).setStopMs(w.stop);
      // No routine publish, which a controller that does not keep up may drop: the checkpoint at
      // the
      // state change, after the first batch with events inside the window (the catch-up takes two
      // or more, 8 MB each), comes from the middle of the catch-up, as do those when a partition
      // ends before the last batch.
      Assignment first = assignment(topics, spec).setPublishIntervalMs(3_600_000).build();
      List<Checkpoint> midway;
      try (FakeController controller = new FakeController(first);
          WorkerProcess worker = WorkerProcess.start(controller.address())) {
        controller.await(WorkerMessage::hasFinished, WAIT, "finished");
        assertEquals(0, worker.awaitExit(WAIT), worker.logText());
        midway =
            controller.received().stream()
                .filter(WorkerMessage::hasCheckpoint)
                .map(WorkerMessage::getCheckpoint)
                .filter(c -> c.getStatistics().getSum() > 0 && c.getStatistics().getSum() < w.sum())
                .toList();
      }
      assertFalse(
          midway.isEmpty(), "the catch-up took more than one batch, else this proves nothing");
      // As if killed right after it: the last checkpoint from the middle of the catch-up.
      Checkpoint checkpoint = midway.get(midway.size() - 1);
      // What the replacement finds on a partition ended in it, or that it ends again, is skipped.
      topics.send(data, 0, w.start + 2 * MINUTE, 50, w.outside);

      Assignment resumed = assignment(topics, spec).setResumeFrom(checkpoint).build();
      try (FakeController controller = new FakeController(resumed);
          WorkerProcess worker = WorkerProcess.start(controller.address());
          PublishedHistograms published =
              PublishedHistograms.of(kafka, spec.getOutputTopic(), WAIT)) {
        WorkerMessage finished = controller.await(WorkerMessage::hasFinished, WAIT, "finished");
        assertEquals(HistogramState.FINISHED, finished.getFinished().getState(), worker.logText());
        PublishedHistogram end = published.awaitAny("FINISHED", h -> h.state().equals("FINISHED"));
        assertArrayEquals(
            w.inside, end.counts(), "bin for bin, from " + checkpoint.getStatistics());
        assertEquals(0, worker.awaitExit(WAIT), worker.logText());
      }
    }
  }

  @Test
  void aReplacementWorkerReadsNothingMoreFromThePartitionsThatHadEnded(EmbeddedKafka kafka)
      throws Exception {
    String data = DataTopics.unique("resumed");
    kafka.createTopic(data, 2);
    long now = System.currentTimeMillis();
    long start = now - 10 * MINUTE;
    // A stop ahead of the clock: the busy partition ends by its own message after stop, never by
    // the clock, however long the test takes.
    long stop = now + 10 * MINUTE;
    long[] inside = new long[DataTopics.BINS];
    long[] outside = new long[DataTopics.BINS];
    try (DataTopics topics = new DataTopics(kafka)) {
      for (int i = 1; i <= 3; i++) {
        topics.send(data, 0, start + i * MINUTE, 50, inside);
      }
      topics.send(data, 0, stop + 1, 50, outside);
      for (int i = 0; i < BUSY_MESSAGES / 2; i++) {
        topics.send(data, 1, start + 10_000 + i, BIG, inside);
      }
      long firstPart = sum(inside);
      HistogramSpec.Builder spec = hist1d(kafka, data).setStartMs(start).setStopMs(stop);
      Checkpoint checkpoint;
      try (FakeController controller = new FakeController(assignment(topics, spec).build());
          WorkerProcess worker = WorkerProcess.start(controller.address())) {
        checkpoint =
            controller
                .await(
                    m ->
                        m.hasCheckpoint()
                            && m.getCheckpoint().getStatistics().getSum() == firstPart
                            && isEnded(m.getCheckpoint(), data, 0),
                    WAIT,
                    "a checkpoint of the first part with partition 0 ended")
                .getCheckpoint();
        assertEquals(HistogramState.COUNTING, checkpoint.getState(), "partition 1 is still open");
        worker.process().destroyForcibly();
        worker.awaitExit(WAIT);
      }
      // After the kill: a late message inside the window on the partition that had ended, which an
      // uninterrupted worker would not read either; the rest of the busy partition, and its end.
      topics.send(data, 0, start + 4 * MINUTE, 50, outside);
      for (int i = BUSY_MESSAGES / 2; i < BUSY_MESSAGES; i++) {
        topics.send(data, 1, start + 10_000 + i, BIG, inside);
      }
      topics.send(data, 1, stop + 1, 50, outside);
      long expected = sum(inside);

      Assignment resumed = assignment(topics, spec).setResumeFrom(checkpoint).build();
      try (FakeController controller = new FakeController(resumed);
          WorkerProcess worker = WorkerProcess.start(controller.address());
          PublishedHistograms published =
              PublishedHistograms.of(kafka, spec.getOutputTopic(), WAIT)) {
        WorkerMessage first = controller.await(WorkerMessage::hasCheckpoint, WAIT, "checkpoint");
        assertTrue(isEnded(first.getCheckpoint(), data, 0), "resumed with partition 0 ended");
        WorkerMessage finished = controller.await(WorkerMessage::hasFinished, WAIT, "finished");
        assertEquals(HistogramState.FINISHED, finished.getFinished().getState(), worker.logText());
        assertEquals(expected, lastReport(controller).getStatistics().getSum(), worker.logText());
        PublishedHistogram end = published.awaitAny("FINISHED", h -> h.state().equals("FINISHED"));
        assertArrayEquals(inside, end.counts(), "bin for bin");
        assertEquals(0, worker.awaitExit(WAIT), worker.logText());
      }
    }
  }

  @Test
  void aLiveWindowWhoseStopArrivesWhileAPartitionIsIdleWaitsForItsLeeway(EmbeddedKafka kafka)
      throws Exception {
    String data = DataTopics.unique("idle");
    kafka.createTopic(data, 2);
    try (DataTopics topics = new DataTopics(kafka)) {
      List<PartitionOffset> start = topics.endOffsets(data, 0, 1);
      HistogramSpec.Builder spec = hist1d(kafka, data).addAllStartOffsets(start);
      Assignment placeholder = assignment(topics, spec).build();
      Standby standby =
          Standby.newBuilder()
              .putAllOutputKafka(placeholder.getOutputKafkaMap())
              .setLogLevel(LogLevel.INFO)
              .build();
      try (FakeController controller = new FakeController(placeholder, standby);
          WorkerProcess worker = WorkerProcess.start(controller.address())) {
        // A spare, started and ready: the window below is not spent starting a JVM.
        controller.await(WorkerMessage::hasRehearsed, WAIT, "the spare's rehearsal");
        long stop = System.currentTimeMillis() + 15_000;
        controller.assign(assignment(topics, spec.setStopMs(stop)).build());
        controller.await(WorkerMessage::hasCheckpoint, WAIT, "first checkpoint");
        long early = topics.send(data, 0, 300);
        topics.send(data, 0, stop + 1, 20);
        Checkpoint ended =
            controller
                .await(
                    m -> m.hasCheckpoint() && isEnded(m.getCheckpoint(), data, 0),
                    WAIT,
                    "partition 0 ended by its message after stop")
                .getCheckpoint();
        assertEquals(HistogramState.COUNTING, ended.getState());
        // Partition 1 was idle so far; its data produced up to 5 s after stop still count.
        long late = topics.send(data, 1, Math.min(System.currentTimeMillis(), stop), 4000);

        WorkerMessage finished = controller.await(WorkerMessage::hasFinished, WAIT, "finished");
        assertEquals(HistogramState.FINISHED, finished.getFinished().getState());
        assertEquals(early + late, lastReport(controller).getStatistics().getSum());
        assertEquals(0, worker.awaitExit(WAIT), worker.logText());
      }
    }
  }

  private static boolean isEnded(Checkpoint checkpoint, String topic, int partition) {
    for (PartitionProgress progress : checkpoint.getPartitionsList()) {
      if (progress.getTopic().equals(topic) && progress.getPartition() == partition) {
        return progress.getEnded();
      }
    }
    return false;
  }

  private static long sum(long[] counts) {
    long sum = 0;
    for (long count : counts) {
      sum += count;
    }
    return sum;
  }

  private static Report lastReport(FakeController controller) {
    List<WorkerMessage> received = controller.received();
    for (int i = received.size() - 1; i >= 0; i--) {
      if (received.get(i).hasReport()) {
        return received.get(i).getReport();
      }
    }
    throw new AssertionError("no report");
  }
}
