package eu.ess.justbinit.controller.supervisor;

import static eu.ess.justbinit.controller.supervisor.WorkerState.LAUNCHED;
import static eu.ess.justbinit.controller.supervisor.WorkerState.REHEARSING;
import static eu.ess.justbinit.controller.supervisor.WorkerState.RELEASED;
import static eu.ess.justbinit.controller.supervisor.WorkerState.RUNNING;
import static eu.ess.justbinit.controller.supervisor.WorkerState.SPARE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.ess.justbinit.testkit.Eventually;
import eu.ess.justbinit.wire.rpc.ControllerMessage;
import eu.ess.justbinit.wire.rpc.EventSchema;
import eu.ess.justbinit.wire.rpc.HistogramType;
import eu.ess.justbinit.wire.rpc.Rehearsed;
import eu.ess.justbinit.wire.rpc.Report;
import eu.ess.justbinit.wire.rpc.Standby;
import eu.ess.justbinit.wire.rpc.WorkerMessage;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pool's moves between worker states, with workers that are not there: no JVM, no gRPC. */
class WorkerPoolTest {
  private static final RestartPolicy POLICY =
      new RestartPolicy(Duration.ofMillis(100), Duration.ofSeconds(1), 3, Duration.ofSeconds(30));
  private static final ControllerMessage STANDBY =
      ControllerMessage.newBuilder().setStandby(Standby.getDefaultInstance()).build();
  private static final WorkerMessage REHEARSED =
      WorkerMessage.newBuilder().setRehearsed(Rehearsed.getDefaultInstance()).build();
  private static final HistogramKind HIST1D =
      new HistogramKind(EventSchema.EV44, HistogramType.HIST1D, false);
  private static final HistogramKind ROIHIST =
      new HistogramKind(EventSchema.EV44, HistogramType.ROIHIST, false);
  private static final String REFILL = "refilling";

  @TempDir Path runDirectory;
  private final ManualScheduler scheduler = new ManualScheduler();
  private final List<WorkerProcess> launched = new ArrayList<>();
  private final List<Integer> heaps = new ArrayList<>();

  /** The histogram a worker runs, as the pool sees it: keeps what the pool tells it. */
  private static final class Histogram implements RunningHistogram {
    final HistogramKind kind;
    final int heapMegabytes;
    final List<WorkerProcess> attached = new ArrayList<>();
    final List<WorkerMessage> received = new ArrayList<>();
    final List<WorkerProcess> closed = new ArrayList<>();

    Histogram(HistogramKind kind, int heapMegabytes) {
      this.kind = kind;
      this.heapMegabytes = heapMegabytes;
    }

    Histogram(HistogramKind kind) {
      this(kind, WorkerHeap.spareMegabytes());
    }

    @Override
    public HistogramKind kind() {
      return kind;
    }

    @Override
    public int heapMegabytes() {
      return heapMegabytes;
    }

    @Override
    public void attached(WorkerProcess worker, StreamObserver<ControllerMessage> stream) {
      worker.attach(stream);
      attached.add(worker);
    }

    @Override
    public void received(WorkerProcess worker, WorkerMessage message) {
      received.add(message);
    }

    @Override
    public void streamClosed(WorkerProcess worker) {
      closed.add(worker);
    }

    @Override
    public String describe() {
      return "a " + kind;
    }
  }

  private WorkerPool pool(SparePool sizes) {
    return new WorkerPool(
        sizes,
        POLICY,
        (logName, heapMegabytes) -> {
          WorkerProcess worker =
              new WorkerProcess(
                  "key-" + launched.size(),
                  new FakeProcess(),
                  runDirectory.resolve(logName),
                  heapMegabytes);
          launched.add(worker);
          heaps.add(heapMegabytes);
          return worker;
        },
        true,
        WorkerHeap.spareMegabytes() * 4,
        scheduler,
        STANDBY);
  }

  private static FakeProcess process(WorkerProcess worker) {
    return (FakeProcess) worker.process();
  }

  private WorkerProcess last() {
    return launched.get(launched.size() - 1);
  }

  /** Launches a spare (unless one is on its way), dials it in and has it rehearse. */
  private WorkerProcess spare(WorkerPool pool, RecordingStream stream) {
    pool.fill();
    WorkerProcess spare =
        launched.stream()
            .filter(worker -> pool.stateOf(worker) == LAUNCHED)
            .findFirst()
            .orElseThrow();
    assertSame(spare, pool.attach(spare.key(), stream));
    pool.received(spare, REHEARSED);
    assertEquals(SPARE, pool.stateOf(spare));
    return spare;
  }

  private WorkerProcess spare(WorkerPool pool) {
    return spare(pool, new RecordingStream());
  }

  /** Has {@code histogram} take a spare, then end, so that the spare is warm for its kind. */
  private WorkerProcess warm(WorkerPool pool, Histogram histogram) {
    WorkerProcess worker = pool.take(histogram).orElseThrow();
    assertTrue(pool.giveBack(worker, histogram.kind()).isDone());
    return worker;
  }

  @Test
  void aSpareIsLaunchedDialsInRehearsesAndWaits() {
    WorkerPool pool = pool(SparePool.fixed(1));

    pool.fill();
    WorkerProcess spare = last();
    assertEquals(LAUNCHED, pool.stateOf(spare));
    assertEquals(List.of(WorkerHeap.spareMegabytes()), heaps, "a spare's heap");
    pool.fill();
    assertEquals(1, launched.size(), "one spare on its way at a time");

    RecordingStream stream = new RecordingStream();
    assertSame(spare, pool.attach(spare.key(), stream));
    assertEquals(REHEARSING, pool.stateOf(spare));
    assertEquals(List.of(ControllerMessage.BodyCase.STANDBY), stream.kinds());
    assertEquals(List.of(), pool.sparePids(), "not a SPARE while it rehearses");

    pool.received(spare, REHEARSED);
    assertEquals(SPARE, pool.stateOf(spare));
    assertEquals(List.of(spare.pid()), pool.sparePids());
    pool.fill();
    assertEquals(1, launched.size(), "the pool is full");
  }

  @Test
  void aKeyIsSingleUseAndAnUnknownOneIsRefused() {
    WorkerPool pool = pool(SparePool.fixed(1));
    pool.fill();
    WorkerProcess spare = last();

    assertNull(pool.attach("no such key", new RecordingStream()));
    assertSame(spare, pool.attach(spare.key(), new RecordingStream()));
    assertNull(pool.attach(spare.key(), new RecordingStream()), "the key was used");
  }

  @Test
  void aTakenSpareRunsTheHistogramAndAnotherIsLaunchedLater() {
    WorkerPool pool = pool(SparePool.fixed(1));
    WorkerProcess spare = spare(pool);
    Histogram histogram = new Histogram(HIST1D);

    assertEquals(Optional.of(spare), pool.take(histogram));
    assertEquals(RUNNING, pool.stateOf(spare));
    assertEquals(Duration.ofSeconds(2), scheduler.delayOf(REFILL), "after the histogram caught up");
    assertEquals(1, launched.size());
    scheduler.run(REFILL);
    assertEquals(2, launched.size(), "its replacement");

    WorkerMessage report =
        WorkerMessage.newBuilder().setReport(Report.getDefaultInstance()).build();
    pool.received(spare, report);
    assertEquals(List.of(report), histogram.received, "its messages go to its histogram");
    pool.streamClosed(spare);
    assertEquals(List.of(spare), histogram.closed, "and so does the loss of its stream");
    assertEquals(RUNNING, pool.stateOf(spare), "its histogram decides what that means");
  }

  @Test
  void noSpareIsTakenWhenThereIsNoneOrItsHeapIsTooSmall() {
    WorkerPool pool = pool(SparePool.fixed(1));
    assertEquals(Optional.empty(), pool.take(new Histogram(HIST1D)), "none launched yet");
    WorkerProcess spare = spare(pool);

    assertEquals(
        Optional.empty(), pool.take(new Histogram(HIST1D, WorkerHeap.spareMegabytes() + 1)));
    assertEquals(SPARE, pool.stateOf(spare));
  }

  @Test
  void aSpareStillLaunchedIsTakenWhenNoneHasDialledInAndRunsTheHistogramOnceItDoes() {
    WorkerPool pool = pool(SparePool.fixed(1));
    pool.fill();
    WorkerProcess spare = last();
    Histogram histogram = new Histogram(HIST1D);

    assertEquals(Optional.of(spare), pool.take(histogram));
    assertEquals(LAUNCHED, pool.stateOf(spare), "not dialled in yet");
    RecordingStream stream = new RecordingStream();
    assertSame(spare, pool.attach(spare.key(), stream));

    assertEquals(RUNNING, pool.stateOf(spare));
    assertEquals(List.of(spare), histogram.attached, "its histogram assigns it");
    assertEquals(List.of(), stream.kinds(), "no Standby");
    scheduler.run(REFILL);
    assertEquals(2, launched.size(), "its replacement");
  }

  @Test
  void aWorkerLaunchedForAHistogramRunsItOnceItDialsIn() {
    WorkerPool pool = pool(SparePool.fixed(0));
    Histogram histogram = new Histogram(HIST1D, WorkerHeap.spareMegabytes() * 2);

    WorkerProcess worker = launch(pool, histogram);
    assertEquals(LAUNCHED, pool.stateOf(worker));
    assertEquals(List.of(WorkerHeap.spareMegabytes() * 2), heaps, "the histogram's heap");
    RecordingStream stream = new RecordingStream();
    assertSame(worker, pool.attach(worker.key(), stream));

    assertEquals(RUNNING, pool.stateOf(worker));
    assertEquals(List.of(worker), histogram.attached, "its histogram assigns it");
    assertEquals(List.of(), stream.kinds(), "no Standby");

    process(worker).exit(70);
    assertEquals(RELEASED, pool.stateOf(worker));
    assertEquals(List.of(), histogram.closed, "its histogram watches the exit itself");
  }

  @Test
  void aWorkerThatNeverDialsInIsKilledAtTheHelloTimeout() {
    WorkerPool pool = pool(SparePool.fixed(0));
    WorkerProcess dials = launch(pool, new Histogram(HIST1D));
    WorkerProcess silent = launch(pool, new Histogram(HIST1D));
    pool.attach(dials.key(), new RecordingStream());

    scheduler.run("the hello timeout");

    assertTrue(process(silent).killed());
    assertFalse(process(dials).killed());
  }

  @Test
  void aHistogramTakesASpareWarmForItsKindThenAFreshOneThenAWarmOneOfAnotherKind() {
    WorkerPool pool = pool(SparePool.fixed(2));
    WorkerProcess first = spare(pool);
    WorkerProcess second = spare(pool);
    WorkerProcess warmRoi = warm(pool, new Histogram(ROIHIST));
    WorkerProcess warmHist1d = warm(pool, new Histogram(HIST1D));
    assertSame(first, warmRoi);
    assertSame(second, warmHist1d);
    scheduler.run(REFILL);
    WorkerProcess fresh = last();
    pool.attach(fresh.key(), new RecordingStream());
    pool.received(fresh, REHEARSED);

    assertEquals(Optional.of(warmHist1d), pool.take(new Histogram(HIST1D)), "warm for it");
    assertEquals(Optional.of(fresh), pool.take(new Histogram(HIST1D)), "fresh");
    assertEquals(Optional.of(warmRoi), pool.take(new Histogram(HIST1D)), "warm for another");
  }

  @Test
  void aFreshSpareStillRehearsingIsTakenLast() {
    WorkerPool pool = pool(SparePool.fixed(2));
    WorkerProcess rehearsed = spare(pool);
    pool.fill();
    WorkerProcess rehearsing = last();
    pool.attach(rehearsing.key(), new RecordingStream());

    assertEquals(Optional.of(rehearsed), pool.take(new Histogram(HIST1D)));
    assertEquals(Optional.of(rehearsing), pool.take(new Histogram(HIST1D)));
    assertEquals(RUNNING, pool.stateOf(rehearsing));
  }

  @Test
  void aWorkerGivenBackIsAWarmSpareAndTheOneThatEndedLongestAgoMakesRoom() {
    WorkerPool pool = pool(SparePool.fixed(1));
    WorkerProcess first = spare(pool);
    warm(pool, new Histogram(HIST1D));
    assertEquals(SPARE, pool.stateOf(first));
    assertEquals(List.of(first.pid()), pool.sparePids());
    scheduler.run(REFILL);
    WorkerProcess second = last();
    pool.attach(second.key(), new RecordingStream());
    pool.received(second, REHEARSED);

    WorkerProcess taken = pool.take(new Histogram(ROIHIST)).orElseThrow();
    assertSame(second, taken, "fresh before warm for another kind");
    assertTrue(pool.giveBack(taken, ROIHIST).isDone());

    assertEquals(RELEASED, pool.stateOf(first), "as many warm spares as fresh ones");
    assertEquals(SPARE, pool.stateOf(second));
  }

  @Test
  void aWorkerGivenBackToAPoolThatKeepsNoneIsReleased() {
    WorkerPool pool = pool(SparePool.fixed(0));
    WorkerProcess worker = launch(pool, new Histogram(HIST1D));
    RecordingStream stream = new RecordingStream();
    pool.attach(worker.key(), stream);

    CompletableFuture<Void> gone = pool.giveBack(worker, HIST1D);

    assertEquals(RELEASED, pool.stateOf(worker));
    assertTrue(stream.completed(), "its stream closed, so that it exits by itself");
    assertFalse(gone.isDone());
    process(worker).exit(0);
    assertTrue(gone.isDone());
  }

  @Test
  void givingBackAWorkerThatRunsNoHistogramIsRefused() {
    WorkerPool pool = pool(SparePool.fixed(1));
    WorkerProcess spare = spare(pool);

    IllegalStateException refused =
        assertThrows(IllegalStateException.class, () -> pool.giveBack(spare, HIST1D));
    assertTrue(refused.getMessage().contains("SPARE"), refused.getMessage());
    assertEquals(SPARE, pool.stateOf(spare), "unchanged");
  }

  @Test
  void aSpareWhoseStreamClosesIsLostAndReplaced() {
    WorkerPool pool = pool(SparePool.fixed(1));
    WorkerProcess spare = spare(pool);

    pool.streamClosed(spare);

    assertEquals(RELEASED, pool.stateOf(spare));
    assertTrue(process(spare).killed());
    assertEquals(Duration.ZERO, scheduler.delayOf(REFILL));
    scheduler.run(REFILL);
    assertEquals(2, launched.size());
  }

  @Test
  void aSpareThatExitsIsReplacedAtOnce() {
    WorkerPool pool = pool(SparePool.fixed(1));
    WorkerProcess spare = spare(pool);

    process(spare).exit(1);

    assertEquals(RELEASED, pool.stateOf(spare));
    assertEquals(Duration.ZERO, scheduler.delayOf(REFILL));
  }

  @Test
  void sparesThatFailToDialInAreRetriedLaterAndLaterThenNoMore() {
    WorkerPool pool = pool(SparePool.fixed(1));
    List<Duration> delays = new ArrayList<>();
    for (int i = 0; i < POLICY.maxFailedStarts(); i++) {
      pool.fill();
      process(last()).exit(2);
      if (i < POLICY.maxFailedStarts() - 1) {
        delays.add(scheduler.delayOf(REFILL));
        scheduler.run(REFILL);
      }
    }

    assertEquals(List.of(Duration.ofMillis(100), Duration.ofMillis(200)), delays);
    assertTrue(scheduler.pending().stream().noneMatch(task -> task.what().startsWith(REFILL)));
    pool.fill();
    assertEquals(POLICY.maxFailedStarts(), launched.size(), "no more spares");
  }

  @Test
  void aConfigOfMoreHistogramsGrowsThePoolWithinItsMaximum() {
    WorkerPool pool = pool(new SparePool(1, 2));
    spare(pool);

    pool.followConfig(5);
    scheduler.run(REFILL);

    assertEquals(2, launched.size(), "one more, up to the maximum");
  }

  @Test
  void closingReleasesTheSparesAndLeavesRunningWorkersToTheirHistograms() {
    WorkerPool pool = pool(SparePool.fixed(2));
    WorkerProcess running = launch(pool, new Histogram(HIST1D));
    RecordingStream runningStream = new RecordingStream();
    pool.attach(running.key(), runningStream);
    RecordingStream dialledStream = new RecordingStream();
    WorkerProcess dialled = spare(pool, dialledStream);
    WorkerProcess launchedSpare = last();
    assertEquals(LAUNCHED, pool.stateOf(launchedSpare), "the next spare, on its way");

    CompletableFuture<Void> closing = CompletableFuture.runAsync(pool::close);
    // The spare that dialled in exits once its stream is closed, as a real one does.
    Eventually.await("the stream closed", Duration.ofSeconds(30), dialledStream::completed);
    process(dialled).exit(0);
    closing.join();

    assertEquals(RELEASED, pool.stateOf(dialled));
    assertEquals(RELEASED, pool.stateOf(launchedSpare));
    assertTrue(process(launchedSpare).killed(), "one that never dialled in is killed");
    assertFalse(process(dialled).killed(), "one that dialled in exits by itself");
    assertEquals(RUNNING, pool.stateOf(running));
    assertFalse(runningStream.completed());
    pool.fill();
    assertEquals(3, launched.size(), "no spare launched after closing");
  }

  @Test
  void eachStateMayBecomeOnlyItsSuccessorsAndAnyMayBeReleasedOnce() {
    assertEquals(EnumSet.of(REHEARSING, RUNNING, RELEASED), successors(LAUNCHED));
    assertEquals(EnumSet.of(SPARE, RUNNING, RELEASED), successors(REHEARSING));
    assertEquals(EnumSet.of(RUNNING, RELEASED), successors(SPARE));
    assertEquals(EnumSet.of(SPARE, RELEASED), successors(RUNNING));
    assertEquals(EnumSet.noneOf(WorkerState.class), successors(RELEASED));
  }

  private static EnumSet<WorkerState> successors(WorkerState state) {
    EnumSet<WorkerState> next = EnumSet.noneOf(WorkerState.class);
    for (WorkerState candidate : WorkerState.values()) {
      if (state.canBecome(candidate)) {
        next.add(candidate);
      }
    }
    return next;
  }

  private static WorkerProcess launch(WorkerPool pool, Histogram histogram) {
    try {
      return pool.launch(histogram, "worker.log");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
