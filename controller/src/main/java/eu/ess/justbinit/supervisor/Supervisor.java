package eu.ess.justbinit.supervisor;

import eu.ess.justbinit.rpc.Assignment;
import eu.ess.justbinit.rpc.HistogramSpec;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Logger;

/**
 * The controller's side of its workers: a gRPC server on loopback that workers dial, and one {@link
 * SupervisedHistogram} per histogram of the running config.
 */
public final class Supervisor implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(Supervisor.class.getName());

  /** Checkpoints of large histograms are large (8 bytes a bin). */
  private static final int MAX_MESSAGE_BYTES = 1 << 30;

  private final WorkerSettings settings;
  private final FinalPublisher publisher;
  private final ScheduledExecutorService scheduler;
  private final Map<String, Claim> unclaimedKeys = new ConcurrentHashMap<>();
  private final Server server;
  private final WorkerLauncher launcher;
  private List<SupervisedHistogram> histograms = List.of();
  private int configs;

  /** A started worker waiting to introduce itself with its key. */
  record Claim(SupervisedHistogram histogram, WorkerProcess worker) {}

  private Supervisor(WorkerSettings settings, FinalPublisher publisher) throws IOException {
    this.settings = settings;
    this.publisher = publisher;
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "supervisor");
              thread.setDaemon(true);
              return thread;
            });
    this.server =
        NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
            .maxInboundMessageSize(MAX_MESSAGE_BYTES)
            .addService(new SupervisorService(this))
            .build()
            .start();
    this.launcher = new WorkerLauncher(settings, server.getPort());
    LOG.info(() -> "Supervising workers on 127.0.0.1:" + server.getPort());
  }

  /** Starts the gRPC server; no worker runs yet. */
  public static Supervisor start(WorkerSettings settings, FinalPublisher publisher)
      throws IOException {
    return new Supervisor(settings, publisher);
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
    configs++;
    List<SupervisedHistogram> started = new ArrayList<>();
    for (HistogramSpec spec : specs) {
      started.add(
          new SupervisedHistogram(
              this, spec, "worker-" + configs + "-" + spec.getIndex() + ".log"));
    }
    histograms = List.copyOf(started);
    started.forEach(SupervisedHistogram::start);
  }

  /**
   * Tells every worker to publish its final histogram and exit, and waits for them; those still
   * running after {@code timeout} are killed.
   *
   * @return whether every worker stopped by itself in time
   */
  public boolean stop(Duration timeout) {
    List<SupervisedHistogram> running;
    synchronized (this) {
      running = histograms;
      histograms = List.of();
    }
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

  /** The histograms of the running config and their workers, in config order. */
  public List<WorkerInfo> workers() {
    return currentHistograms().stream().map(SupervisedHistogram::info).toList();
  }

  private synchronized List<SupervisedHistogram> currentHistograms() {
    return histograms;
  }

  /** Stops every worker (bounded) and the server. */
  @Override
  public void close() {
    stop(Duration.ofSeconds(10));
    server.shutdownNow();
    scheduler.shutdownNow();
  }

  WorkerSettings settings() {
    return settings;
  }

  FinalPublisher publisher() {
    return publisher;
  }

  ScheduledExecutorService scheduler() {
    return scheduler;
  }

  WorkerProcess launch(SupervisedHistogram histogram, String logName) throws IOException {
    WorkerProcess worker = launcher.launch(logName);
    unclaimedKeys.put(worker.key(), new Claim(histogram, worker));
    var unused = worker.process().onExit().thenRun(() -> unclaimedKeys.remove(worker.key()));
    return worker;
  }

  /** The worker that was given {@code key}, once: keys are single-use. */
  Claim claim(String key) {
    return unclaimedKeys.remove(key);
  }

  Assignment.Builder assignmentFor(HistogramSpec spec) {
    return Assignment.newBuilder()
        .setSpec(spec)
        .putAllDataKafka(kafka(spec.getDataBrokersList()))
        .putAllOutputKafka(kafka(settings.outputBrokers()))
        .setPublishIntervalMs(settings.publishInterval().toMillis())
        .setLogLevel(settings.logLevel())
        .setSimulation(settings.simulation());
  }

  private Map<String, String> kafka(List<String> brokers) {
    Map<String, String> properties = new java.util.HashMap<>(settings.kafkaSecurity());
    properties.put("bootstrap.servers", String.join(",", brokers));
    return properties;
  }
}
