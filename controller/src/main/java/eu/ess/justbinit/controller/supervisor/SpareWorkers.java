package eu.ess.justbinit.controller.supervisor;

import eu.ess.justbinit.common.logging.Unawaited;
import eu.ess.justbinit.wire.rpc.ControllerMessage;
import eu.ess.justbinit.wire.rpc.Standby;
import eu.ess.justbinit.wire.rpc.WorkerMessage;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Worker JVMs started ahead of need: each has dialled in, been told to stand by, and rehearsed what
 * a histogram will ask of it (the Kafka clients, the binning loops). A histogram that takes one
 * skips the JVM's start, the dialling and the class loading: its first histogram goes out in tens
 * of milliseconds instead of 1 to 2 s, and it catches up at full speed from the first message. The
 * pool tops itself up after each spare it hands out or loses, one spare at a time: each start and
 * rehearsal takes about 2 s of CPU (2.0-2.2 s on 2 cores), and sixteen at once, after a config of
 * sixteen histograms, would take the cores those histograms catch up on. Spares that keep failing
 * to start are retried with a growing back-off, like any worker. The pool grows with the configs as
 * {@link SparePool} says. Workers whose histograms ended wait beside the fresh spares ({@link
 * #adopt}), and are taken first by a histogram of their kind.
 */
final class SpareWorkers {
  private static final Logger LOG = Logger.getLogger(SpareWorkers.class.getName());

  /**
   * How long after handing out a spare the next one is started: a JVM's start and rehearsal take
   * about 2 s of CPU, which the histogram that just took the spare needs more while it catches up
   * (on 2 cores, started at once, they stretched its gaps between publishes from 130 to 400 ms).
   */
  private static final Duration REFILL_AFTER_TAKE = Duration.ofSeconds(2);

  /**
   * How long a spare let go (at closing, or to make room) has to exit by itself once its stream is
   * closed before it is killed: an idle one looks every 0.1 s whether its stream is still open.
   */
  private static final Duration EXIT_GRACE = Duration.ofSeconds(2);

  /** How long closing waits for each killed spare to exit. */
  private static final Duration EXIT_WAIT = Duration.ofSeconds(5);

  private final Supervisor supervisor;
  private final SparePool pool;
  private int wanted;
  private final Backoff backoff;
  private final Deque<WorkerProcess> ready = new ArrayDeque<>();
  private final Set<WorkerProcess> starting = new HashSet<>();
  private final Set<WorkerProcess> rehearsed = new HashSet<>();

  /**
   * Spares that ran a histogram before, each with the kind it ran, oldest first: the warmest for a
   * histogram of that kind.
   */
  private final Map<WorkerProcess, HistogramKind> recycled = new LinkedHashMap<>();

  private boolean refillScheduled;
  private boolean closed;
  private int launched;
  private int failedStartsInARow;

  SpareWorkers(Supervisor supervisor, SparePool pool, RestartPolicy policy) {
    this.supervisor = supervisor;
    this.pool = pool;
    this.wanted = pool.minimum();
    this.backoff = new Backoff(policy.firstBackoff(), policy.maxBackoff());
  }

  /**
   * Starts a spare when fewer than {@code wanted} fresh ones are starting or ready and none is on
   * its way (not yet dialled in or rehearsed); the next follows when this one has rehearsed.
   */
  synchronized void fill() {
    refillScheduled = false;
    boolean oneOnItsWay = !starting.isEmpty() || rehearsed.size() < ready.size();
    if (!closed && !oneOnItsWay && ready.size() - recycled.size() < wanted) {
      String logName = "spare-" + ++launched + ".log";
      WorkerProcess spare;
      try {
        spare = supervisor.launch(Optional.empty(), logName);
      } catch (IOException e) {
        LOG.log(Level.WARNING, "Cannot start a spare worker", e);
        refillLater(backoff.grow());
        return;
      }
      starting.add(spare);
      LOG.fine(() -> "Started spare worker " + spare.pid() + ", log " + logName);
      watchExit(spare);
    }
  }

  /**
   * A spare introduced itself: tell it to stand by; one a histogram took while it was starting is
   * that histogram's.
   */
  void attached(WorkerProcess spare, StreamObserver<ControllerMessage> stream) {
    if (!standBy(spare, stream)) {
      // Outside this pool's lock: the histogram's is taken before it when a histogram takes a
      // spare.
      Optional<SupervisedHistogram> taken = spare.histogram();
      if (taken.isPresent()) {
        taken.get().attached(spare, stream);
      } else {
        stream.onCompleted();
      }
    }
  }

  private synchronized boolean standBy(
      WorkerProcess spare, StreamObserver<ControllerMessage> stream) {
    if (closed || !starting.remove(spare)) {
      return false;
    }
    spare.attach(stream);
    WorkerSettings settings = supervisor.settings();
    spare.send(
        ControllerMessage.newBuilder()
            .setStandby(
                Standby.newBuilder()
                    .putAllOutputKafka(supervisor.outputKafka())
                    .setLogLevel(settings.logLevel())
                    .setRehearsalTopic(settings.rehearsalTopic()))
            .build());
    ready.addLast(spare);
    backoff.reset();
    failedStartsInARow = 0;
    return true;
  }

  /** A spare said it has rehearsed. */
  synchronized void received(WorkerProcess spare, WorkerMessage message) {
    if (message.hasRehearsed() && ready.contains(spare)) {
      rehearsed.add(spare);
      LOG.info(() -> "Spare worker " + spare.pid() + " ready");
      fill();
    } else {
      LOG.warning(() -> "Unexpected " + message.getBodyCase() + " from spare " + spare.pid());
    }
  }

  /**
   * A spare, now {@code histogram}'s, or empty when none is ready or starting; a fresh spare taken
   * is replaced by a new one. One still starting (not dialled in yet) is taken when none has
   * dialled in: it is further on than a JVM started now, which would also halve the cores of both.
   */
  synchronized Optional<WorkerProcess> take(SupervisedHistogram histogram) {
    HistogramKind kind = HistogramKind.of(histogram.spec());
    Optional<WorkerProcess> spare =
        ready.stream()
            .filter(candidate -> candidate.process().isAlive())
            .min(Comparator.comparingInt(candidate -> preference(candidate, kind)));
    if (spare.isEmpty()) {
      spare = starting.stream().filter(candidate -> candidate.process().isAlive()).findFirst();
    }
    spare.ifPresent(
        taken -> {
          leavePool(taken);
          starting.remove(taken);
          taken.runFor(histogram);
          refillLater(REFILL_AFTER_TAKE);
        });
    return spare;
  }

  /**
   * Lower is better: a worker that ran a histogram of this kind, then a fresh spare that has
   * rehearsed, then one that ran another kind, and last a fresh one still rehearsing (still far
   * quicker than a new JVM).
   */
  private int preference(WorkerProcess candidate, HistogramKind kind) {
    HistogramKind ran = recycled.get(candidate);
    if (ran != null) {
      return ran.equals(kind) ? 0 : 2;
    }
    return rehearsed.contains(candidate) ? 1 : 3;
  }

  /**
   * A config of {@code histograms} has taken its spares: from now on the pool keeps as many as it
   * had, within its maximum. The new ones start as after a take, when the histograms have caught up
   * a moment.
   */
  synchronized void followConfig(int histograms) {
    int size = pool.sizeAfterConfig(wanted, histograms);
    if (size > wanted) {
      LOG.info(
          () -> "Keeping " + size + " spare workers from now on (a config of " + histograms + ")");
      wanted = size;
      refillLater(REFILL_AFTER_TAKE);
    }
  }

  /**
   * Takes a worker whose histogram ({@code kind}) ended into the pool, beside the fresh spares: a
   * JVM that has caught up once reads twice as fast as a fresh one's first pass
   * (docs/benchmarks-worker-memory.md). The pool keeps as many such workers as fresh spares; when
   * full, the one that ended longest ago makes room, since the kind that ran last is the likeliest
   * to come again (NICOS sends the same config for each count). No spare is started in vain, and as
   * many JVMs wait as before: one per histogram that ran and per fresh spare.
   *
   * @return false when it cannot be a spare (the caller lets it go)
   */
  synchronized boolean adopt(WorkerProcess worker, HistogramKind kind) {
    if (closed || wanted == 0 || !worker.attached() || !worker.process().isAlive()) {
      return false;
    }
    if (recycled.size() >= wanted) {
      WorkerProcess oldest = recycled.keySet().iterator().next();
      leavePool(oldest);
      LOG.info(() -> "Worker " + oldest.pid() + " makes room for one that ended later");
      oldest.closeStream();
      Unawaited.log(oldest.exitWithin(EXIT_GRACE), LOG, "ending worker " + oldest.pid());
    }
    worker.runNone();
    ready.addLast(worker);
    rehearsed.add(worker);
    recycled.put(worker, kind);
    watchExit(worker);
    LOG.info(() -> "Worker " + worker.pid() + " is a spare again, warm for " + kind);
    return true;
  }

  /**
   * The stream of a worker closed: true when it was a spare (now of no use, so it goes), false when
   * it runs a histogram, which must hear of it.
   */
  boolean lost(WorkerProcess worker) {
    synchronized (this) {
      if (!leavePool(worker) && !starting.remove(worker)) {
        return false;
      }
      refillLater(Duration.ZERO);
    }
    worker.closeStream();
    worker.process().destroyForcibly();
    return true;
  }

  /** The pids of the spares that have rehearsed and wait for a histogram. */
  synchronized List<Long> readyPids() {
    return ready.stream().filter(rehearsed::contains).map(WorkerProcess::pid).toList();
  }

  /**
   * Ends every spare and starts no more. A spare that has dialled in is let go by closing its
   * stream, so that it exits by itself, as a JVM that finishes does (a JFR recording with
   * dumponexit is then written, which a worker back from a histogram may hold); one that has not
   * exited within {@link #EXIT_GRACE}, or has not dialled in yet, is killed.
   */
  void close() {
    List<WorkerProcess> attached;
    List<WorkerProcess> spares;
    synchronized (this) {
      closed = true;
      attached = new ArrayList<>(ready);
      spares = new ArrayList<>(ready);
      spares.addAll(starting);
      ready.clear();
      starting.clear();
      rehearsed.clear();
      recycled.clear();
    }
    attached.forEach(WorkerProcess::closeStream);
    List<CompletableFuture<Void>> exits =
        spares.stream()
            .map(spare -> spare.exitWithin(attached.contains(spare) ? EXIT_GRACE : Duration.ZERO))
            .toList();
    exits.forEach(CompletableFuture::join);
    // Gone when the controller is: a killed JVM takes a moment to exit.
    for (WorkerProcess spare : spares) {
      try {
        spare.process().onExit().get(EXIT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (ExecutionException | TimeoutException e) {
        LOG.warning(() -> "Spare worker " + spare.pid() + " did not exit: " + e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private synchronized void exited(WorkerProcess spare) {
    boolean attachedBefore = leavePool(spare);
    boolean neverAttached = starting.remove(spare);
    if (!attachedBefore && !neverAttached) {
      return; // it runs a histogram now, or we ended it
    }
    String lastLine = spare.lastLogLine();
    LOG.warning(
        () ->
            "Spare worker "
                + spare.pid()
                + " exited, code "
                + spare.process().exitValue()
                + (lastLine.isEmpty() ? "" : ", last log line: " + lastLine));
    if (!neverAttached) {
      refillLater(Duration.ZERO);
    } else if (++failedStartsInARow < supervisor.settings().restartPolicy().maxFailedStarts()) {
      refillLater(backoff.grow());
    } else {
      // Histograms still get workers of their own, and report why those fail.
      LOG.severe(
          () -> failedStartsInARow + " spare workers in a row failed to start: no more spares");
      closed = true;
    }
  }

  /**
   * Takes {@code worker} out of the ready spares, and so out of the rehearsed and recycled ones,
   * which are among them.
   *
   * @return whether it was a ready spare
   */
  private boolean leavePool(WorkerProcess worker) {
    rehearsed.remove(worker);
    recycled.remove(worker);
    return ready.remove(worker);
  }

  private void refillLater(Duration delay) {
    if (closed || refillScheduled) {
      return;
    }
    refillScheduled = true;
    var unused =
        supervisor
            .scheduler()
            .schedule(
                Unawaited.task(LOG, "refilling the spare workers", this::fill),
                delay.toMillis(),
                TimeUnit.MILLISECONDS);
  }

  private void watchExit(WorkerProcess worker) {
    Unawaited.log(
        worker.process().onExit().thenRun(() -> exited(worker)),
        LOG,
        "noticing the exit of spare worker " + worker.pid());
  }
}
