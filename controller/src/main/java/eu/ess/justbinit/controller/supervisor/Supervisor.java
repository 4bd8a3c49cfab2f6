package eu.ess.justbinit.controller.supervisor;

import eu.ess.justbinit.common.logging.Unawaited;
import eu.ess.justbinit.controller.state.HistogramStateStore;
import eu.ess.justbinit.wire.rpc.HistogramSpec;
import eu.ess.justbinit.wire.rpc.HistogramType;
import eu.ess.justbinit.wire.rpc.WorkerContract;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.logging.Logger;

/**
 * The controller's side of its workers: a gRPC server on loopback that workers dial, the {@link
 * WorkerPool} of their JVMs, and one {@link SupervisedHistogram} per listed histogram: those
 * running, and those that ended by themselves until a command takes them off the list. It wires
 * them together; none of them calls back into it.
 *
 * <p>Threads: the command thread (assign, add, stop, reset, the listing), the status ticker
 * (workers, spares) and the shutdown hook (shutdown, close) call it. It locks itself around the
 * list of histograms, first in the lock order (docs/architecture.md, "Threads"), and never while it
 * waits for histograms to stop.
 */
public final class Supervisor implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(Supervisor.class.getName());

  private final WorkerSettings settings;
  private final ScheduledExecutorService scheduler;
  private final Server server;
  private final WorkerLauncher launcher;
  private final WorkerPool pool;
  private final SupervisedHistogram.Needs needs;
  private final HistogramStateStore state;
  private List<SupervisedHistogram> histograms = List.of();
  private int configs;
  private volatile boolean shuttingDown;

  private Supervisor(WorkerSettings settings, FinalPublisher publisher, HistogramStateStore state)
      throws IOException {
    this.settings = settings;
    this.state = state;
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "supervisor");
              thread.setDaemon(true);
              return thread;
            });
    Scheduler later = this::schedule;
    WorkerMessages messages = new WorkerMessages(settings);
    // The workers dial the server's port, known once it listens; the server hands them to the pool.
    CompletableFuture<Integer> port = new CompletableFuture<>();
    this.launcher = new WorkerLauncher(settings, port::join);
    this.pool =
        new WorkerPool(
            settings.spares(),
            settings.restartPolicy(),
            launcher::launch,
            !WorkerHeap.setBy(settings.jvmOptions()),
            settings.mostHeapMegabytes(),
            later,
            messages.standby());
    this.server =
        NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
            .maxInboundMessageSize(WorkerContract.MAX_MESSAGE_BYTES)
            .addService(new SupervisorService(pool))
            .build()
            .start();
    port.complete(server.getPort());
    this.needs =
        new SupervisedHistogram.Needs(
            pool,
            messages,
            later,
            publisher,
            settings.restartPolicy(),
            settings.mostHeapMegabytes());
    LOG.info(() -> "Supervising workers on 127.0.0.1:" + server.getPort());
  }

  /**
   * Runs {@code task} on the scheduler thread; one that fails, or comes after closing, is logged.
   */
  private Future<?> schedule(Duration delay, String what, Runnable task) {
    try {
      return scheduler.schedule(
          Unawaited.task(LOG, what, task), delay.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      LOG.fine(() -> "Not " + what + ": the supervisor is closed");
      return CompletableFuture.completedFuture(null);
    }
  }

  /** Starts the gRPC server and the spare workers; no histogram runs yet. */
  public static Supervisor start(WorkerSettings settings, FinalPublisher publisher)
      throws IOException {
    return start(settings, publisher, HistogramStateStore.disabled());
  }

  /** As {@link #start(WorkerSettings, FinalPublisher)}, keeping each histogram's state there. */
  public static Supervisor start(
      WorkerSettings settings, FinalPublisher publisher, HistogramStateStore state)
      throws IOException {
    Supervisor supervisor = new Supervisor(settings, publisher, state);
    supervisor.pool.fill();
    return supervisor;
  }

  /** The port the workers dial on 127.0.0.1. */
  public int port() {
    return server.getPort();
  }

  /**
   * Starts one worker per histogram. The histograms that ran before must have been stopped ({@link
   * #stop}).
   */
  public synchronized void assign(List<HistogramSpec> specs) {
    histograms = List.of();
    startBeside(news(specs), Map.of());
  }

  /**
   * Runs again the histograms that a controller which died or was shut down kept in the state
   * directory, each from its last kept checkpoint and in its slot. No histogram may be listed.
   */
  public synchronized void resume(List<HistogramStateStore.Restored> restored) {
    histograms = List.of();
    startBeside(
        restored.stream().map(kept -> new Start(kept.spec(), Optional.of(kept))).toList(),
        Map.of());
  }

  /**
   * {@link #stop(Duration)} as the controller shuts down: the histograms' kept state stays, for the
   * next controller to resume them.
   */
  public boolean shutdown(Duration timeout) {
    shuttingDown = true;
    return stop(timeout);
  }

  /** A histogram to start: a new one, or one kept by the controller before this one. */
  private record Start(HistogramSpec spec, Optional<HistogramStateStore.Restored> kept) {}

  private static List<Start> news(List<HistogramSpec> specs) {
    return specs.stream().map(spec -> new Start(spec, Optional.empty())).toList();
  }

  /**
   * Adds these histograms to the running ones: a running histogram whose id one of them has is
   * stopped first (its final histogram published, bounded by {@code timeout}) and replaced, in its
   * slot. Those that ended by themselves make way.
   *
   * @return whether every replaced worker stopped by itself in time
   */
  public boolean add(List<HistogramSpec> specs, Duration timeout) {
    Set<String> ids = new HashSet<>();
    specs.stream().map(HistogramSpec::getId).filter(id -> !id.isEmpty()).forEach(ids::add);
    List<SupervisedHistogram> replaced =
        remove(histogram -> ids.contains(histogram.spec().getId()));
    boolean stoppedInTime = stopAndWait(replaced, timeout);
    Map<String, Integer> slots = new HashMap<>();
    replaced.forEach(histogram -> slots.put(histogram.spec().getId(), histogram.slot()));
    synchronized (this) {
      histograms = histograms.stream().filter(histogram -> !histogram.ended().isDone()).toList();
      startBeside(news(specs), slots);
    }
    return stoppedInTime;
  }

  /**
   * Starts {@code specs} beside the listed histograms: one whose id {@code slots} has in that slot,
   * the others each in the lowest slot free (a config's position when it replaced them all).
   */
  private void startBeside(List<Start> starts, Map<String, Integer> slots) {
    configs++;
    List<SupervisedHistogram> all = new ArrayList<>(histograms);
    Set<Integer> taken = new HashSet<>(slots.values());
    all.forEach(histogram -> taken.add(histogram.slot()));
    List<SupervisedHistogram> started = new ArrayList<>();
    for (Start start : starts) {
      HistogramSpec spec = start.spec();
      Integer slot =
          start.kept().isPresent()
              ? Integer.valueOf(start.kept().get().slot())
              : slots.get(spec.getId());
      if (slot == null || (start.kept().isPresent() && !taken.add(slot))) {
        slot = 0;
        while (taken.contains(slot)) {
          slot++;
        }
        taken.add(slot);
      }
      int chosen = slot;
      SupervisedHistogram histogram =
          new SupervisedHistogram(
              needs,
              spec,
              chosen,
              "worker-" + configs + "-" + spec.getIndex() + ".log",
              start
                  .kept()
                  .map(HistogramStateStore.Restored::stored)
                  .orElseGet(() -> state.keep(spec, chosen)),
              start.kept().flatMap(HistogramStateStore.Restored::checkpoint));
      // One that ends while the controller runs is over for good; at shutdown it is kept.
      Unawaited.log(
          histogram
              .ended()
              .thenRun(
                  () -> {
                    if (!shuttingDown) {
                      histogram.stored().forget();
                    }
                  }),
          LOG,
          "forgetting the kept state of " + histogram.describe());
      started.add(histogram);
      all.add(histogram);
    }
    histograms = List.copyOf(all);
    started.forEach(SupervisedHistogram::start);
    // The pool serves the histograms that run together, however many configs brought them.
    pool.followConfig(all.size());
  }

  /** Whether a listed histogram (running, or ended by itself) has this id. */
  public synchronized boolean has(String id) {
    return histograms.stream().anyMatch(histogram -> histogram.spec().getId().equals(id));
  }

  /**
   * Stops the histogram with this id as {@link #stop(Duration)} stops all, and takes it off the
   * list; the others go on.
   *
   * @return whether its worker stopped by itself in time
   */
  public boolean stop(String id, Duration timeout) {
    return stopAndWait(remove(histogram -> histogram.spec().getId().equals(id)), timeout);
  }

  /**
   * Tells every worker to publish its final histogram and say Finished, and waits for them; those
   * still running their histogram after {@code timeout} are killed.
   *
   * @return whether every worker stopped by itself in time
   */
  public boolean stop(Duration timeout) {
    return stopAndWait(remove(histogram -> true), timeout);
  }

  /** Takes the histograms that {@code which} selects off the list. */
  private synchronized List<SupervisedHistogram> remove(Predicate<SupervisedHistogram> which) {
    List<SupervisedHistogram> removed = histograms.stream().filter(which).toList();
    histograms = histograms.stream().filter(which.negate()).toList();
    return removed;
  }

  private static boolean stopAndWait(List<SupervisedHistogram> running, Duration timeout) {
    running.forEach(SupervisedHistogram::stop);
    CompletableFuture<Void> all =
        CompletableFuture.allOf(
            running.stream().map(SupervisedHistogram::ended).toArray(CompletableFuture[]::new));
    try {
      all.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException e) {
      running.forEach(SupervisedHistogram::kill);
      try {
        all.get(5, TimeUnit.SECONDS);
      } catch (TimeoutException | ExecutionException stillThere) {
        LOG.severe("Workers survived being killed: " + stillThere);
      } catch (InterruptedException interrupted) {
        Thread.currentThread().interrupt();
      }
      return false;
    } catch (ExecutionException e) {
      throw new IllegalStateException("A histogram ended abnormally", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running.forEach(SupervisedHistogram::kill);
      return false;
    }
  }

  /** Every worker zeroes its counts. */
  public void resetCounts() {
    currentHistograms().forEach(SupervisedHistogram::resetCounts);
  }

  /** The worker of the histogram with this id zeroes its counts; the others go on. */
  public void resetCounts(String id) {
    currentHistograms().stream()
        .filter(histogram -> histogram.spec().getId().equals(id))
        .forEach(SupervisedHistogram::resetCounts);
  }

  /** The listed histograms and their workers, in the order they were started. */
  public List<WorkerInfo> workers() {
    return currentHistograms().stream().map(SupervisedHistogram::info).toList();
  }

  private synchronized List<SupervisedHistogram> currentHistograms() {
    return histograms;
  }

  /**
   * Why a histogram of {@code specs} cannot run on this machine (its worker would need more heap
   * than the machine can give), or empty when every one can.
   */
  public Optional<String> unfit(List<HistogramSpec> specs) {
    if (!launcher.fitsHeaps()) {
      return Optional.empty(); // the operator's own -Xmx serves every histogram
    }
    int most = settings.mostHeapMegabytes();
    String whose =
        settings.maxHeapMegabytes().isPresent()
            ? " MB --max-worker-heap allows a worker"
            : " MB this machine can give a worker";
    for (HistogramSpec spec : specs) {
      int needed = WorkerHeap.megabytesFor(spec);
      if (needed > most) {
        // A hist1d's size is one field; the others' are the product of two.
        String field = spec.getType() == HistogramType.HIST1D ? ".num_bins" : "";
        return Optional.of(
            "histograms["
                + spec.getIndex()
                + "]"
                + field
                + ": "
                + WorkerHeap.values(spec)
                + " bins and edges need a worker heap of "
                + needed
                + " MB, more than the "
                + most
                + whose);
      }
    }
    return Optional.empty();
  }

  /** The pids of the workers that are SPARE: they wait for a histogram, fresh or warm. */
  public List<Long> spares() {
    return pool.sparePids();
  }

  /** Stops every worker (bounded), the spares and the server; kept state stays, as at shutdown. */
  @Override
  public void close() {
    shuttingDown = true;
    pool.close();
    stop(Duration.ofSeconds(10));
    server.shutdownNow();
    scheduler.shutdownNow();
  }
}
