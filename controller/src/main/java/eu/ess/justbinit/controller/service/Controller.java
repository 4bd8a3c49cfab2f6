package eu.ess.justbinit.controller.service;

import eu.ess.justbinit.controller.state.HistogramStateStore;
import eu.ess.justbinit.controller.supervisor.RestartPolicy;
import eu.ess.justbinit.controller.supervisor.Supervisor;
import eu.ess.justbinit.controller.supervisor.WorkerInfo;
import eu.ess.justbinit.controller.supervisor.WorkerSettings;
import eu.ess.justbinit.wire.rpc.LogLevel;
import eu.ess.justbinit.wire.rpc.WorkerContract;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The running service's lifecycle. {@link #run} runs on the thread that starts the service, which
 * becomes the command thread ({@code main}); {@link #shutdown}, {@link #workers}, {@link #spares}
 * and {@link #listening} may be called from any thread, the JVM's shutdown hook among them. It
 * takes no lock: what other threads read is a volatile field or a latch.
 *
 * <p>{@link #run} opens the state directory, starts the worker supervisor (resuming the histograms
 * kept there), the {@link StatusTicker} and the {@link CommandLoop}; when stopped (SIGTERM, Ctrl-C,
 * {@link #shutdown}) it stops every worker, then closes what it started in the reverse order.
 */
public final class Controller {
  private static final Logger LOG = Logger.getLogger(Controller.class.getName());

  private static final Duration SHUTDOWN_STOP_TIMEOUT = Duration.ofSeconds(10);

  /** How long the last messages (final histograms, responses) may take to reach the broker. */
  private static final Duration PRODUCER_CLOSE_TIMEOUT = Duration.ofSeconds(5);

  /** The largest histogram message: 8 bytes for each of the bin limit's counts and edges. */
  private static final int FINAL_HISTOGRAM_BYTES = 1 << 30;

  /**
   * How long before its JVM's start a command may have been sent and still be answered: one sent as
   * the process was launched is stamped before the JVM records its start (the exec and the JVM's
   * creation take tens of milliseconds), and a sender's clock may be a little behind ours.
   */
  static final Duration COMMANDS_BEFORE_START = Duration.ofSeconds(1);

  private final ControllerSettings settings;
  private final Clock clock;
  private final String workerMainClass;
  private final CommandLoop commands;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile Supervisor supervisor;

  /**
   * The service of this process: it answers the commands sent from {@link #COMMANDS_BEFORE_START}
   * before its JVM started on, also those sent while it was still starting.
   */
  public Controller(ControllerSettings settings) {
    this(
        settings,
        Clock.systemUTC(),
        WorkerContract.MAIN_CLASS,
        Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime())
            .minus(COMMANDS_BEFORE_START));
  }

  /**
   * With the worker JVMs' main class of one's choice (tests); it answers the commands sent from
   * {@code commandsSince} on.
   */
  Controller(
      ControllerSettings settings, Clock clock, String workerMainClass, Instant commandsSince) {
    this.settings = settings;
    this.clock = clock;
    this.workerMainClass = workerMainClass;
    this.commands = new CommandLoop(settings, commandsSince);
  }

  /** Runs until stopped (SIGTERM, Ctrl-C, {@link #shutdown}); returns the process exit code. */
  public int run() {
    Thread hook = new Thread(this::shutdownAndWait, "just-bin-it-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    if (settings.simulation()) {
      LOG.warning("RUNNING IN SIMULATION MODE: workers make up their events");
    }
    HistogramStateStore state;
    try {
      state = openStateStore();
    } catch (IOException e) {
      LOG.log(Level.SEVERE, "Cannot use the state directory " + settings.stateDir().get(), e);
      stopped.countDown();
      Runtime.getRuntime().removeShutdownHook(hook);
      return 1;
    }
    // Made beside the supervisor's start (the producer's classes and threads take a while), so
    // that the first spare worker is launched, and the first config served, sooner.
    CompletableFuture<KafkaProducer<byte[], byte[]>> producerMade =
        CompletableFuture.supplyAsync(
            () -> new KafkaProducer<>(producerProperties()),
            task -> {
              Thread thread = new Thread(task, "just-bin-it-producer-start");
              thread.setDaemon(true);
              thread.start();
            });
    StatusTicker status = null;
    try (state;
        Supervisor workers =
            Supervisor.start(
                workerSettings(), new FinalHistogramPublisher(producerMade::join, clock), state)) {
      KafkaProducer<byte[], byte[]> producer = made(producerMade);
      supervisor = workers;
      resume(state, workers);
      status = StatusTicker.start(settings, producer, clock, workers::workers);
      try {
        commands.run(new CommandHandler(settings, clock, producer, workers));
      } finally {
        workers.shutdown(SHUTDOWN_STOP_TIMEOUT);
      }
      return 0;
    } catch (IOException e) {
      LOG.log(Level.SEVERE, "Cannot start the worker supervisor", e);
      return 1;
    } finally {
      if (status != null) {
        status.close();
      }
      // Without a limit, close() waits out the delivery timeout (2 min) for what a broker that
      // has gone can no longer take: the final histograms, a heartbeat.
      KafkaProducer<byte[], byte[]> producer = producerMade.handle((made, failed) -> made).join();
      if (producer != null) {
        producer.close(PRODUCER_CLOSE_TIMEOUT);
      }
      stopped.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // The hook is running: it waits for us.
      }
    }
  }

  /** The producer once made; what its making threw, as it was thrown. */
  private static KafkaProducer<byte[], byte[]> made(
      CompletableFuture<KafkaProducer<byte[], byte[]>> producerMade) {
    try {
      return producerMade.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw e;
    }
  }

  private HistogramStateStore openStateStore() throws IOException {
    return settings.stateDir().isPresent()
        ? HistogramStateStore.open(settings.stateDir().get())
        : HistogramStateStore.disabled();
  }

  /** Runs the histograms that the controller before this one kept in the state directory. */
  private static void resume(HistogramStateStore state, Supervisor workers) {
    List<HistogramStateStore.Restored> restored = state.restore();
    if (restored.isEmpty()) {
      return;
    }
    LOG.info(
        () ->
            "Resuming "
                + restored.size()
                + " histogram(s) from the state directory: "
                + restored.stream().map(r -> "'" + r.spec().getId() + "'").toList());
    workers.resume(restored);
  }

  /** Asks {@link #run} to stop every worker and return; does not wait. */
  public void shutdown() {
    commands.stop();
  }

  /** The running histograms (and those that ended by themselves since) and their workers. */
  public List<WorkerInfo> workers() {
    Supervisor current = supervisor;
    return current == null ? List.of() : current.workers();
  }

  /** The pids of the workers in the SPARE state, each waiting for a histogram. */
  List<Long> spares() {
    Supervisor current = supervisor;
    return current == null ? List.of() : current.spares();
  }

  /** Whether commands sent from now on will be read. */
  boolean listening() {
    return commands.listening();
  }

  private void shutdownAndWait() {
    LOG.info("Shutting down: stopping every worker");
    shutdown();
    try {
      if (!stopped.await(SHUTDOWN_STOP_TIMEOUT.plusSeconds(10).toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.severe("The controller did not stop in time");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Where the workers of the controller JVM {@code pid} write their logs (--worker-log-dir). */
  static Path workerLogDirectory(Path workerLogs, long pid) {
    return workerLogs.resolve("just-bin-it-" + pid);
  }

  private WorkerSettings workerSettings() {
    Path runDirectory = workerLogDirectory(settings.workerLogs(), ProcessHandle.current().pid());
    LOG.info(() -> "Worker logs go to " + runDirectory);
    return new WorkerSettings(
        workerMainClass,
        settings.workerJvmOptions(),
        runDirectory,
        settings.brokers(),
        settings.kafkaSecurity(),
        settings.publishInterval(),
        Optional.ofNullable(LogLevel.forNumber(settings.logLevel())).orElse(LogLevel.WARNING),
        settings.simulation(),
        RestartPolicy.standard(),
        settings.spares(),
        // The heartbeat topic has messages once the controller has run a moment; the command
        // topic may have none yet.
        settings.heartbeatTopic().orElse(settings.configTopic()),
        settings.compression(),
        settings.maxWorkerHeapMegabytes());
  }

  private Map<String, Object> producerProperties() {
    Map<String, Object> properties = new HashMap<>(settings.kafkaSecurity());
    properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, String.join(",", settings.brokers()));
    properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    // The final histograms of workers that are gone go out from here too: as large as a worker's
    // and compressed alike.
    properties.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, FINAL_HISTOGRAM_BYTES);
    properties.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 2L * FINAL_HISTOGRAM_BYTES);
    properties.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, settings.compression());
    properties.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    return properties;
  }
}
