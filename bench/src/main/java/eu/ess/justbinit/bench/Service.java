package eu.ess.justbinit.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import eu.ess.justbinit.testkit.EmbeddedKafka;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The service under test: the controller's command line in a child process, with its workers below
 * it, and its command and response topics.
 */
final class Service implements AutoCloseable {
  static final String COMMAND_TOPIC = "bench_commands";
  static final String RESPONSE_TOPIC = "bench_responses";
  static final String HEARTBEAT_TOPIC = "bench_heartbeat";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration START_TIMEOUT = Duration.ofMinutes(2);
  private static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration STOP_GRACE = Duration.ofSeconds(15);

  /** The controller's INFO lines (SupervisedHistogram, WorkerPool) that name worker pids. */
  private static final Pattern HISTOGRAM_WORKER =
      Pattern.compile("(?:Spare worker|Launched worker) (\\d+) (?:runs|for) histogram");

  private static final Pattern SPARE_READY = Pattern.compile("Spare worker (\\d+) rehearsed");

  /** A worker whose histogram ended, back in the pool as a warm spare (WorkerPool.giveBack). */
  private static final Pattern SPARE_AGAIN = Pattern.compile("Worker (\\d+) is a spare again");

  private final Process controller;
  private final long startedNs;
  private final int spareWorkers;
  private final Path log;
  private final KafkaProducer<byte[], byte[]> commands;
  private final KafkaConsumer<byte[], byte[]> responses;
  private int nextMessageId;

  private Service(
      Process controller,
      long startedNs,
      int spareWorkers,
      Path log,
      KafkaProducer<byte[], byte[]> commands,
      KafkaConsumer<byte[], byte[]> responses) {
    this.controller = controller;
    this.startedNs = startedNs;
    this.spareWorkers = spareWorkers;
    this.log = log;
    this.commands = commands;
    this.responses = responses;
  }

  /**
   * Starts the controller, as scripts/just-bin-it does (its main class, its module's classpath),
   * and returns once it has published its heartbeat.
   *
   * @param workerJvmOptions the controller's --worker-jvm-options; null for its default
   * @param spareWorkers the controller's --spare-workers
   */
  static Service start(
      String controllerClasspath,
      EmbeddedKafka kafka,
      long publishIntervalMs,
      String workerJvmOptions,
      int spareWorkers,
      Path log)
      throws IOException, InterruptedException {
    Service service =
        launch(
            controllerClasspath,
            List.of(),
            kafka,
            publishIntervalMs,
            workerJvmOptions,
            spareWorkers,
            log);
    try {
      service.awaitHeartbeat(kafka);
    } catch (RuntimeException e) {
      service.close();
      throw e;
    }
    return service;
  }

  /**
   * Starts the controller as {@link #start} does, with {@code controllerJvmOptions} for its own
   * JVM, and returns at once: the cold start is timed from {@link #startedNs}.
   */
  static Service launch(
      String controllerClasspath,
      List<String> controllerJvmOptions,
      EmbeddedKafka kafka,
      long publishIntervalMs,
      String workerJvmOptions,
      int spareWorkers,
      Path log)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(ReadCeilingRuns.javaExecutable());
    command.addAll(controllerJvmOptions);
    command.addAll(
        List.of("-cp", controllerClasspath, "eu.ess.justbinit.controller.cli.JustBinItCommand"));
    command.addAll(
        List.of(
            "--brokers",
            kafka.bootstrapServers(),
            "--config-topic",
            COMMAND_TOPIC,
            "--response-topic",
            RESPONSE_TOPIC,
            "--hb-topic",
            HEARTBEAT_TOPIC,
            "--publish-interval",
            Long.toString(publishIntervalMs),
            "--spare-workers",
            Integer.toString(spareWorkers),
            // The pool the bench asks for, which its configs do not grow.
            "--max-spare-workers",
            Integer.toString(spareWorkers),
            "--log-level",
            "2",
            // Beside the controller's own log: one directory holds a bench run's logs.
            "--worker-log-dir",
            log.getParent().toString()));
    if (workerJvmOptions != null) {
      command.add("--worker-jvm-options=" + workerJvmOptions);
    }
    long startedNs = Clock.nowNs();
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    // A bench stopped by a signal skips close(); the controller, unlike the broker, does not watch
    // its parent, and would go on running with its workers.
    Runtime.getRuntime().addShutdownHook(new Thread(process::destroy, "stop-the-controller"));
    KafkaConsumer<byte[], byte[]> responses =
        new KafkaConsumer<>(
            kafka.clientProperties(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    TopicPartition responsePartition = new TopicPartition(RESPONSE_TOPIC, 0);
    responses.assign(List.of(responsePartition));
    responses.seekToEnd(List.of(responsePartition));
    responses.position(responsePartition);
    return new Service(
        process,
        startedNs,
        spareWorkers,
        log,
        new KafkaProducer<>(
            kafka.clientProperties(), new ByteArraySerializer(), new ByteArraySerializer()),
        responses);
  }

  /** When the controller's process was started, ns since epoch. */
  long startedNs() {
    return startedNs;
  }

  boolean alive() {
    return controller.isAlive();
  }

  private void awaitHeartbeat(EmbeddedKafka kafka) {
    if (!kafka.awaitNextRecord(HEARTBEAT_TOPIC, START_TIMEOUT, controller::isAlive)) {
      if (!controller.isAlive()) {
        throw new IllegalStateException(
            "the controller exited with status " + controller.exitValue() + "; see " + log);
      }
      throw new IllegalStateException("no heartbeat from the controller in " + START_TIMEOUT);
    }
  }

  long pid() {
    return controller.pid();
  }

  /**
   * The worker JVMs running histograms now (not the spares), as the controller's log names them.
   */
  List<ProcessHandle> workers() {
    return alive(roles(logLines()), Role.RUNNING);
  }

  /** What a worker JVM does, as the controller's log last named it. */
  private enum Role {
    RUNNING,
    /** Rehearsed, and has never run a histogram. */
    FRESH_SPARE,
    /** Back in the pool after its histogram ended. */
    RECYCLED
  }

  private static Map<Long, Role> roles(List<String> lines) {
    Map<Pattern, Role> logged =
        Map.of(
            HISTOGRAM_WORKER, Role.RUNNING,
            SPARE_READY, Role.FRESH_SPARE,
            SPARE_AGAIN, Role.RECYCLED);
    Map<Long, Role> roles = new HashMap<>();
    for (String text : lines) {
      logged.forEach(
          (line, role) -> {
            Matcher matcher = line.matcher(text);
            if (matcher.find()) {
              roles.put(Long.parseLong(matcher.group(1)), role);
            }
          });
    }
    return roles;
  }

  private static List<ProcessHandle> alive(Map<Long, Role> roles, Role wanted) {
    return roles.entrySet().stream()
        .filter(role -> role.getValue() == wanted)
        .map(role -> ProcessHandle.of(role.getKey()))
        .flatMap(Optional::stream)
        .filter(ProcessHandle::isAlive)
        .toList();
  }

  /**
   * Waits until the controller has all its fresh spare workers rehearsed and not taken by a
   * histogram, so that every config meets the controller as one that has been idle a while does: no
   * spare starting beside the catch-up. Workers back from a histogram wait beside them.
   */
  void awaitSpares() throws InterruptedException {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (alive(roles(logLines()), Role.FRESH_SPARE).size() >= spareWorkers) {
        return;
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException(
        spareWorkers + " spare workers did not get ready in " + START_TIMEOUT + "; see " + log);
  }

  private List<String> logLines() {
    try {
      return Files.readAllLines(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Waits until no worker runs a histogram any more (after a stop): each has exited, or is a spare
   * again.
   */
  void awaitNoWorkers() throws InterruptedException {
    long deadline = System.nanoTime() + STOP_GRACE.toNanos();
    while (!workers().isEmpty()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "workers " + workers() + " still run a histogram; see " + log);
      }
      Thread.sleep(50);
    }
  }

  /**
   * Sends a command, with a msg_id of its own, and waits for its ACK.
   *
   * @return when it was sent, ns since epoch
   * @throws IllegalStateException on ERR or no response
   */
  long send(com.fasterxml.jackson.databind.node.ObjectNode command) throws InterruptedException {
    if (command.path("cmd").asText().equals("config")) {
      awaitSpares();
    }
    Sent sent = post(command);
    awaitResponse(sent.messageId(), command.toString());
    return sent.sentNs();
  }

  /** A command sent: its msg_id and when, ns since epoch. */
  record Sent(String messageId, long sentNs) {}

  /** Sends a command, with a msg_id of its own, without waiting for its response. */
  Sent post(com.fasterxml.jackson.databind.node.ObjectNode command) {
    String messageId = "bench-" + ++nextMessageId;
    command.put("msg_id", messageId);
    byte[] bytes = command.toString().getBytes(StandardCharsets.UTF_8);
    long sentNs = Clock.nowNs();
    try {
      commands.send(new ProducerRecord<>(COMMAND_TOPIC, 0, null, bytes)).get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot send a command", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted sending a command", e);
    }
    return new Sent(messageId, sentNs);
  }

  /**
   * The first response within {@code timeout} to one of the commands sent with these msg_ids, or
   * empty.
   */
  Optional<JsonNode> response(java.util.Set<String> messageIds, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      for (ConsumerRecord<byte[], byte[]> record : responses.poll(Duration.ofMillis(20))) {
        try {
          JsonNode response = JSON.readTree(record.value());
          if (messageIds.contains(response.path("msg_id").asText())) {
            return Optional.of(response);
          }
        } catch (IOException e) {
          // Not a response of ours.
        }
      }
    }
    return Optional.empty();
  }

  private void awaitResponse(String messageId, String command) {
    long deadline = System.nanoTime() + RESPONSE_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      for (ConsumerRecord<byte[], byte[]> record : responses.poll(Duration.ofMillis(50))) {
        JsonNode response;
        try {
          response = JSON.readTree(record.value());
        } catch (IOException e) {
          continue;
        }
        if (!response.path("msg_id").asText().equals(messageId)) {
          continue;
        }
        if (response.path("response").asText().equals("ACK")) {
          return;
        }
        throw new IllegalStateException(
            "the service refused " + command + ": " + response.path("message").asText());
      }
    }
    throw new IllegalStateException("no response to " + command + " in " + RESPONSE_TIMEOUT);
  }

  /** The controller's log, for failure messages. */
  String logTail() {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    } catch (IOException e) {
      return "(cannot read " + log + ")";
    }
  }

  /** SIGTERM to the controller, which stops its workers; what is left after the grace is killed. */
  @Override
  public void close() {
    commands.close();
    responses.close();
    List<ProcessHandle> tree = controller.descendants().toList();
    controller.destroy();
    try {
      if (!controller.waitFor(STOP_GRACE.toSeconds(), TimeUnit.SECONDS)) {
        controller.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      controller.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    for (ProcessHandle process : tree) {
      process.destroyForcibly();
    }
  }
}
