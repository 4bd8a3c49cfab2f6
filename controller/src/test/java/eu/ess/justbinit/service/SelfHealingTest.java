package eu.ess.justbinit.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import eu.ess.justbinit.Eventually;
import eu.ess.justbinit.codec.CodecException;
import eu.ess.justbinit.codec.EventEncoder;
import eu.ess.justbinit.codec.HistogramDecoder;
import eu.ess.justbinit.codec.HistogramMessage;
import eu.ess.justbinit.rpc.HistogramState;
import eu.ess.justbinit.supervisor.WorkerInfo;
import eu.ess.justbinit.supervisor.WorkerSettings;
import eu.ess.justbinit.testkit.EmbeddedKafka;
import eu.ess.justbinit.testkit.KafkaBrokerExtension;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Self-healing with real worker JVMs: crashes cost nothing, and no worker outlives its controller.
 */
@ExtendWith(KafkaBrokerExtension.class)
class SelfHealingTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int BINS = 50;
  private static final int BIN_WIDTH = 2_000_000;

  private ServiceHarness service;
  private Process controllerProcess;

  @AfterEach
  void cleanUp() {
    if (service != null) {
      service.close();
    }
    if (controllerProcess != null) {
      controllerProcess.descendants().forEach(ProcessHandle::destroyForcibly);
      controllerProcess.destroyForcibly();
    }
  }

  private static String hist1d(String brokers, String data, String output, String id) {
    return """
        {"type": "hist1d", "data_brokers": ["%s"], "data_topics": ["%s"],
         "tof_range": [0, %d], "num_bins": %d, "topic": "%s", "id": "%s"}"""
        .formatted(brokers, data, BINS * BIN_WIDTH, BINS, output, id);
  }

  private static Optional<JsonNode> info(ConsumerRecord<byte[], byte[]> record) {
    try {
      return Optional.of(
          JSON.readTree(new HistogramDecoder().decode(ByteBuffer.wrap(record.value())).info()));
    } catch (CodecException | IOException e) {
      return Optional.empty();
    }
  }

  private static HistogramMessage histogram(ConsumerRecord<byte[], byte[]> record) {
    try {
      return new HistogramDecoder().decode(ByteBuffer.wrap(record.value()));
    } catch (CodecException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void aWorkerKilledFiveTimesWhileEventsFlowEndsWithExactlyTheEventsSent(EmbeddedKafka kafka)
      throws Exception {
    service = new ServiceHarness(kafka, UnaryOperator.identity(), WorkerSettings.WORKER_MAIN, true);
    service.awaitListening();
    String data = service.prefix + "data";
    String output = service.prefix + "hist";
    service.createTopics(2, data);
    service.createTopics(1, output);
    ServiceHarness.TopicReader responses = service.reader(service.responseTopic);
    ServiceHarness.TopicReader histograms = service.reader(output);
    service.command(
        "{\"cmd\": \"config\", \"msg_id\": \"heal\", \"histograms\": [%s]}"
            .formatted(hist1d(kafka.bootstrapServers(), data, output, "healing")));
    responses.await("ACK", record -> ServiceHarness.text(record).contains("ACK"));

    long[] expected = new long[BINS];
    CompletableFuture<Long> producing =
        CompletableFuture.supplyAsync(
            () -> {
              Random random = new Random(7);
              long total = 0;
              for (int message = 0; message < 120; message++) {
                int events = 200 + random.nextInt(300);
                int[] tof = new int[events];
                int[] det = new int[events];
                for (int i = 0; i < events; i++) {
                  int bin = random.nextInt(BINS);
                  tof[i] = bin * BIN_WIDTH + BIN_WIDTH / 2;
                  expected[bin]++;
                }
                long now = System.currentTimeMillis();
                service.send(
                    data,
                    message % 2,
                    EventEncoder.ev44("healing", message, now * 1_000_000L, tof, det),
                    now);
                total += events;
                pause(40);
              }
              return total;
            });

    long previousPid = -1;
    for (int kill = 0; kill < 5; kill++) {
      long replaced = previousPid;
      int restarts = kill;
      WorkerInfo running =
          Eventually.get(
              "a counting worker after " + kill + " kills",
              ServiceHarness.PATIENCE,
              () ->
                  service.controller.workers().stream()
                      .filter(
                          w ->
                              w.pid() > 0
                                  && w.pid() != replaced
                                  && w.restarts() == restarts
                                  && w.state() == HistogramState.COUNTING
                                  && w.statistics().getSum() > 0)
                      .findAny());
      ProcessHandle.of(running.pid()).orElseThrow().destroyForcibly();
      previousPid = running.pid();
    }
    long total = producing.get();

    ConsumerRecord<byte[], byte[]> last =
        histograms.await(
            "every event counted",
            record -> info(record).map(i -> i.path("sum").asLong() == total).orElse(false));
    assertArrayEquals(expected, histogram(last).data().integers());
    assertEquals(5, service.controller.workers().get(0).restarts());
  }

  private static void pause(long ms) {
    try {
      Thread.sleep(ms); // paces the producer like a detector; no synchronisation
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The controller as the just-bin-it command runs it, in a JVM of its own. */
  private Process startControllerJvm(ServiceHarness topics, Path logs) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElseThrow());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("eu.ess.justbinit.cli.JustBinItCommand");
    command.addAll(
        List.of(
            "-b",
            topics.kafka.bootstrapServers(),
            "-t",
            topics.commandTopic + "-jvm",
            "-rt",
            topics.responseTopic,
            "-l",
            "2",
            "--publish-interval",
            "200",
            "--worker-jvm-options",
            "-Xmx128m -XX:TieredStopAtLevel=1"));
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(logs.resolve("controller.log").toFile())
        .start();
  }

  /** Starts a controller JVM running two histograms; returns their workers. */
  private List<ProcessHandle> controllerJvmWithTwoWorkers(EmbeddedKafka kafka, Path logs)
      throws IOException {
    // The harness only provides topics and clients here: its in-process controller idles.
    service = new ServiceHarness(kafka, UnaryOperator.identity(), WorkerSettings.WORKER_MAIN, true);
    String data = service.prefix + "data";
    String output = service.prefix + "hist";
    service.createTopics(1, data, output, service.commandTopic + "-jvm");
    ServiceHarness.TopicReader responses = service.reader(service.responseTopic);
    controllerProcess = startControllerJvm(service, logs);
    String config =
        "{\"cmd\": \"config\", \"msg_id\": \"jvm\", \"histograms\": [%s, %s]}"
            .formatted(
                hist1d(kafka.bootstrapServers(), data, output, "one"),
                hist1d(kafka.bootstrapServers(), data, output, "two"));
    // Commands sent before the controller listens are not replayed: wait until it says it does.
    Path log = logs.resolve("controller.log");
    ServiceHarness.awaitListening(log);
    service.command(service.commandTopic + "-jvm", config);
    responses.await("the ACK", r -> ServiceHarness.text(r).contains("ACK"));
    ServiceHarness.TopicReader histograms = service.reader(output);
    for (String id : List.of("one", "two")) {
      histograms.await(
          "histogram " + id + " published",
          record -> info(record).map(i -> i.path("id").asText().equals(id)).orElse(false));
    }
    return Eventually.get(
        "two workers",
        ServiceHarness.PATIENCE,
        () -> {
          List<ProcessHandle> workers = controllerProcess.children().toList();
          return workers.size() == 2 ? Optional.of(workers) : Optional.empty();
        });
  }

  @Test
  void noWorkerOutlivesAKilledController(EmbeddedKafka kafka, @TempDir Path logs) throws Exception {
    List<ProcessHandle> workers = controllerJvmWithTwoWorkers(kafka, logs);

    controllerProcess.destroyForcibly();

    Eventually.await(
        "every worker gone within 10 s",
        Duration.ofSeconds(10),
        () -> workers.stream().noneMatch(ProcessHandle::isAlive));
  }

  @Test
  void sigtermStopsEveryWorkerAfterItPublishedItsFinalHistogram(
      EmbeddedKafka kafka, @TempDir Path logs) throws Exception {
    List<ProcessHandle> workers = controllerJvmWithTwoWorkers(kafka, logs);
    ServiceHarness.TopicReader histograms = service.reader(service.prefix + "hist");

    controllerProcess.destroy(); // SIGTERM

    for (String id : List.of("one", "two")) {
      histograms.await(
          "histogram " + id + " FINISHED",
          record ->
              info(record)
                  .map(
                      i ->
                          i.path("id").asText().equals(id)
                              && i.path("state").asText().equals("FINISHED"))
                  .orElse(false));
    }
    assertTrue(
        controllerProcess.waitFor(30, java.util.concurrent.TimeUnit.SECONDS),
        Files.readString(logs.resolve("controller.log")));
    assertFalse(workers.stream().anyMatch(ProcessHandle::isAlive));
  }
}
