package eu.ess.justbinit.controller.service;

import eu.ess.justbinit.controller.command.Command;
import eu.ess.justbinit.controller.command.CommandParser;
import eu.ess.justbinit.controller.command.ConfigCommand;
import eu.ess.justbinit.controller.command.HistogramTarget;
import eu.ess.justbinit.controller.command.MessageId;
import eu.ess.justbinit.controller.command.ParseResult;
import eu.ess.justbinit.controller.command.Rejection;
import eu.ess.justbinit.controller.command.ResetCountsCommand;
import eu.ess.justbinit.controller.command.Response;
import eu.ess.justbinit.controller.command.StopCommand;
import eu.ess.justbinit.controller.service.ControllerSettings.ConfigMode;
import eu.ess.justbinit.controller.state.HistogramStateStore;
import eu.ess.justbinit.controller.status.GraphitePublisher;
import eu.ess.justbinit.controller.status.HeartbeatPublisher;
import eu.ess.justbinit.controller.status.SoftwareVersion;
import eu.ess.justbinit.controller.supervisor.RestartPolicy;
import eu.ess.justbinit.controller.supervisor.Supervisor;
import eu.ess.justbinit.controller.supervisor.WorkerInfo;
import eu.ess.justbinit.controller.supervisor.WorkerSettings;
import eu.ess.justbinit.wire.rpc.HistogramSpec;
import eu.ess.justbinit.wire.rpc.LogLevel;
import eu.ess.justbinit.wire.rpc.WorkerContract;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The running service: commands in, workers supervised, responses and heartbeat out.
 *
 * <p>Commands are read from partition 0 of the config topic from its end when the service starts
 * (old commands are not replayed). Each poll's batch is handled in order, each command once. When
 * configs replace the running histograms and a batch holds several valid configs, the latest wins:
 * the earlier ones are never started and, when they carry a msg_id, are answered ERR "superseded"
 * (an ACK would promise histograms that will never be published). A config refused by the parser
 * does not supersede anything. When configs add histograms ({@code --config-mode add}), each one is
 * carried out, in order.
 *
 * <p>All methods but {@link #run} may be called from any thread.
 */
public final class Controller {
  private static final Logger LOG = Logger.getLogger(Controller.class.getName());
  private static final Duration POLL = Duration.ofMillis(100);
  private static final Duration RETRY = Duration.ofSeconds(3);

  /** Workers stopped by a command must be gone before NICOS's 5 s patience runs out. */
  private static final Duration COMMAND_STOP_TIMEOUT = Duration.ofSeconds(3);

  private static final Duration SHUTDOWN_STOP_TIMEOUT = Duration.ofSeconds(10);

  /** How long the last messages (final histograms, responses) may take to reach the broker. */
  private static final Duration PRODUCER_CLOSE_TIMEOUT = Duration.ofSeconds(5);

  /** The largest histogram message: 8 bytes for each of the bin limit's counts and edges. */
  private static final int FINAL_HISTOGRAM_BYTES = 1 << 30;

  private final ControllerSettings settings;
  private final Clock clock;
  private final String workerMainClass;
  private final CountDownLatch stopRequested = new CountDownLatch(1);
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final CountDownLatch listening = new CountDownLatch(1);
  private volatile KafkaConsumer<byte[], byte[]> consumer;
  private volatile Supervisor supervisor;

  public Controller(ControllerSettings settings) {
    this(settings, Clock.systemUTC(), WorkerContract.MAIN_CLASS);
  }

  /** With the worker JVMs' main class of one's choice (tests). */
  Controller(ControllerSettings settings, Clock clock, String workerMainClass) {
    this.settings = settings;
    this.clock = clock;
    this.workerMainClass = workerMainClass;
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
    ScheduledExecutorService ticker = Executors.newScheduledThreadPool(2, Controller::daemon);
    KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProperties());
    try (state;
        Supervisor workers =
            Supervisor.start(
                workerSettings(), new FinalHistogramPublisher(producer, clock), state)) {
      supervisor = workers;
      resume(state, workers);
      startTicking(ticker, producer, workers);
      listen(producer, workers);
      return 0;
    } catch (IOException e) {
      LOG.log(Level.SEVERE, "Cannot start the worker supervisor", e);
      return 1;
    } finally {
      ticker.shutdownNow();
      // Without a limit, close() waits out the delivery timeout (2 min) for what a broker that
      // has gone can no longer take: the final histograms, a heartbeat.
      producer.close(PRODUCER_CLOSE_TIMEOUT);
      stopped.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // The hook is running: it waits for us.
      }
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
    stopRequested.countDown();
    KafkaConsumer<byte[], byte[]> listening = consumer;
    if (listening != null) {
      listening.wakeup();
    }
  }

  /** The running histograms (and those that ended by themselves since) and their workers. */
  public List<WorkerInfo> workers() {
    Supervisor current = supervisor;
    return current == null ? List.of() : current.workers();
  }

  /** The pids of the spare workers ready to take a histogram. */
  List<Long> readySpares() {
    Supervisor current = supervisor;
    return current == null ? List.of() : current.readySpares();
  }

  /** Whether commands sent from now on will be read. */
  boolean listening() {
    return listening.getCount() == 0;
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

  private boolean stopRequested() {
    return stopRequested.getCount() == 0;
  }

  private void listen(KafkaProducer<byte[], byte[]> producer, Supervisor workers) {
    CommandParser parser = new CommandParser(clock);
    DataTopicCheck check = new DataTopicCheck(settings.kafkaSecurity());
    OutputTopicCheck outputs =
        new OutputTopicCheck(settings.brokers(), settings.kafkaSecurity(), settings.compression());
    try (KafkaConsumer<byte[], byte[]> commands = new KafkaConsumer<>(consumerProperties())) {
      consumer = commands;
      if (stopRequested() || !subscribe(commands)) {
        return;
      }
      while (!stopRequested()) {
        List<ConsumerRecord<byte[], byte[]>> batch = new ArrayList<>();
        commands.poll(POLL).forEach(batch::add);
        if (!batch.isEmpty()) {
          handle(batch, parser, check, outputs, producer, workers);
        }
      }
    } catch (WakeupException e) {
      LOG.fine("Woken up to stop");
    } finally {
      consumer = null;
      workers.shutdown(SHUTDOWN_STOP_TIMEOUT);
    }
  }

  /** Waits until the config topic can be read, then starts at its end. */
  private boolean subscribe(KafkaConsumer<byte[], byte[]> commands) {
    TopicPartition partition = new TopicPartition(settings.configTopic(), 0);
    while (!stopRequested()) {
      String why;
      try {
        List<PartitionInfo> partitions = commands.partitionsFor(settings.configTopic(), RETRY);
        if (partitions != null && !partitions.isEmpty()) {
          commands.assign(List.of(partition));
          commands.seekToEnd(List.of(partition));
          long position = commands.position(partition, RETRY);
          listening.countDown();
          LOG.info(
              () ->
                  "Listening for commands on "
                      + settings.configTopic()
                      + " from offset "
                      + position);
          return true;
        }
        why = "the config topic " + settings.configTopic() + " does not exist";
      } catch (WakeupException e) {
        return false;
      } catch (AuthenticationException e) {
        why =
            "authentication failed with the brokers "
                + settings.brokers()
                + ", check the SASL username and password: "
                + e.getMessage();
      } catch (KafkaException e) {
        why = "cannot reach the brokers " + settings.brokers() + ": " + e.getMessage();
      }
      LOG.warning(
          "Cannot listen for commands yet (" + why + "); retrying in " + RETRY.toSeconds() + " s");
      try {
        if (stopRequested.await(RETRY.toMillis(), TimeUnit.MILLISECONDS)) {
          return false;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return false;
  }

  private void handle(
      List<ConsumerRecord<byte[], byte[]>> batch,
      CommandParser parser,
      DataTopicCheck check,
      OutputTopicCheck outputs,
      KafkaProducer<byte[], byte[]> producer,
      Supervisor workers) {
    List<ParseResult> parsed =
        batch.stream().map(record -> parser.parse(nonNull(record.value()))).toList();
    int latestConfig = -1;
    for (int i = 0; i < parsed.size() && settings.configMode() == ConfigMode.REPLACE; i++) {
      if (parsed.get(i) instanceof ConfigCommand) {
        latestConfig = i;
      }
    }
    for (int i = 0; i < parsed.size(); i++) {
      ParseResult result = parsed.get(i);
      Optional<String> error;
      Optional<MessageId> msgId;
      if (result instanceof Rejection rejection) {
        msgId = rejection.msgId();
        error = Optional.of(rejection.message());
      } else {
        Command command = (Command) result;
        msgId = command.msgId();
        if (command instanceof ConfigCommand && i < latestConfig) {
          error = Optional.of("Superseded by a later config that arrived with it; not started");
        } else {
          error = execute(command, check, outputs, workers);
        }
      }
      respond(producer, msgId, error);
    }
    producer.flush();
  }

  private static byte[] nonNull(byte[] value) {
    return value == null ? new byte[0] : value;
  }

  /** Carries out a valid command: empty when done, else why not. */
  private Optional<String> execute(
      Command command, DataTopicCheck check, OutputTopicCheck outputs, Supervisor workers) {
    if (command instanceof ConfigCommand config) {
      LOG.info(() -> "Config command received: " + config.histograms().size() + " histogram(s)");
      List<HistogramSpec> specs = config.histograms();
      Optional<String> unfit = workers.unfit(specs);
      if (unfit.isEmpty()) {
        unfit = outputs.check(specs);
      }
      if (unfit.isPresent()) {
        return unfit;
      }
      if (!settings.simulation()) {
        DataTopicCheck.Outcome outcome = check.check(specs);
        if (outcome instanceof DataTopicCheck.Refused refused) {
          return Optional.of(refused.reason());
        }
        specs = ((DataTopicCheck.Ready) outcome).specs();
      }
      if (settings.configMode() == ConfigMode.ADD) {
        workers.add(specs, COMMAND_STOP_TIMEOUT);
      } else {
        workers.stop(COMMAND_STOP_TIMEOUT);
        workers.assign(specs);
      }
    } else if (command instanceof StopCommand stop) {
      LOG.info(() -> "Stop command received" + describe(stop.target()));
      if (stop.target().isEmpty()) {
        workers.stop(COMMAND_STOP_TIMEOUT);
      } else {
        HistogramTarget target = stop.target().get();
        if (!workers.has(target.id())) {
          return Optional.of(unknown(target));
        }
        workers.stop(target.id(), COMMAND_STOP_TIMEOUT);
      }
    } else if (command instanceof ResetCountsCommand reset) {
      LOG.info(() -> "Reset command received" + describe(reset.target()));
      if (reset.target().isEmpty()) {
        workers.resetCounts();
      } else {
        HistogramTarget target = reset.target().get();
        if (!workers.has(target.id())) {
          return Optional.of(unknown(target));
        }
        workers.resetCounts(target.id());
      }
    }
    return Optional.empty();
  }

  private static String describe(Optional<HistogramTarget> target) {
    return target
        .map(named -> " for histogram '" + CommandParser.abbreviate(named.id()) + "'")
        .orElse("");
  }

  private static String unknown(HistogramTarget target) {
    return target.field()
        + ": no running histogram has the id '"
        + CommandParser.abbreviate(target.id())
        + "'";
  }

  private void respond(
      KafkaProducer<byte[], byte[]> producer, Optional<MessageId> msgId, Optional<String> error) {
    error.ifPresent(why -> LOG.warning("Command refused: " + why));
    if (msgId.isEmpty()) {
      if (error.isPresent()) {
        LOG.warning("The refused command had no msg_id: no response sent");
      }
      return;
    }
    if (settings.responseTopic().isEmpty()) {
      LOG.fine("No response topic: no response sent");
      return;
    }
    byte[] response =
        error
            .map(why -> Response.error(msgId.get(), why))
            .orElseGet(() -> Response.ack(msgId.get()));
    var unused =
        producer.send(
            new ProducerRecord<>(settings.responseTopic().get(), response),
            (metadata, failure) -> {
              if (failure != null) {
                LOG.severe("Could not send the response to msg_id " + msgId.get() + ": " + failure);
              }
            });
  }

  private void startTicking(
      ScheduledExecutorService ticker, KafkaProducer<byte[], byte[]> producer, Supervisor workers) {
    settings
        .heartbeatTopic()
        .ifPresent(
            topic -> {
              HeartbeatPublisher heartbeat =
                  switch (settings.heartbeatFormat()) {
                    case X5F2 ->
                        HeartbeatPublisher.x5f2(
                            producer,
                            topic,
                            clock,
                            SoftwareVersion.version(),
                            settings.configTopic());
                    case JSON -> HeartbeatPublisher.json(producer, topic, clock);
                  };
              var unused =
                  ticker.scheduleAtFixedRate(
                      () -> guarded("heartbeat", () -> heartbeat.publish(workers.workers())),
                      0,
                      HeartbeatPublisher.INTERVAL_MS,
                      TimeUnit.MILLISECONDS);
            });
    settings
        .graphite()
        .ifPresent(
            graphite -> {
              GraphitePublisher statistics =
                  new GraphitePublisher(
                      graphite.address(), graphite.port(), graphite.prefix(), graphite.metric());
              var unused =
                  ticker.scheduleAtFixedRate(
                      () -> guarded("statistics", () -> statistics.publish(workers.workers())),
                      1000,
                      1000,
                      TimeUnit.MILLISECONDS);
            });
  }

  /** A periodic task that throws is cancelled by its executor: keep it alive. */
  private static void guarded(String what, Runnable task) {
    try {
      task.run();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Could not publish the " + what, e);
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

  private Map<String, Object> clientProperties() {
    Map<String, Object> properties = new HashMap<>(settings.kafkaSecurity());
    properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, String.join(",", settings.brokers()));
    return properties;
  }

  private Map<String, Object> producerProperties() {
    Map<String, Object> properties = clientProperties();
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

  private Map<String, Object> consumerProperties() {
    Map<String, Object> properties = clientProperties();
    properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    properties.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    properties.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 64 * 1024 * 1024);
    properties.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 32 * 1024 * 1024);
    return properties;
  }

  private static Thread daemon(Runnable runnable) {
    Thread thread = new Thread(runnable, "just-bin-it-ticker");
    thread.setDaemon(true);
    return thread;
  }
}
