package eu.ess.justbinit.controller.supervisor;

import eu.ess.justbinit.common.logging.Unawaited;
import eu.ess.justbinit.controller.state.StoredHistogram;
import eu.ess.justbinit.wire.rpc.Assignment;
import eu.ess.justbinit.wire.rpc.Checkpoint;
import eu.ess.justbinit.wire.rpc.ControllerMessage;
import eu.ess.justbinit.wire.rpc.HistogramSpec;
import eu.ess.justbinit.wire.rpc.HistogramState;
import eu.ess.justbinit.wire.rpc.Layout;
import eu.ess.justbinit.wire.rpc.ResetCounts;
import eu.ess.justbinit.wire.rpc.Statistics;
import eu.ess.justbinit.wire.rpc.Stop;
import eu.ess.justbinit.wire.rpc.WorkerContract;
import eu.ess.justbinit.wire.rpc.WorkerMessage;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One listed histogram and the worker that runs it: keeps a worker alive (restart from the last
 * checkpoint with a growing back-off), gives up after too many failed starts, and forwards stop and
 * reset. It takes its workers from a {@link WorkerSupply} and gives them back when its histogram
 * ends.
 *
 * <p>Threads: the command thread (start, stop, reset, kill, info), gRPC threads (its worker's
 * stream, through the pool), its worker's {@code Process.onExit} callback and the supervisor's
 * scheduler thread (restarts, publishing in ERROR) call it. It locks itself, after the {@link
 * Supervisor} and before the pool and a worker (the lock order is in docs/architecture.md,
 * "Threads"); it publishes a final histogram without its lock.
 */
final class SupervisedHistogram implements RunningHistogram {
  private static final Logger LOG = Logger.getLogger(SupervisedHistogram.class.getName());

  /** How long a worker whose stream closed may take to exit by itself before it is killed. */
  private static final Duration STREAM_LOST_GRACE = Duration.ofMillis(300);

  /**
   * What every supervised histogram of a controller shares.
   *
   * @param workers where its workers come from
   * @param messages builds its Assignment
   * @param scheduler runs its restarts
   * @param publisher publishes its final histogram when no worker can
   * @param policy how hard it keeps a worker alive
   * @param mostHeapMegabytes the most heap a worker may have, in MB
   */
  record Needs(
      WorkerSupply workers,
      WorkerMessages messages,
      Scheduler scheduler,
      FinalPublisher publisher,
      RestartPolicy policy,
      int mostHeapMegabytes) {}

  private final Needs needs;
  private final HistogramSpec spec;
  private final int slot;
  private final String logName;
  private final RestartPolicy policy;
  private final CompletableFuture<Void> ended = new CompletableFuture<>();
  private final StoredHistogram stored;

  private WorkerProcess worker;
  private Future<?> pendingRestart;
  private final Backoff backoff;
  private int restarts;
  private int failedStartsInARow;
  private int heapMegabytes;
  private boolean stopping;
  private boolean resetPending;
  private boolean finished;
  private HistogramState state = HistogramState.HISTOGRAM_STATE_UNSPECIFIED;
  private String errorMessage = "";
  private Statistics statistics = Statistics.getDefaultInstance();
  private Layout layout;
  private Checkpoint checkpoint;

  /**
   * @param slot its number among the running histograms (Graphite names it by this)
   */
  SupervisedHistogram(Needs needs, HistogramSpec spec, int slot, String logName) {
    this(needs, spec, slot, logName, StoredHistogram.NOT_KEPT, Optional.empty());
  }

  /**
   * @param slot its number among the running histograms (Graphite names it by this)
   * @param stored where its checkpoints are kept on disk
   * @param resumeFrom the checkpoint its first worker resumes from (a controller that died ran it)
   */
  SupervisedHistogram(
      Needs needs,
      HistogramSpec spec,
      int slot,
      String logName,
      StoredHistogram stored,
      Optional<Checkpoint> resumeFrom) {
    this.needs = needs;
    this.spec = spec;
    this.slot = slot;
    this.logName = logName;
    this.stored = stored;
    this.checkpoint = resumeFrom.orElse(null);
    this.policy = needs.policy();
    this.backoff = new Backoff(policy.firstBackoff(), policy.maxBackoff());
    this.heapMegabytes = WorkerHeap.megabytesFor(spec);
  }

  /** The heap limit of this histogram's next worker, in MB. */
  @Override
  public synchronized int heapMegabytes() {
    return heapMegabytes;
  }

  @Override
  public HistogramKind kind() {
    return HistogramKind.of(spec);
  }

  HistogramSpec spec() {
    return spec;
  }

  int slot() {
    return slot;
  }

  /** Where its checkpoints are kept on disk. */
  StoredHistogram stored() {
    return stored;
  }

  /** Completes when no worker runs for this histogram any more and none will be started. */
  CompletableFuture<Void> ended() {
    return ended;
  }

  synchronized WorkerInfo info() {
    return new WorkerInfo(
        spec.getId(),
        slot,
        worker == null ? -1 : worker.pid(),
        state,
        restarts,
        statistics,
        errorMessage);
  }

  /** Starts the first worker. */
  synchronized void start() {
    startWorker();
  }

  private void startWorker() {
    pendingRestart = null;
    if (stopping || ended.isDone()) {
      return;
    }
    Optional<WorkerProcess> spare = needs.workers().take(this);
    if (spare.isPresent()) {
      worker = spare.get();
      LOG.info(() -> "Spare worker " + spare.get().pid() + " runs " + describe());
      watchExit(spare.get());
      // One taken while still LAUNCHED is assigned when it dials in (attached).
      if (spare.get().attached()) {
        assign(spare.get());
      }
      return;
    }
    WorkerProcess started;
    try {
      started = needs.workers().launch(this, logName);
    } catch (IOException e) {
      LOG.log(Level.WARNING, "Cannot start a worker for " + describe(), e);
      afterDeath(null, "the worker JVM could not be started: " + e.getMessage());
      return;
    }
    worker = started;
    LOG.info(() -> "Launched worker " + started.pid() + " for " + describe());
    watchExit(started);
  }

  private void watchExit(WorkerProcess watched) {
    Unawaited.log(
        watched.process().onExit().thenRun(() -> exited(watched)),
        LOG,
        "noticing the exit of worker " + watched.pid() + " of " + describe());
  }

  /**
   * The worker dialled in with its key: assign it the histogram. Its stream is attached here, under
   * this histogram's lock, so that a spare taken while it dials in is assigned once.
   */
  @Override
  public synchronized void attached(
      WorkerProcess attaching, StreamObserver<ControllerMessage> stream) {
    if (attaching != worker) {
      stream.onCompleted();
      return;
    }
    attaching.attach(stream);
    assign(attaching);
  }

  /** Sends the Assignment, and what was asked of the histogram while it had no worker. */
  private void assign(WorkerProcess attached) {
    Assignment.Builder assignment = needs.messages().assignment(spec);
    if (checkpoint != null) {
      assignment.setResumeFrom(checkpoint);
    }
    attached.send(ControllerMessage.newBuilder().setAssignment(assignment).build());
    if (resetPending) {
      resetPending = false;
      attached.send(resetMessage());
    }
    if (stopping) {
      attached.send(stopMessage());
    }
  }

  @Override
  public synchronized void received(WorkerProcess from, WorkerMessage message) {
    if (from != worker) {
      return;
    }
    switch (message.getBodyCase()) {
      case LAYOUT -> layout = message.getLayout();
      case REPORT -> {
        from.markReported();
        backoff.reset();
        failedStartsInARow = 0;
        state = message.getReport().getState();
        errorMessage = message.getReport().getErrorMessage();
        statistics = message.getReport().getStatistics();
      }
      case CHECKPOINT -> {
        checkpoint = message.getCheckpoint();
        stored.checkpointed(checkpoint);
      }
      // A spare taken while it still rehearsed says when it is done: it runs its histogram anyway.
      case REHEARSED -> LOG.fine(() -> "Worker " + from.pid() + " finished rehearsing");
      case FINISHED -> {
        // The worker published its final histogram and waits for another: the pool has it back.
        finished = true;
        state = message.getFinished().getState();
        worker = null;
        LOG.info(() -> "Worker " + from.pid() + " of " + describe() + " ended " + state);
        Unawaited.log(
            needs.workers().giveBack(from, kind()).thenRun(() -> ended.complete(null)),
            LOG,
            "giving back worker " + from.pid() + " of " + describe());
      }
      default ->
          LOG.warning(() -> "Unexpected " + message.getBodyCase() + " from worker " + from.pid());
    }
  }

  /** The worker's stream closed or failed: a worker we cannot talk to is of no use. */
  @Override
  public synchronized void streamClosed(WorkerProcess from) {
    from.closeStream();
    if (from == worker && !finished && from.process().isAlive()) {
      LOG.warning(() -> "Lost the stream of worker " + from.pid() + " of " + describe());
      // A worker that closed its stream may be exiting on its own: let its exit code tell why.
      Unawaited.log(from.exitWithin(STREAM_LOST_GRACE), LOG, "ending worker " + from.pid());
    }
  }

  void exited(WorkerProcess gone) {
    boolean publishFinished;
    synchronized (this) {
      if (gone != worker) {
        return;
      }
      gone.closeStream();
      worker = null;
      int exitCode = gone.process().exitValue();
      // Its Finished message may still be on its way when the exit is noticed: a worker that
      // exits 0 has published its final histogram itself, and ours, from an older checkpoint,
      // would land after it.
      finished |= exitCode == WorkerContract.EXIT_FINISHED;
      if (finished || stopping) {
        publishFinished = !finished;
        LOG.info(
            () -> "Worker " + gone.pid() + " of " + describe() + " ended, exit code " + exitCode);
        if (publishFinished) {
          state = HistogramState.FINISHED;
        }
      } else {
        publishFinished = false;
        String line = gone.lastLogLine();
        String why = "exit code " + exitCode + (line.isEmpty() ? "" : ", last log line: " + line);
        LOG.warning(() -> "Worker " + gone.pid() + " of " + describe() + " died: " + why);
        if (exitCode == WorkerContract.EXIT_OUT_OF_MEMORY) {
          moreHeap(gone);
        }
        afterDeath(gone, why);
        return;
      }
    }
    if (publishFinished) {
      publishOurselves(HistogramState.FINISHED, "");
    }
    ended.complete(null);
  }

  /**
   * A worker ran out of heap: the next gets twice as much, within the most a worker may have. One
   * that had all of it already and has never reported fails its start again and again until the
   * histogram ends in ERROR.
   */
  private void moreHeap(WorkerProcess gone) {
    int most = needs.mostHeapMegabytes();
    heapMegabytes = (int) Math.min(most, 2L * gone.heapMegabytes());
    int next = heapMegabytes;
    if (next > gone.heapMegabytes()) {
      LOG.warning(
          () ->
              "Its "
                  + gone.heapMegabytes()
                  + " MB of heap were too few: the next worker gets "
                  + next
                  + " MB");
    } else {
      LOG.warning(
          () ->
              "Its "
                  + gone.heapMegabytes()
                  + " MB of heap were too few, and a worker may have no more");
    }
  }

  /**
   * Restarts after a growing back-off, or gives up when the starts keep failing: a worker that dies
   * before its first report failed to start, however long it took, and so many failures in a row
   * without a report between them end the histogram.
   */
  private void afterDeath(WorkerProcess gone, String why) {
    if (gone == null || !gone.reported()) {
      failedStartsInARow++;
      if (failedStartsInARow >= policy.maxFailedStarts()) {
        giveUp(
            "The worker of this histogram failed to start "
                + failedStartsInARow
                + " times in a row; the last one: "
                + why);
        return;
      }
    }
    Duration delay = gone == null || !gone.reported() ? backoff.grow() : backoff.current();
    restarts++;
    pendingRestart = needs.scheduler().after(delay, "restarting " + describe(), this::restart);
  }

  private synchronized void restart() {
    startWorker();
  }

  private void giveUp(String why) {
    state = HistogramState.ERROR;
    errorMessage = why;
    LOG.severe(() -> "Giving up on " + describe() + ": " + why);
    var unused =
        needs
            .scheduler()
            .after(
                Duration.ZERO,
                "publishing " + describe() + " in ERROR",
                () -> {
                  publishOurselves(HistogramState.ERROR, why);
                  ended.complete(null);
                });
  }

  private void publishOurselves(HistogramState finalState, String why) {
    Optional<Layout> knownLayout;
    Optional<Checkpoint> knownCheckpoint;
    synchronized (this) {
      knownLayout = Optional.ofNullable(layout);
      knownCheckpoint = Optional.ofNullable(checkpoint);
    }
    try {
      needs.publisher().publish(spec, knownLayout, knownCheckpoint, finalState, why);
    } catch (RuntimeException e) {
      LOG.log(Level.SEVERE, "Could not publish " + describe() + " in state " + finalState, e);
    }
  }

  /**
   * Asks the worker to publish its final histogram (FINISHED) and say Finished. A histogram waiting
   * for a restart is published from its last checkpoint instead.
   */
  void stop() {
    boolean publishNow = false;
    synchronized (this) {
      if (stopping || ended.isDone()) {
        return;
      }
      stopping = true;
      if (worker != null) {
        worker.send(stopMessage());
      } else if (pendingRestart != null) {
        pendingRestart.cancel(false);
        pendingRestart = null;
        publishNow = true;
        state = HistogramState.FINISHED;
      }
    }
    if (publishNow) {
      publishOurselves(HistogramState.FINISHED, "");
      ended.complete(null);
    }
  }

  /** Kills a worker that did not stop in time. */
  synchronized void kill() {
    if (worker != null) {
      LOG.warning(
          () -> "Worker " + worker.pid() + " of " + describe() + " did not stop: killing it");
      worker.process().destroyForcibly();
    }
  }

  /** Zeroes the histogram's counts, keeping its settings. */
  synchronized void resetCounts() {
    if (worker != null && worker.attached()) {
      worker.send(resetMessage());
    } else {
      resetPending = true;
    }
  }

  @Override
  public String describe() {
    return "histogram " + spec.getIndex() + " '" + spec.getId() + "'";
  }

  private static ControllerMessage stopMessage() {
    return ControllerMessage.newBuilder().setStop(Stop.getDefaultInstance()).build();
  }

  private static ControllerMessage resetMessage() {
    return ControllerMessage.newBuilder().setResetCounts(ResetCounts.getDefaultInstance()).build();
  }
}
