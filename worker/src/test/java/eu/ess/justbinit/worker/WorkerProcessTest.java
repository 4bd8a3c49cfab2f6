package eu.ess.justbinit.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import eu.ess.justbinit.testkit.EmbeddedKafka;
import eu.ess.justbinit.testkit.KafkaBrokerExtension;
import eu.ess.justbinit.testkit.ProcessLevel;
import eu.ess.justbinit.testkit.PublishedHistogram;
import eu.ess.justbinit.testkit.PublishedHistograms;
import eu.ess.justbinit.wire.rpc.Assignment;
import eu.ess.justbinit.wire.rpc.Checkpoint;
import eu.ess.justbinit.wire.rpc.EventSchema;
import eu.ess.justbinit.wire.rpc.HistogramSchema;
import eu.ess.justbinit.wire.rpc.HistogramSpec;
import eu.ess.justbinit.wire.rpc.HistogramState;
import eu.ess.justbinit.wire.rpc.HistogramType;
import eu.ess.justbinit.wire.rpc.LogLevel;
import eu.ess.justbinit.wire.rpc.PartitionOffset;
import eu.ess.justbinit.wire.rpc.Range;
import eu.ess.justbinit.wire.rpc.Report;
import eu.ess.justbinit.wire.rpc.Standby;
import eu.ess.justbinit.wire.rpc.WorkerContract;
import eu.ess.justbinit.wire.rpc.WorkerMessage;
import eu.ess.justbinit.worker.io.KafkaEventSource;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Real worker JVMs against the real broker, driven by a fake controller. */
@ExtendWith(KafkaBrokerExtension.class)
@ProcessLevel
class WorkerProcessTest {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @Test
  void liveModeCountsWhatComesAfterTheStartOffsetsAndStopPublishesFinished(EmbeddedKafka kafka)
      throws Exception {
    String data = DataTopics.unique("live");
    kafka.createTopic(data, 2);
    try (DataTopics topics = new DataTopics(kafka)) {
      topics.send(data, 0, 700);
      // Partition 1 is not recorded, as one created after the controller recorded the ends: the
      // worker reads it from its beginning.
      long unrecorded = topics.send(data, 1, 300);
      List<PartitionOffset> start = topics.endOffsets(data, 0);
      long before = unrecorded + topics.send(data, 0, 111);
      Assignment assignment =
          assignment(topics, hist1d(kafka, data).addAllStartOffsets(start)).build();
      try (FakeController controller = new FakeController(assignment);
          WorkerProcess worker = WorkerProcess.start(controller.address());
          PublishedHistograms published =
              PublishedHistograms.of(kafka, assignment.getSpec().getOutputTopic(), WAIT)) {
        controller.await(WorkerMessage::hasLayout, WAIT, "layout");
        // The first checkpoint holds the positions: from here on everything counts.
        controller.await(WorkerMessage::hasCheckpoint, WAIT, "first checkpoint");
        long expected = before + topics.send(data, 0, 500) + topics.send(data, 1, 1234);
        controller.await(message -> sum(message) == expected, WAIT, "sum " + expected);

        controller.stop();
        WorkerMessage finished = controller.await(WorkerMessage::hasFinished, WAIT, "finished");
        assertEquals(HistogramState.FINISHED, finished.getFinished().getState());
        assertEquals(0, worker.awaitExit(WAIT), worker.logText());
        Report last = lastReport(controller);
        assertEquals(HistogramState.FINISHED, last.getState());
        assertEquals(expected, last.getStatistics().getSum());

        PublishedHistogram first = published.awaitAny("histogram", histogram -> true);
        assertEquals("INITIALISED", first.state());
        assertEquals(0, first.sum());
        PublishedHistogram end = published.awaitAny("FINISHED", h -> h.state().equals("FINISHED"));
        assertEquals(expected, end.sum());
        assertEquals(expected, end.info().get("sum").asLong());
        assertEquals(assignment.getSpec().getId(), end.info().get("id").asText());
        assertEquals(0, end.info().get("skipped_messages").asLong());
        assertFalse(end.info().has("error_message"));
      }
    }
  }

  @Test
  void readsEveryPartitionOfEveryTopicAndSkipsWhatIsNotAnEventMessage(EmbeddedKafka kafka)
      throws Exception {
    String first = DataTopics.unique("first");
    String second = DataTopics.unique("second");
    kafka.createTopics(2, first, second);
    try (DataTopics topics = new DataTopics(kafka)) {
      List<PartitionOffset> start = topics.endOffsets(first, 0, 1);
      start.addAll(topics.endOffsets(second, 0, 1));
      Assignment assignment =
          assignment(topics, hist1d(kafka, first).addDataTopics(second).addAllStartOffsets(start))
              .build();
      try (FakeController controller = new FakeController(assignment);
          WorkerProcess worker = WorkerProcess.start(controller.address())) {
        controller.await(WorkerMessage::hasCheckpoint, WAIT, "first checkpoint");
        long expected =
            topics.send(first, 0, 10)
                + topics.send(first, 1, 200)
                + topics.send(second, 0, 3000)
                + topics.send(second, 1, 40_000);
        topics.sendBytes(second, 1, null, "not flatbuffers".getBytes(StandardCharsets.UTF_8));
        topics.sendBytes(first, 0, null, new byte[0]);
        long more = topics.send(first, 1, 5);

        WorkerMessage counted =
            controller.await(
                message -> sum(message) == expected + more, WAIT, "sum " + (expected + more));
        assertEquals(2, counted.getReport().getSkippedMessages());
        controller.stop();
        assertEquals(0, worker.awaitExit(WAIT), worker.logText());
      }
    }
  }

  @Test
  void historicStartAndStopCountTheWindowAndFinishByThemselves(EmbeddedKafka kafka)
      throws Exception {
    String data = DataTopics.unique("historic");
    kafka.createTopic(data, 1);
    long base = System.currentTimeMillis() - 60_000;
    try (DataTopics topics = new DataTopics(kafka)) {
      long expected = 0;
      for (int i = 0; i < 10; i++) {
        long events = topics.send(data, 0, base + i * 1000L, 100 + i);
        if (i >= 3 && i <= 6) {
          expected += events;
        }
      }
      HistogramSpec.Builder spec =
          hist1d(kafka, data).setStartMs(base + 2500).setStopMs(base + 6000);
      try (FakeController controller = new FakeController(assignment(topics, spec).build());
          WorkerProcess worker = WorkerProcess.start(controller.address())) {
        WorkerMessage finished = controller.await(WorkerMessage::hasFinished, WAIT, "finished");
        assertEquals(HistogramState.FINISHED, finished.getFinished().getState());
        assertEquals(expected, lastReport(controller).getStatistics().getSum(), worker.logText());
        assertEquals(0, worker.awaitExit(WAIT), worker.logText());
      }
    }
  }

  @Test
  void theHistogramThatHoldsTheWholeBacklogGoesOutAsSoonAsItIsCounted(EmbeddedKafka kafka)
      throws Exception {
    String data = DataTopics.unique("backlog");
    kafka.createTopic(data, 1);
    long base = System.currentTimeMillis() - 60_000;
    try (DataTopics topics = new DataTopics(kafka)) {
      long expected = 0;
      // 24 messages of 100,000 events, some 19 MB: more than two fetches of 8 MB.
      for (int i = 0; i < 24; i++) {
        expected += topics.send(data, 0, base + i, 100_000);
      }
      long backlog = expected;
      // An interval far longer than the test: only the end of the backlog can publish its sum.
      Assignment assignment =
          assignment(topics, hist1d(kafka, data).setStartMs(base))
              .setPublishIntervalMs(3_600_000)
              .build();
      try (FakeController controller = new FakeController(assignment);
          WorkerProcess worker = WorkerProcess.start(controller.address());
          PublishedHistograms published =
              PublishedHistograms.of(kafka, assignment.getSpec().getOutputTopic(), WAIT)) {
        PublishedHistogram whole = published.awaitAny("the backlog", h -> h.sum() == backlog);
        assertEquals("COUNTING", whole.state());
        assertEquals(backlog, whole.info().get("sum").asLong());
        assertTrue(
            published.seen().stream().anyMatch(h -> h.sum() > 0 && h.sum() < backlog),
            "the backlog took more than one batch, else this test proves nothing");
        controller.stop();
        assertEquals(0, worker.awaitExit(WAIT), worker.logText());
      }
    }
  }

  @Test
  void aSpareRehearsesWhileStandingByThenRunsTheHistogramItIsAssigned(EmbeddedKafka kafka)
      throws Exception {
    String data = DataTopics.unique("spare");
    kafka.createTopic(data, 1);
    long base = System.currentTimeMillis() - 60_000;
    try (DataTopics topics = new DataTopics(kafka)) {
      long sent = 0;
      for (int i = 0; i < 5; i++) {
        sent += topics.send(data, 0, base + i * 1000L, 100 + i);
      }
      Assignment assignment = assignment(topics, hist1d(kafka, data).setStartMs(base)).build();
      Standby standby =
          Standby.newBuilder()
              .putAllOutputKafka(assignment.getOutputKafkaMap())
              .setLogLevel(LogLevel.INFO)
              .build();
      try (FakeController controller = new FakeController(assignment, standby);
          WorkerProcess worker = WorkerProcess.start(controller.address())) {
        controller.await(WorkerMessage::hasRehearsed, WAIT, "the spare's rehearsal");
        assertEquals(2, controller.received().size(), "a spare says Hello, then Rehearsed");
        assertTrue(worker.process().isAlive());

        controller.assign();

        long expected = sent;
        controller.await(m -> isReport(m) && sum(m) == expected, WAIT, "every event counted");
        controller.stop();
        assertEquals(0, worker.awaitExit(WAIT), worker.logText());
      }
    }
  }

  @Test
  void withNoDataTheWallClockPastStopFinishesIt(EmbeddedKafka kafka) throws Exception {
    String data = DataTopics.unique("clock");
    kafka.createTopic(data, 1);
    long now = System.currentTimeMillis();
    try (DataTopics topics = new DataTopics(kafka)) {
      HistogramSpec.Builder spec = hist1d(kafka, data).setStartMs(now - 1000).setStopMs(now);
      try (FakeController controller = new FakeController(assignment(topics, spec).build());
          WorkerProcess worker = WorkerProcess.start(controller.address())) {
        WorkerMessage finished = controller.await(WorkerMessage::hasFinished, WAIT, "finished");
        assertEquals(HistogramState.FINISHED, finished.getFinished().getState());
        assertTrue(System.currentTimeMillis() > now + 5000, "finished only 5 s past stop");
        assertEquals(0, worker.awaitExit(WAIT), worker.logText());
      }
    }
  }

  @Test
  void startOlderThanTheRetainedDataIsAnError(EmbeddedKafka kafka) throws Exception {
    String data = DataTopics.unique("retained");
    kafka.createTopic(data, 1);
    long base = System.currentTimeMillis() - 60_000;
    try (DataTopics topics = new DataTopics(kafka);
        Admin admin = Admin.create(kafka.adminProperties())) {
      for (int i = 0; i < 5; i++) {
        topics.send(data, 0, base + i * 1000L, 10);
      }
      admin
          .deleteRecords(Map.of(new TopicPartition(data, 0), RecordsToDelete.beforeOffset(2)))
          .all()
          .get();
      HistogramSpec.Builder spec = hist1d(kafka, data).setStartMs(base + 500);
      try (FakeController controller = new FakeController(assignment(topics, spec).build());
          WorkerProcess worker = WorkerProcess.start(controller.address());
          PublishedHistograms published =
              PublishedHistograms.of(kafka, spec.getOutputTopic(), WAIT)) {
        WorkerMessage finished = controller.await(WorkerMessage::hasFinished, WAIT, "finished");
        assertEquals(HistogramState.ERROR, finished.getFinished().getState());
        Report last = lastReport(controller);
        assertEquals(KafkaEventSource.START_TOO_OLD, last.getErrorMessage());
        assertEquals(0, worker.awaitExit(WAIT), worker.logText());
        PublishedHistogram error = published.awaitAny("ERROR", h -> h.state().equals("ERROR"));
        assertEquals(KafkaEventSource.START_TOO_OLD, error.info().get("error_message").asText());
        assertEquals(base + 500, error.info().get("start").asLong());
      }
    }
  }

  @Test
  void resetCountsStartsFromZero(EmbeddedKafka kafka) throws Exception {
    String data = DataTopics.unique("reset");
    kafka.createTopic(data, 1);
    try (DataTopics topics = new DataTopics(kafka)) {
      Assignment assignment =
          assignment(topics, hist1d(kafka, data).addAllStartOffsets(topics.endOffsets(data, 0)))
              .build();
      try (FakeController controller = new FakeController(assignment);
          WorkerProcess worker = WorkerProcess.start(controller.address())) {
        long before = topics.send(data, 0, 999);
        controller.await(message -> sum(message) == before, WAIT, "sum " + before);
        int beforeReset = controller.received().size();
        controller.resetCounts();
        controller.awaitFrom(beforeReset, message -> sum(message) == 0, WAIT, "sum 0");
        long after = topics.send(data, 0, 77);
        controller.await(message -> sum(message) == after, WAIT, "sum " + after);
        controller.stop();
        assertEquals(0, worker.awaitExit(WAIT), worker.logText());
      }
    }
  }

  @Test
  void resumesFromACheckpointWithExactCounts(EmbeddedKafka kafka) throws Exception {
    String data = DataTopics.unique("resume");
    kafka.createTopic(data, 2);
    try (DataTopics topics = new DataTopics(kafka)) {
      HistogramSpec.Builder spec =
          hist1d(kafka, data).addAllStartOffsets(topics.endOffsets(data, 0, 1));
      long expected;
      Checkpoint checkpoint;
      try (FakeController controller = new FakeController(assignment(topics, spec).build());
          WorkerProcess worker = WorkerProcess.start(controller.address())) {
        long first = topics.send(data, 0, 1000) + topics.send(data, 1, 2000);
        controller.await(message -> sum(message) == first, WAIT, "sum " + first);
        checkpoint =
            controller
                .await(
                    message ->
                        message.hasCheckpoint()
                            && message.getCheckpoint().getStatistics().getSum() == first,
                    WAIT,
                    "checkpoint")
                .getCheckpoint();
        worker.process().destroyForcibly();
        worker.awaitExit(WAIT);
        expected = first + topics.send(data, 0, 30) + topics.send(data, 1, 4);
      }
      Assignment resumed = assignment(topics, spec).setResumeFrom(checkpoint).build();
      try (FakeController controller = new FakeController(resumed);
          WorkerProcess worker = WorkerProcess.start(controller.address())) {
        controller.await(message -> sum(message) == expected, WAIT, "sum " + expected);
        controller.stop();
        assertEquals(0, worker.awaitExit(WAIT), worker.logText());
        Report last = lastReport(controller);
        assertEquals(expected, last.getStatistics().getSum());
      }
    }
  }

  @Test
  void aWorkerWhoseHistogramEndedRunsTheNextOneAfresh(EmbeddedKafka kafka) throws Exception {
    String data = DataTopics.unique("recycled");
    kafka.createTopic(data, 1);
    long base = System.currentTimeMillis() - 60_000;
    try (DataTopics topics = new DataTopics(kafka)) {
      long[] events = new long[10];
      for (int i = 0; i < 10; i++) {
        events[i] = topics.send(data, 0, base + i * 1000L, 100 + i);
      }
      Assignment first =
          assignment(topics, hist1d(kafka, data).setStartMs(base).setStopMs(base + 4500)).build();
      Assignment second =
          assignment(
                  topics,
                  first.getSpec().toBuilder()
                      .setId("second")
                      .setStartMs(base + 4500)
                      .setStopMs(base + 8500))
              .build();
      try (FakeController controller = new FakeController(first);
          WorkerProcess worker = WorkerProcess.start(controller.address())) {
        controller.keepWorkerAfterFinished();
        controller.await(WorkerMessage::hasFinished, WAIT, "the first histogram finished");
        assertEquals(
            events[0] + events[1] + events[2] + events[3] + events[4],
            lastReport(controller).getStatistics().getSum());
        int seen = controller.received().size();

        controller.assign(second);

        WorkerMessage finished =
            controller.awaitFrom(seen, WorkerMessage::hasFinished, WAIT, "the second finished");
        assertEquals(HistogramState.FINISHED, finished.getFinished().getState());
        assertEquals(
            events[5] + events[6] + events[7] + events[8],
            lastReport(controller).getStatistics().getSum(),
            "counted afresh: " + worker.logText());
        assertTrue(
            controller.received().subList(seen, controller.received().size()).stream()
                .anyMatch(WorkerMessage::hasLayout),
            "the second histogram's layout");
        controller.closeStream();
        assertEquals(WorkerContract.EXIT_FINISHED, worker.awaitExit(WAIT), worker.logText());
      }
    }
  }

  @Test
  void exitsWhenTheControllerClosesTheStream(EmbeddedKafka kafka) throws Exception {
    String data = DataTopics.unique("orphan");
    kafka.createTopic(data, 1);
    try (DataTopics topics = new DataTopics(kafka);
        FakeController controller =
            new FakeController(assignment(topics, hist1d(kafka, data)).build());
        WorkerProcess worker = WorkerProcess.start(controller.address())) {
      controller.await(WorkerProcessTest::isReport, WAIT, "first report");
      controller.closeStream();
      assertEquals(WorkerContract.EXIT_CONTROLLER_GONE, worker.awaitExit(Duration.ofSeconds(5)));
      assertTrue(controller.received().stream().noneMatch(WorkerMessage::hasFinished));
    }
  }

  /** A hist1d of {@code dataTopic}, published to a topic made for it. */
  @Test
  void exitsWhenItsParentProcessDies(EmbeddedKafka kafka) throws Exception {
    String data = DataTopics.unique("parent");
    kafka.createTopic(data, 1);
    List<String> command = new ArrayList<>(List.of("bash", "-c", "\"$@\" & wait", "bash"));
    command.addAll(WorkerProcess.command(""));
    try (DataTopics topics = new DataTopics(kafka);
        FakeController controller =
            new FakeController(assignment(topics, hist1d(kafka, data)).build())) {
      command.set(command.size() - 1, controller.address());
      try (WorkerProcess parent = WorkerProcess.start(command)) {
        long pid = controller.await(WorkerMessage::hasHello, WAIT, "hello").getHello().getPid();
        controller.await(WorkerProcessTest::isReport, WAIT, "first report");
        parent.process().destroyForcibly();
        ProcessHandle worker = ProcessHandle.of(pid).orElseThrow();
        try {
          worker.onExit().get(5, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
          worker.destroyForcibly();
          fail("the orphaned worker still ran after 5 s");
        }
      }
    }
  }

  static HistogramSpec.Builder hist1d(EmbeddedKafka kafka, String dataTopic) {
    kafka.createTopic(dataTopic + "-histograms", 1);
    return HistogramSpec.newBuilder()
        .setType(HistogramType.HIST1D)
        .setId("test-" + dataTopic)
        .setOutputTopic(dataTopic + "-histograms")
        .addDataBrokers(kafka.bootstrapServers())
        .addDataTopics(dataTopic)
        .setInputSchema(EventSchema.EV44)
        .setOutputSchema(HistogramSchema.HS01)
        .setTofRange(Range.newBuilder().setLow(0).setHigh(DataTopics.TOF_HIGH))
        .setTofBins(50);
  }

  static Assignment.Builder assignment(DataTopics topics, HistogramSpec.Builder spec) {
    return Assignment.newBuilder()
        .setSpec(spec)
        .putAllDataKafka(topics.clientSettings())
        .putAllOutputKafka(topics.clientSettings())
        .setPublishIntervalMs(200)
        .setLogLevel(LogLevel.INFO);
  }

  private static boolean isReport(WorkerMessage message) {
    return message.hasReport();
  }

  private static long sum(WorkerMessage message) {
    return message.hasReport() ? message.getReport().getStatistics().getSum() : -1;
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
