package eu.ess.justbinit.supervisor;

import eu.ess.justbinit.rpc.ControllerMessage;
import eu.ess.justbinit.rpc.Standby;
import eu.ess.justbinit.rpc.WorkerMessage;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
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
 * {@link SparePool} says.
 */
final class SpareWorkers {
  private static final Logger LOG = Logger.getLogger(SpareWorkers.class.getName());

  /**
   * How long after handing out a spare the next one is started: a JVM's start and rehearsal take
   * about 2 s of CPU, which the histogram that just took the spare needs more while it catches up
   * (on 2 cores, started at once, they stretched its gaps between publishes from 130 to 400 ms).
   */
  private static final Duration REFILL_AFTER_TAKE = Duration.ofSeconds(2);

  private final Supervisor supervisor;
  private final SparePool pool;
  private int wanted;
  private final Backoff backoff;
  private final Deque<WorkerProcess> ready = new ArrayDeque<>();
  private final Set<WorkerProcess> starting = new HashSet<>();
  private final Set<WorkerProcess> rehearsed = new HashSet<>();
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
   * Starts a spare when fewer than {@code wanted} are starting or ready and none is on its way (not
   * yet dialled in or rehearsed); the next follows when this one has rehearsed.
   */
  synchronized void fill() {
    refillScheduled = false;
    boolean oneOnItsWay = !starting.isEmpty() || rehearsed.size() < ready.size();
    if (!closed && !oneOnItsWay && ready.size() < wanted) {
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
      var unusedExit = spare.process().onExit().thenRun(() -> exited(spare));
    }
  }

  /** A spare introduced itself: tell it to stand by. */
  synchronized void attached(WorkerProcess spare, StreamObserver<ControllerMessage> stream) {
    if (closed || !starting.remove(spare)) {
      stream.onCompleted();
      return;
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
   * A ready spare, now {@code histogram}'s, or empty when none is ready; a new spare is started in
   * its place.
   */
  synchronized Optional<WorkerProcess> take(SupervisedHistogram histogram) {
    // A rehearsed spare first; one still rehearsing is still far quicker than a new JVM.
    Optional<WorkerProcess> spare =
        ready.stream()
            .filter(candidate -> candidate.process().isAlive())
            .min(Comparator.comparing(candidate -> !rehearsed.contains(candidate)));
    spare.ifPresent(
        taken -> {
          ready.remove(taken);
          rehearsed.remove(taken);
          taken.runFor(histogram);
          refillLater(REFILL_AFTER_TAKE);
        });
    return spare;
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
   * The stream of a worker closed: true when it was a spare (now of no use, so it goes), false when
   * it runs a histogram, which must hear of it.
   */
  boolean lost(WorkerProcess worker) {
    synchronized (this) {
      if (!ready.remove(worker) && !starting.remove(worker)) {
        return false;
      }
      rehearsed.remove(worker);
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

  /** Ends every spare and starts no more. */
  void close() {
    List<WorkerProcess> spares;
    synchronized (this) {
      closed = true;
      spares = new ArrayList<>(ready);
      spares.addAll(starting);
      ready.clear();
      starting.clear();
      rehearsed.clear();
    }
    for (WorkerProcess spare : spares) {
      spare.closeStream();
      spare.process().destroyForcibly();
    }
  }

  private synchronized void exited(WorkerProcess spare) {
    rehearsed.remove(spare);
    boolean attachedBefore = ready.remove(spare);
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

  private void refillLater(Duration delay) {
    if (closed || refillScheduled) {
      return;
    }
    refillScheduled = true;
    var unused =
        supervisor.scheduler().schedule(this::fill, delay.toMillis(), TimeUnit.MILLISECONDS);
  }
}
