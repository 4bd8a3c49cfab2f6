package eu.ess.justbinit.controller.service;

import eu.ess.justbinit.controller.supervisor.SparePool;
import eu.ess.justbinit.testkit.EmbeddedKafka;
import eu.ess.justbinit.testkit.Eventually;
import eu.ess.justbinit.testkit.PublishedHistograms;
import eu.ess.justbinit.testkit.TopicReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A controller running in this JVM against the test broker, with topics of its own, and the clients
 * a test needs around it: send commands and data, read responses and outputs.
 */
final class ServiceHarness implements AutoCloseable {
  /** Where the controllers' workers log: beside the test reports, not in /tmp. */
  static final Path WORKER_LOGS = Path.of("target", "worker-logs");

  static final Duration PATIENCE = Duration.ofSeconds(60);
  private static final AtomicInteger RUNS = new AtomicInteger();

  final EmbeddedKafka kafka;
  final String prefix;
  final String commandTopic;
  final String responseTopic;
  final String heartbeatTopic;
  final ControllerSettings settings;
  final Controller controller;
  private final CompletableFuture<Integer> exitCode = new CompletableFuture<>();
  private final KafkaProducer<byte[], byte[]> producer;
  private final List<TopicReader> readers = new ArrayList<>();

  /**
   * @param adjust changes to the standard settings (x5f2 heartbeat, response topic, 200 ms publish
   *     interval)
   * @param workerMain the workers' main class
   * @param createCommandTopic whether the command topic exists before the controller starts
   */
  ServiceHarness(
      EmbeddedKafka kafka,
      UnaryOperator<ControllerSettings> adjust,
      String workerMain,
      boolean createCommandTopic) {
    this.kafka = kafka;
    this.prefix = "svc" + ProcessHandle.current().pid() + "-" + RUNS.incrementAndGet() + "-";
    this.commandTopic = prefix + "commands";
    this.responseTopic = prefix + "responses";
    this.heartbeatTopic = prefix + "heartbeat";
    createTopics(1, responseTopic, heartbeatTopic);
    if (createCommandTopic) {
      createTopics(1, commandTopic);
    }
    this.settings =
        adjust.apply(
            new ControllerSettings(
                List.of(kafka.bootstrapServers()),
                commandTopic,
                Optional.of(heartbeatTopic),
                ControllerSettings.HeartbeatFormat.X5F2,
                Optional.of(responseTopic),
                Optional.empty(),
                false,
                3,
                Map.of(),
                Duration.ofMillis(200),
                List.of("-Xmx128m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"),
                SparePool.fixed(1),
                WORKER_LOGS));
    Map<String, Object> producerProperties = kafka.clientProperties();
    producerProperties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    producerProperties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    producerProperties.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    this.producer = new KafkaProducer<>(producerProperties);
    this.controller = new Controller(settings, Clock.systemUTC(), workerMain, Instant.now());
    Thread thread =
        new Thread(
            () -> {
              try {
                exitCode.complete(controller.run());
              } catch (Throwable t) {
                exitCode.completeExceptionally(t);
              }
            },
            "controller-under-test");
    thread.start();
  }

  /** The standard settings with other options for the worker JVMs. */
  static UnaryOperator<ControllerSettings> workerJvmOptions(String... options) {
    return settings ->
        copy(
            settings,
            settings.brokers(),
            settings.kafkaSecurity(),
            settings.graphite(),
            List.of(options));
  }

  /** The standard settings, with statistics sent to {@code graphite}. */
  static UnaryOperator<ControllerSettings> graphite(ControllerSettings.GraphiteSettings graphite) {
    return settings ->
        copy(
            settings,
            settings.brokers(),
            settings.kafkaSecurity(),
            Optional.of(graphite),
            settings.workerJvmOptions());
  }

  /** The standard settings, with configs that add histograms or replace them. */
  static UnaryOperator<ControllerSettings> configMode(ControllerSettings.ConfigMode mode) {
    return settings -> settings.withConfigMode(mode);
  }

  /** The standard settings against {@code brokers}, reached with {@code security}. */
  static UnaryOperator<ControllerSettings> brokers(
      List<String> brokers, Map<String, String> security) {
    return settings ->
        copy(settings, brokers, security, settings.graphite(), settings.workerJvmOptions());
  }

  private static ControllerSettings copy(
      ControllerSettings settings,
      List<String> brokers,
      Map<String, String> security,
      Optional<ControllerSettings.GraphiteSettings> graphite,
      List<String> workerJvmOptions) {
    return new ControllerSettings(
        brokers,
        settings.configTopic(),
        settings.heartbeatTopic(),
        settings.heartbeatFormat(),
        settings.responseTopic(),
        graphite,
        settings.simulation(),
        settings.logLevel(),
        security,
        settings.publishInterval(),
        workerJvmOptions,
        settings.spares(),
        settings.workerLogs(),
        settings.configMode(),
        settings.stateDir(),
        settings.compression(),
        settings.maxWorkerHeapMegabytes());
  }

  /**
   * Creates topics and waits until they are served. A topic described a moment after its creation
   * may not be known yet (UnknownTopicOrPartitionException): then wait until it is.
   */
  void createTopics(int partitions, String... names) {
    try {
      kafka.createTopics(partitions, names);
    } catch (UnknownTopicOrPartitionException notYet) {
      try (Admin admin = Admin.create(kafka.adminProperties())) {
        Eventually.await(
            "topics " + List.of(names) + " served",
            PATIENCE,
            () -> {
              try {
                return admin.describeTopics(List.of(names)).allTopicNames().get().values().stream()
                    .flatMap(topic -> topic.partitions().stream())
                    .allMatch(partition -> partition.leader() != null);
              } catch (ExecutionException e) {
                return false;
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
              }
            });
      }
    }
  }

  void awaitListening() {
    Eventually.await("the controller listens", PATIENCE, controller::listening);
  }

  /**
   * The controller as the just-bin-it command runs it, in a JVM of its own, its output to log and
   * its workers' logs in the same directory.
   */
  static Process controllerJvm(Path log, List<String> arguments) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElseThrow());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("eu.ess.justbinit.controller.cli.JustBinItCommand");
    command.add("--worker-log-dir=" + log.getParent());
    command.addAll(arguments);
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
  }

  /**
   * Waits until the controller JVM whose output goes to {@code log} listens: commands sent before
   * are not replayed.
   */
  static void awaitListening(Path log) {
    Eventually.await(
        "the controller JVM listens",
        PATIENCE,
        () -> {
          try {
            return Files.readString(log).contains("Listening for commands");
          } catch (IOException e) {
            return false;
          }
        });
  }

  /** Sends a command (and waits until the broker has it). */
  void command(String json) {
    command(commandTopic, json);
  }

  /** Sends a command to another command topic. */
  void command(String topic, String json) {
    send(topic, json.getBytes(StandardCharsets.UTF_8), null);
  }

  /** Sends several commands in one go, so that the controller likely reads them in one batch. */
  void commands(String... jsons) {
    for (String json : jsons) {
      var unused =
          producer.send(new ProducerRecord<>(commandTopic, json.getBytes(StandardCharsets.UTF_8)));
    }
    producer.flush();
  }

  void send(String topic, byte[] value, Long timestampMs) {
    try {
      producer
          .send(new ProducerRecord<>(topic, null, timestampMs, null, value))
          .get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("Cannot produce to " + topic, e);
    }
  }

  void send(String topic, int partition, byte[] value, Long timestampMs) {
    try {
      producer
          .send(new ProducerRecord<>(topic, partition, timestampMs, null, value))
          .get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("Cannot produce to " + topic, e);
    }
  }

  /** A reader of every partition of {@code topic} from its beginning. */
  TopicReader reader(String topic) {
    TopicReader reader = new TopicReader(kafka.clientProperties(), topic, PATIENCE);
    readers.add(reader);
    return reader;
  }

  /** The histograms published on {@code topic}, read from its beginning. */
  PublishedHistograms histograms(String topic) {
    return new PublishedHistograms(reader(topic), PATIENCE);
  }

  /** The same, {@code check} run on each message's bytes as it is read. */
  PublishedHistograms histograms(String topic, Consumer<byte[]> check) {
    return new PublishedHistograms(reader(topic), PATIENCE, check);
  }

  /**
   * Sends a config of {@code histograms} (hs01), waits for its ACK, and returns the histograms
   * published on {@code outputTopic}.
   */
  PublishedHistograms configure(String outputTopic, String... histograms) {
    return configureWith(outputTopic, "", histograms);
  }

  /** The same with more fields of the config, {@code fields} written as {@code "name": value, }. */
  PublishedHistograms configureWith(String outputTopic, String fields, String... histograms) {
    TopicReader responses = reader(responseTopic);
    command(
        """
        {"cmd": "config", "msg_id": "go", %s"output_schema": "hs01", "histograms": [%s]}"""
            .formatted(fields, String.join(", ", histograms)));
    responses.await("the ACK", r -> text(r).contains("\"ACK\""));
    return histograms(outputTopic);
  }

  static String text(ConsumerRecord<byte[], byte[]> record) {
    return new String(record.value(), StandardCharsets.UTF_8);
  }

  /** Stops the controller and waits for run() to return its exit code. */
  int stop() {
    controller.shutdown();
    try {
      return exitCode.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("The controller did not stop", e);
    }
  }

  @Override
  public void close() {
    if (!exitCode.isDone()) {
      stop();
    }
    readers.forEach(TopicReader::close);
    producer.close();
  }
}
