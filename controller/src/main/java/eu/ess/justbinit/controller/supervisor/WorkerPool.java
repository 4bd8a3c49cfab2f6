package eu.ess.justbinit.controller.supervisor;

import static eu.ess.justbinit.controller.supervisor.WorkerState.LAUNCHED;
import static eu.ess.justbinit.controller.supervisor.WorkerState.REHEARSING;
import static eu.ess.justbinit.controller.supervisor.WorkerState.RELEASED;
import static eu.ess.justbinit.controller.supervisor.WorkerState.RUNNING;
import static eu.ess.justbinit.controller.supervisor.WorkerState.SPARE;

import eu.ess.justbinit.common.logging.Unawaited;
import eu.ess.justbinit.wire.rpc.ControllerMessage;
import eu.ess.justbinit.wire.rpc.WorkerMessage;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Every worker JVM of the controller and its {@link WorkerState}: this class makes each move of a
 * worker's lifecycle (docs/architecture.md, "The worker's lifecycle") and refuses, with an {@link
 * IllegalStateException}, a move its state does not allow. It launches workers for histograms and
 * keeps spares: JVMs started ahead of need that have dialled in and rehearsed what a histogram will
 * ask of them (the Kafka clients, the binning loops). A histogram that takes one skips the JVM's
 * start, the dialling and the class loading: its first histogram goes out in tens of milliseconds
 * instead of 1 to 2 s, and it catches up at full speed from the first message.
 *
 * <p>The pool tops itself up after each spare it hands out or loses, one spare at a time: each
 * start and rehearsal takes about 2 s of CPU (2.0-2.2 s on 2 cores), and sixteen at once, after a
 * config of sixteen histograms, would take the cores those histograms catch up on. Spares that keep
 * failing to start are retried with a growing back-off, like any worker. The pool grows with the
 * configs as {@link SparePool} says. Workers whose histograms ended wait beside the fresh spares as
 * warm spares ({@link #giveBack}), and are taken first by a histogram of their kind.
 *
 * <p>Threads: gRPC threads (each worker's stream), the histograms' threads (under their lock), the
 * supervisor's scheduler thread (refills, hello timeouts), {@code Process.onExit} callbacks and the
 * thread that closes the controller call it. It locks itself, after a histogram's lock and before a
 * worker's (the lock order is in docs/architecture.md, "Threads"); it calls a histogram ({@link
 * RunningHistogram}) only without its lock.
 */
final class WorkerPool implements WorkerSupply, WorkerStreams {
  private static final Logger LOG = Logger.getLogger(WorkerPool.class.getName());

  /**
   * How long after handing out a spare the next one is started: a JVM's start and rehearsal take
   * about 2 s of CPU, which the histogram that just took the spare needs more while it catches up
   * (on 2 cores, started at once, they stretched its gaps between publishes from 130 to 400 ms).
   */
  private static final Duration REFILL_AFTER_TAKE = Duration.ofSeconds(2);

  /**
   * How long a spare released (at closing, or to make room) has to exit by itself once its stream
   * is closed before it is killed: an idle one looks every 0.1 s whether its stream is still open.
   */
  private static final Duration EXIT_GRACE = Duration.ofSeconds(2);

  /** How long closing waits for each killed spare to exit. */
  private static final Duration EXIT_WAIT = Duration.ofSeconds(5);

  /** How long a worker released after its histogram may take to exit (it closes its clients). */
  private static final Duration RELEASE_GRACE = Duration.ofSeconds(10);

  /** Starts a worker JVM whose output goes to {@code logName}, with that heap limit. */
  @FunctionalInterface
  interface Launcher {
    WorkerProcess launch(String logName, int heapMegabytes) throws IOException;
  }

  /** One worker of the pool: its state, and what goes with it. Guarded by the pool's lock. */
  private static final class Member {
    final WorkerProcess worker;
    WorkerState state = LAUNCHED;

    /** The histogram it was launched for or runs (LAUNCHED or RUNNING); null for a spare. */
    RunningHistogram histogram;

    /** The kind of histogram a warm spare ran last; null for a fresh one. */
    HistogramKind warmFor;

    /** When it joined the spares (a count): the longest waiting are taken first. */
    long waitingSince;

    Member(WorkerProcess worker, RunningHistogram histogram) {
      this.worker = worker;
      this.histogram = histogram;
    }

    boolean spare() {
      return histogram == null;
    }
  }

  /** Every worker not yet released, by its key. */
  private final Map<String, Member> members = new LinkedHashMap<>();

  private final SparePool sizes;
  private final RestartPolicy policy;
  private final Launcher launcher;
  private final boolean fitsHeaps;
  private final int mostHeapMegabytes;
  private final Scheduler scheduler;
  private final ControllerMessage standby;
  private final Backoff backoff;
  private int wanted;
  private boolean refillScheduled;
  private boolean closed;
  private int launchedSpares;
  private int failedStartsInARow;
  private long joined;

  /**
   * @param fitsHeaps whether workers get the heap they are launched with (false when the JVM
   *     options set their own): a spare then takes only histograms that fit a spare's heap
   * @param mostHeapMegabytes the most heap a worker is given
   * @param standby what a fresh spare is told when it dials in
   */
  WorkerPool(
      SparePool sizes,
      RestartPolicy policy,
      Launcher launcher,
      boolean fitsHeaps,
      int mostHeapMegabytes,
      Scheduler scheduler,
      ControllerMessage standby) {
    this.sizes = sizes;
    this.policy = policy;
    this.launcher = launcher;
    this.fitsHeaps = fitsHeaps;
    this.mostHeapMegabytes = mostHeapMegabytes;
    this.scheduler = scheduler;
    this.standby = standby;
    this.wanted = sizes.minimum();
    this.backoff = new Backoff(policy.firstBackoff(), policy.maxBackoff());
  }

  /** The state of {@code worker}: RELEASED once the pool let it go or saw it exit. */
  synchronized WorkerState stateOf(WorkerProcess worker) {
    Member member = member(worker);
    return member == null ? RELEASED : member.state;
  }

  /**
   * Launches a spare when fewer than {@code wanted} fresh ones are rehearsing or waiting and none
   * is on its way (LAUNCHED or REHEARSING); the next follows when this one has rehearsed.
   */
  synchronized void fill() {
    refillScheduled = false;
    boolean oneOnItsWay =
        any(member -> member.spare() && (member.state == LAUNCHED || member.state == REHEARSING));
    long fresh =
        members.values().stream()
            .filter(member -> member.spare() && member.warmFor == null)
            .filter(member -> member.state == REHEARSING || member.state == SPARE)
            .count();
    if (closed || oneOnItsWay || fresh >= wanted) {
      return;
    }
    String logName = "spare-" + ++launchedSpares + ".log";
    WorkerProcess spare;
    try {
      spare = start(null, logName, 0);
    } catch (IOException e) {
      LOG.log(Level.WARNING, "Cannot launch a spare worker", e);
      refillLater(backoff.grow());
      return;
    }
    LOG.fine(() -> "Launched spare worker " + spare.pid() + ", log " + logName);
  }

  @Override
  public WorkerProcess launch(RunningHistogram histogram, String logName) throws IOException {
    int heapMegabytes = histogram.heapMegabytes();
    synchronized (this) {
      return start(histogram, logName, heapMegabytes);
    }
  }

  /**
   * Launches a worker JVM, LAUNCHED, for {@code histogram} or as a spare when null, with at least a
   * spare's heap, so that it can be a spare once its histogram ends. One that has not dialled in by
   * the restart policy's hello timeout is killed: its exit then counts as a failed start.
   */
  private WorkerProcess start(RunningHistogram histogram, String logName, int heapMegabytes)
      throws IOException {
    int heap = Math.min(Math.max(heapMegabytes, WorkerHeap.spareMegabytes()), mostHeapMegabytes);
    WorkerProcess worker = launcher.launch(logName, heap);
    members.put(worker.key(), new Member(worker, histogram));
    Unawaited.log(
        worker.process().onExit().thenRun(() -> exited(worker)),
        LOG,
        "noticing the exit of worker " + worker.pid());
    var unused =
        scheduler.after(
            policy.helloTimeout(),
            "the hello timeout of worker " + worker.pid(),
            () -> killIfNeverDialled(worker));
    return worker;
  }

  private void killIfNeverDialled(WorkerProcess worker) {
    if (stateOf(worker) == LAUNCHED && worker.process().isAlive()) {
      LOG.warning(
          () -> "Worker " + worker.pid() + " (log " + worker.log() + ") never dialled: killing it");
      worker.process().destroyForcibly();
    }
  }

  /**
   * A worker dialled in: one launched for a histogram is RUNNING it, and the histogram assigns it;
   * a spare is told to stand by and is REHEARSING.
   */
  @Override
  public WorkerProcess attach(String key, StreamObserver<ControllerMessage> stream) {
    Member member;
    synchronized (this) {
      member = members.get(key);
      if (member == null || member.state != LAUNCHED) {
        return null;
      }
      if (member.spare()) {
        member.worker.attach(stream);
        if (closed) {
          release(member);
          member.worker.closeStream();
        } else {
          move(member, REHEARSING);
          member.waitingSince = ++joined;
          member.worker.send(standby);
          backoff.reset();
          failedStartsInARow = 0;
        }
        return member.worker;
      }
      move(member, RUNNING);
    }
    member.histogram.attached(member.worker, stream);
    return member.worker;
  }

  /** A RUNNING worker's message goes to its histogram; a REHEARSING one says it has rehearsed. */
  @Override
  public void received(WorkerProcess worker, WorkerMessage message) {
    RunningHistogram histogram;
    synchronized (this) {
      Member member = member(worker);
      if (member != null && member.state == RUNNING) {
        histogram = member.histogram;
      } else {
        if (member != null && member.state == REHEARSING && message.hasRehearsed()) {
          move(member, SPARE);
          LOG.info(() -> "Spare worker " + worker.pid() + " rehearsed");
          fill();
        } else {
          LOG.warning(() -> "Unexpected " + message.getBodyCase() + " from worker " + worker.pid());
        }
        return;
      }
    }
    histogram.received(worker, message);
  }

  /**
   * A worker's stream closed: a RUNNING one's histogram hears of it; a spare, now of no use, is
   * lost: released and killed.
   */
  @Override
  public void streamClosed(WorkerProcess worker) {
    RunningHistogram histogram;
    synchronized (this) {
      Member member = member(worker);
      if (member == null) {
        return;
      }
      if (member.spare()) {
        release(member);
        refillLater(Duration.ZERO);
        worker.closeStream();
        worker.process().destroyForcibly();
        return;
      }
      histogram = member.histogram;
    }
    histogram.streamClosed(worker);
  }

  /**
   * A spare that fits {@code histogram}, now RUNNING it, or empty when there is none; a fresh spare
   * taken is replaced by a new one. When none has dialled in, a spare still LAUNCHED is taken: it
   * stays LAUNCHED, now for {@code histogram}, and runs it once it dials in; it is further on than
   * a JVM launched now, which would also halve the cores of both. A spare's heap was fixed when it
   * was launched: a histogram that needs more takes none.
   */
  @Override
  public Optional<WorkerProcess> take(RunningHistogram histogram) {
    if (fitsHeaps && histogram.heapMegabytes() > WorkerHeap.spareMegabytes()) {
      return Optional.empty();
    }
    HistogramKind kind = histogram.kind();
    synchronized (this) {
      Optional<Member> taken =
          members.values().stream()
              .filter(member -> member.state == REHEARSING || member.state == SPARE)
              .filter(member -> member.worker.process().isAlive())
              .min(
                  Comparator.<Member>comparingInt(member -> preference(member, kind))
                      .thenComparingLong(member -> member.waitingSince));
      if (taken.isEmpty()) {
        taken =
            members.values().stream()
                .filter(member -> member.spare() && member.state == LAUNCHED)
                .filter(member -> member.worker.process().isAlive())
                .findFirst();
      }
      taken.ifPresent(
          member -> {
            if (member.state != LAUNCHED) {
              move(member, RUNNING);
            }
            member.histogram = histogram;
            member.warmFor = null;
            refillLater(REFILL_AFTER_TAKE);
          });
      return taken.map(member -> member.worker);
    }
  }

  /**
   * Lower is better: a spare warm for this kind, then a fresh one that has rehearsed, then one warm
   * for another kind, and last a fresh one still rehearsing (still far quicker than a new JVM).
   */
  private static int preference(Member member, HistogramKind kind) {
    if (member.warmFor != null) {
      return member.warmFor.equals(kind) ? 0 : 2;
    }
    return member.state == SPARE ? 1 : 3;
  }

  /**
   * A config of {@code histograms} has taken its spares: from now on the pool keeps as many as it
   * had, within its maximum. The new ones are launched as after a take, when the histograms have
   * caught up a moment.
   */
  synchronized void followConfig(int histograms) {
    int size = sizes.sizeAfterConfig(wanted, histograms);
    if (size > wanted) {
      LOG.info(
          () -> "Keeping " + size + " spare workers from now on (a config of " + histograms + ")");
      wanted = size;
      refillLater(REFILL_AFTER_TAKE);
    }
  }

  /**
   * A RUNNING worker whose histogram ({@code kind}) ended becomes a warm spare, beside the fresh
   * ones: a JVM that has caught up once reads twice as fast as a fresh one's first pass
   * (docs/benchmarks-worker-memory.md). The pool keeps as many warm spares as fresh ones; when
   * full, the one that ended longest ago is released to make room, since the kind that ran last is
   * the likeliest to come again (NICOS sends the same config for each count). No spare is launched
   * in vain, and as many JVMs wait as before: one per histogram that ran and per fresh spare. A
   * worker that cannot be a spare (the pool is closed or keeps none, or the worker is gone) is
   * released: its stream closed, it exits by itself, or is killed after a grace.
   *
   * @throws IllegalStateException when {@code worker} is in the pool but not RUNNING
   */
  @Override
  public CompletableFuture<Void> giveBack(WorkerProcess worker, HistogramKind kind) {
    synchronized (this) {
      Member member = member(worker);
      if (member != null) {
        if (member.state != RUNNING) {
          throw new IllegalStateException(
              "Worker " + worker.pid() + " is " + member.state + ", not RUNNING: cannot give back");
        }
        if (!closed && wanted > 0 && worker.attached() && worker.process().isAlive()) {
          becomeWarmSpare(member, kind);
          return CompletableFuture.completedFuture(null);
        }
        release(member);
      }
    }
    LOG.fine(() -> "Releasing worker " + worker.pid());
    worker.closeStream();
    // It exits by itself once the stream is closed; one that does not is not left behind.
    return worker.exitWithin(RELEASE_GRACE);
  }

  private void becomeWarmSpare(Member member, HistogramKind kind) {
    List<Member> warm = members.values().stream().filter(m -> m.warmFor != null).toList();
    if (warm.size() >= wanted) {
      Member oldest =
          warm.stream().min(Comparator.comparingLong(m -> m.waitingSince)).orElseThrow();
      release(oldest);
      LOG.info(() -> "Worker " + oldest.worker.pid() + " makes room for one that ended later");
      oldest.worker.closeStream();
      Unawaited.log(
          oldest.worker.exitWithin(EXIT_GRACE), LOG, "ending worker " + oldest.worker.pid());
    }
    move(member, SPARE);
    member.histogram = null;
    member.warmFor = kind;
    member.waitingSince = ++joined;
    LOG.info(() -> "Worker " + member.worker.pid() + " is a spare again, warm for " + kind);
  }

  /** The pids of the SPARE workers, fresh or warm, the longest waiting first. */
  synchronized List<Long> sparePids() {
    return members.values().stream()
        .filter(member -> member.state == SPARE)
        .sorted(Comparator.comparingLong(member -> member.waitingSince))
        .map(member -> member.worker.pid())
        .toList();
  }

  /**
   * Releases every spare and launches no more. A spare that has dialled in is released by closing
   * its stream, so that it exits by itself, as a JVM that finishes does (a JFR recording with
   * dumponexit is then written, which a warm spare may hold); one that has not exited within {@link
   * #EXIT_GRACE}, or has not dialled in yet, is killed. Workers RUNNING a histogram are left to it.
   */
  void close() {
    List<Member> spares;
    List<WorkerProcess> dialled;
    synchronized (this) {
      closed = true;
      spares = members.values().stream().filter(Member::spare).toList();
      dialled =
          spares.stream()
              .filter(member -> member.state != LAUNCHED)
              .map(member -> member.worker)
              .toList();
      spares.forEach(this::release);
    }
    dialled.forEach(WorkerProcess::closeStream);
    List<CompletableFuture<Void>> exits =
        spares.stream()
            .map(
                member ->
                    member.worker.exitWithin(
                        dialled.contains(member.worker) ? EXIT_GRACE : Duration.ZERO))
            .toList();
    exits.forEach(CompletableFuture::join);
    // Gone when the controller is: a killed JVM takes a moment to exit.
    for (Member spare : spares) {
      try {
        spare.worker.process().onExit().get(EXIT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (ExecutionException | TimeoutException e) {
        LOG.warning(() -> "Spare worker " + spare.worker.pid() + " did not exit: " + e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /**
   * A worker exited: it is RELEASED. One launched for or running a histogram is that histogram's
   * concern (it watches the exit itself); a spare's exit launches another, and spares that keep
   * failing to dial in are launched with a growing back-off, and at last no more.
   */
  private synchronized void exited(WorkerProcess worker) {
    Member member = member(worker);
    if (member == null) {
      return; // released before: the pool ended it
    }
    WorkerState was = member.state;
    release(member);
    if (!member.spare()) {
      return;
    }
    String lastLine = worker.lastLogLine();
    LOG.warning(
        () ->
            "Spare worker "
                + worker.pid()
                + " exited "
                + was
                + ", code "
                + worker.process().exitValue()
                + (lastLine.isEmpty() ? "" : ", last log line: " + lastLine));
    if (was != LAUNCHED) {
      refillLater(Duration.ZERO);
    } else if (++failedStartsInARow < policy.maxFailedStarts()) {
      refillLater(backoff.grow());
    } else {
      // Histograms still get workers of their own, and report why those fail.
      LOG.severe(
          () -> failedStartsInARow + " spare workers in a row failed to start: no more spares");
      closed = true;
    }
  }

  private void move(Member member, WorkerState next) {
    if (!member.state.canBecome(next)) {
      throw new IllegalStateException(
          "Worker " + member.worker.pid() + " cannot go from " + member.state + " to " + next);
    }
    LOG.finer(() -> "Worker " + member.worker.pid() + ": " + member.state + " -> " + next);
    member.state = next;
    if (next == RELEASED) {
      members.remove(member.worker.key());
    }
  }

  private void release(Member member) {
    move(member, RELEASED);
  }

  private Member member(WorkerProcess worker) {
    Member member = members.get(worker.key());
    return member != null && member.worker == worker ? member : null;
  }

  private boolean any(Predicate<Member> test) {
    return members.values().stream().anyMatch(test);
  }

  private void refillLater(Duration delay) {
    if (closed || refillScheduled) {
      return;
    }
    refillScheduled = true;
    var unused = scheduler.after(delay, "refilling the spare workers", this::fill);
  }
}
