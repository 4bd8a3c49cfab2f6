package eu.ess.justbinit.controller.supervisor;

import static eu.ess.justbinit.wire.rpc.ControllerMessage.BodyCase.ASSIGNMENT;
import static eu.ess.justbinit.wire.rpc.ControllerMessage.BodyCase.RESET_COUNTS;
import static eu.ess.justbinit.wire.rpc.ControllerMessage.BodyCase.STOP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.ess.justbinit.testkit.Eventually;
import eu.ess.justbinit.wire.rpc.Checkpoint;
import eu.ess.justbinit.wire.rpc.Finished;
import eu.ess.justbinit.wire.rpc.HistogramSpec;
import eu.ess.justbinit.wire.rpc.HistogramState;
import eu.ess.justbinit.wire.rpc.HistogramType;
import eu.ess.justbinit.wire.rpc.LogLevel;
import eu.ess.justbinit.wire.rpc.Report;
import eu.ess.justbinit.wire.rpc.Statistics;
import eu.ess.justbinit.wire.rpc.WorkerContract;
import eu.ess.justbinit.wire.rpc.WorkerMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A supervised histogram's decisions (restart, give up, stop, finish), with a pool and workers that
 * are not there: no JVM, no gRPC server, no broker.
 */
class SupervisedHistogramTest {
  private static final RestartPolicy POLICY =
      new RestartPolicy(Duration.ofMillis(100), Duration.ofSeconds(1), 3, Duration.ofSeconds(30));
  private static final String RESTART = "restarting";
  private static final int EXIT_CRASHED = 70;

  /** What the histogram published itself. */
  record Published(HistogramState state, Optional<Checkpoint> checkpoint, String errorMessage) {}

  /**
   * A pool that hands out the spares it was given, launches fake workers, and keeps those given
   * back.
   */
  private final class Pool implements WorkerSupply {
    final Deque<WorkerProcess> spares = new ArrayDeque<>();
    final List<WorkerProcess> launched = new ArrayList<>();
    final List<HistogramKind> givenBack = new ArrayList<>();

    @Override
    public Optional<WorkerProcess> take(RunningHistogram histogram) {
      return Optional.ofNullable(spares.poll());
    }

    @Override
    public WorkerProcess launch(RunningHistogram histogram, String logName) {
      WorkerProcess worker =
          new WorkerProcess(
              "key-" + launched.size(),
              new FakeProcess(),
              runDirectory.resolve(logName),
              histogram.heapMegabytes());
      launched.add(worker);
      return worker;
    }

    @Override
    public CompletableFuture<Void> giveBack(WorkerProcess worker, HistogramKind kind) {
      givenBack.add(kind);
      return CompletableFuture.completedFuture(null);
    }

    WorkerProcess last() {
      return launched.get(launched.size() - 1);
    }
  }

  @TempDir Path runDirectory;
  private final Pool pool = new Pool();
  private final ManualScheduler scheduler = new ManualScheduler();
  private final List<Published> published = new ArrayList<>();
  private SupervisedHistogram histogram;

  @BeforeEach
  void createHistogram() {
    WorkerSettings settings =
        new WorkerSettings(
            WorkerContract.MAIN_CLASS,
            List.of(),
            runDirectory,
            List.of("localhost:9092"),
            Map.of(),
            Duration.ofMillis(500),
            LogLevel.INFO,
            false,
            POLICY,
            SparePool.fixed(1),
            "",
            "none",
            OptionalInt.empty());
    SupervisedHistogram.Needs needs =
        new SupervisedHistogram.Needs(
            pool,
            new WorkerMessages(settings),
            scheduler,
            (spec, layout, checkpoint, state, errorMessage) ->
                published.add(new Published(state, checkpoint, errorMessage)),
            POLICY,
            WorkerHeap.spareMegabytes() * 4);
    HistogramSpec spec =
        HistogramSpec.newBuilder()
            .setType(HistogramType.HIST1D)
            .setId("h")
            .addDataBrokers("localhost:9092")
            .build();
    histogram = new SupervisedHistogram(needs, spec, 0, "worker-1-0.log");
  }

  /** The worker dials in, as the pool would tell the histogram. */
  private static RecordingStream dial(SupervisedHistogram histogram, WorkerProcess worker) {
    RecordingStream stream = new RecordingStream();
    histogram.attached(worker, stream);
    return stream;
  }

  private static FakeProcess process(WorkerProcess worker) {
    return (FakeProcess) worker.process();
  }

  /** The worker checkpoints counts summing to {@code sum} and reports. */
  private void reports(WorkerProcess worker, long sum) {
    Statistics statistics = Statistics.newBuilder().setSum(sum).build();
    histogram.received(
        worker,
        WorkerMessage.newBuilder()
            .setCheckpoint(Checkpoint.newBuilder().addCounts(sum).setStatistics(statistics))
            .build());
    histogram.received(
        worker,
        WorkerMessage.newBuilder()
            .setReport(
                Report.newBuilder().setState(HistogramState.COUNTING).setStatistics(statistics))
            .build());
  }

  /** Starts the histogram on a launched worker that dials in and reports. */
  private WorkerProcess running(long sum) {
    histogram.start();
    WorkerProcess worker = pool.last();
    dial(histogram, worker);
    reports(worker, sum);
    return worker;
  }

  @Test
  void aSpareTakenIsAssignedAtOnce() {
    WorkerProcess spare = pool.launch(histogram, "spare-1.log");
    RecordingStream stream = new RecordingStream();
    spare.attach(stream);
    pool.spares.add(spare);

    histogram.start();

    assertEquals(List.of(ASSIGNMENT), stream.kinds());
    assertEquals(spare.pid(), histogram.info().pid());
    assertEquals(1, pool.launched.size(), "no JVM launched");
  }

  @Test
  void withoutASpareAWorkerIsLaunchedAndAssignedWhenItDialsIn() {
    histogram.start();
    WorkerProcess worker = pool.last();

    RecordingStream stream = dial(histogram, worker);

    assertEquals(List.of(ASSIGNMENT), stream.kinds());
    assertEquals("h", stream.sent().get(0).getAssignment().getSpec().getId());
    assertFalse(stream.sent().get(0).getAssignment().hasResumeFrom());
  }

  @Test
  void aWorkerThatDiesAfterReportingIsRestartedAtOnceFromItsLastCheckpoint() {
    WorkerProcess first = running(5);

    process(first).exit(EXIT_CRASHED);

    assertEquals(-1, histogram.info().pid());
    assertEquals(1, histogram.info().restarts());
    assertEquals(POLICY.firstBackoff(), scheduler.delayOf(RESTART), "no back-off grows");
    scheduler.run(RESTART);
    RecordingStream stream = dial(histogram, pool.last());
    assertEquals(2, pool.launched.size());
    assertEquals(
        5,
        stream.sent().get(0).getAssignment().getResumeFrom().getStatistics().getSum(),
        "resumed from the last checkpoint");
    assertFalse(histogram.ended().isDone());
  }

  @Test
  void workersThatKeepFailingToStartEndTheHistogramInError() {
    histogram.start();
    List<Duration> delays = new ArrayList<>();
    for (int start = 1; start < POLICY.maxFailedStarts(); start++) {
      process(pool.last()).exit(WorkerContract.EXIT_USAGE);
      delays.add(scheduler.delayOf(RESTART));
      scheduler.run(RESTART);
    }
    assertEquals(List.of(Duration.ofMillis(100), Duration.ofMillis(200)), delays, "growing");

    process(pool.last()).exit(WorkerContract.EXIT_USAGE);

    assertEquals(HistogramState.ERROR, histogram.info().state());
    assertTrue(histogram.info().errorMessage().contains("failed to start 3 times in a row"));
    assertEquals(List.of(), published, "published on the scheduler's thread");
    scheduler.run("publishing");
    assertEquals(1, published.size());
    assertEquals(HistogramState.ERROR, published.get(0).state());
    assertTrue(histogram.ended().isDone());
    assertEquals(POLICY.maxFailedStarts(), pool.launched.size());
  }

  @Test
  void aReportBetweenFailuresStartsTheCountOfFailedStartsAgain() {
    histogram.start();
    process(pool.last()).exit(WorkerContract.EXIT_USAGE);
    scheduler.run(RESTART);
    process(pool.last()).exit(WorkerContract.EXIT_USAGE);
    scheduler.run(RESTART);
    WorkerProcess third = pool.last();
    dial(histogram, third);
    reports(third, 1);

    process(third).exit(EXIT_CRASHED);
    scheduler.run(RESTART);
    process(pool.last()).exit(WorkerContract.EXIT_USAGE);

    assertFalse(histogram.ended().isDone(), "one failed start since the report");
    assertEquals(Duration.ofMillis(100), scheduler.delayOf(RESTART), "the back-off starts again");
  }

  @Test
  void stopAsksTheWorkerAndItsFinishedGivesItBackToThePool() {
    WorkerProcess worker = running(7);
    histogram.stop();
    assertFalse(histogram.ended().isDone());

    histogram.received(
        worker,
        WorkerMessage.newBuilder()
            .setFinished(Finished.newBuilder().setState(HistogramState.FINISHED))
            .build());

    assertEquals(List.of(HistogramKind.of(histogram.spec())), pool.givenBack);
    assertTrue(histogram.ended().isDone());
    assertEquals(HistogramState.FINISHED, histogram.info().state());
    assertEquals(List.of(), published, "the worker published its final histogram itself");
  }

  @Test
  void stopReachesAWorkerThatHasNotDialledInYetAfterItsAssignment() {
    histogram.start();
    histogram.resetCounts();
    histogram.stop();

    RecordingStream stream = dial(histogram, pool.last());

    assertEquals(List.of(ASSIGNMENT, RESET_COUNTS, STOP), stream.kinds());
  }

  @Test
  void aHistogramStoppedWhileItWaitsForARestartIsPublishedFromItsLastCheckpoint() {
    process(running(5)).exit(EXIT_CRASHED);

    histogram.stop();

    assertEquals(List.of(), scheduler.pending(), "the restart is cancelled");
    assertEquals(1, published.size());
    assertEquals(HistogramState.FINISHED, published.get(0).state());
    assertEquals(5, published.get(0).checkpoint().orElseThrow().getStatistics().getSum());
    assertTrue(histogram.ended().isDone());
  }

  @Test
  void aWorkerThatDiesWhileItStopsHasItsHistogramPublishedByTheController() {
    WorkerProcess worker = running(5);
    histogram.stop();

    process(worker).exit(EXIT_CRASHED);

    assertEquals(
        List.of(HistogramState.FINISHED), published.stream().map(Published::state).toList());
    assertTrue(histogram.ended().isDone());
    assertEquals(List.of(), scheduler.pending(), "no restart");
  }

  @Test
  void aWorkerThatExitsAsFinishedEndsTheHistogramWithoutARestart() {
    process(running(5)).exit(WorkerContract.EXIT_FINISHED);

    assertTrue(histogram.ended().isDone());
    assertEquals(List.of(), published, "it published its final histogram itself");
    assertEquals(List.of(), scheduler.pending());
  }

  @Test
  void aWorkerOutOfHeapIsReplacedByOneWithTwiceTheHeap() {
    WorkerProcess first = running(5);
    int heap = first.heapMegabytes();

    process(first).exit(WorkerContract.EXIT_OUT_OF_MEMORY);
    scheduler.run(RESTART);

    assertEquals(2 * heap, pool.last().heapMegabytes());
  }

  @Test
  void killingKillsTheWorkerThatDidNotStop() {
    WorkerProcess worker = running(5);
    histogram.stop();

    histogram.kill();

    assertTrue(process(worker).killed());
    assertTrue(histogram.ended().isDone());
  }

  @Test
  void aWorkerWhoseStreamIsLostIsKilledUnlessItExitsByItself() {
    WorkerProcess worker = running(5);

    histogram.streamClosed(worker);

    Eventually.await("killed", Duration.ofSeconds(30), () -> process(worker).killed());
    assertEquals(1, histogram.info().restarts(), "and replaced");
  }

  @Test
  void messagesOfAWorkerThatIsNotItsOwnAreIgnored() {
    WorkerProcess worker = running(5);
    WorkerProcess stranger = pool.launch(histogram, "stranger.log");

    reports(stranger, 99);
    RecordingStream strangersStream = dial(histogram, stranger);

    assertEquals(5, histogram.info().statistics().getSum());
    assertEquals(worker.pid(), histogram.info().pid());
    assertTrue(strangersStream.completed(), "its stream closed");
  }
}
