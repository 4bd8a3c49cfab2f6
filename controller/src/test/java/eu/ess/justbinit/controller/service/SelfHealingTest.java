package eu.ess.justbinit.controller.service;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import eu.ess.justbinit.testkit.EmbeddedKafka;
import eu.ess.justbinit.testkit.Eventually;
import eu.ess.justbinit.testkit.KafkaBrokerExtension;
import eu.ess.justbinit.testkit.ProcessLevel;
import eu.ess.justbinit.testkit.TopicReader;
import eu.ess.justbinit.wire.codec.CodecException;
import eu.ess.justbinit.wire.codec.HistogramDecoder;
import eu.ess.justbinit.wire.rpc.WorkerContract;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Self-healing with real worker JVMs: no worker outlives its controller, and SIGTERM ends each
 * histogram cleanly. (Crashed workers: {@link KilledWorkerTest}.)
 */
@ExtendWith(KafkaBrokerExtension.class)
@ProcessLevel
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

  /** The controller as the just-bin-it command runs it, in a JVM of its own. */
  private Process startControllerJvm(ServiceHarness topics, Path logs) throws IOException {
    return ServiceHarness.controllerJvm(
        logs.resolve("controller.log"),
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
            // No -Xmx: the controller fits each worker's heap to its histogram.
            "-XX:TieredStopAtLevel=1"));
  }

  /**
   * Starts a controller JVM running two histograms, and waits until it has their workers and a
   * spare (the pool may grow by more later: callers take the children again when they need all).
   */
  private void controllerJvmWithTwoWorkers(EmbeddedKafka kafka, Path logs) throws IOException {
    // The harness only provides topics and clients here: its in-process controller idles.
    service = new ServiceHarness(kafka, UnaryOperator.identity(), WorkerContract.MAIN_CLASS, true);
    String data = service.prefix + "data";
    String output = service.prefix + "hist";
    service.createTopics(1, data, output, service.commandTopic + "-jvm");
    TopicReader responses = service.reader(service.responseTopic);
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
    TopicReader histograms = service.reader(output);
    for (String id : List.of("one", "two")) {
      histograms.await(
          "histogram " + id + " published",
          record -> info(record).map(i -> i.path("id").asText().equals(id)).orElse(false));
    }
    Eventually.await(
        "two workers and a spare",
        ServiceHarness.PATIENCE,
        () -> controllerProcess.children().count() >= 3);
  }

  @Test
  void noWorkerOutlivesAKilledController(EmbeddedKafka kafka, @TempDir Path logs) throws Exception {
    controllerJvmWithTwoWorkers(kafka, logs);
    List<ProcessHandle> workers = controllerProcess.children().toList();

    controllerProcess.destroyForcibly();

    Eventually.await(
        "every worker gone within 10 s",
        Duration.ofSeconds(10),
        () -> workers.stream().noneMatch(ProcessHandle::isAlive));
  }

  @Test
  void sigtermStopsEveryWorkerAfterItPublishedItsFinalHistogram(
      EmbeddedKafka kafka, @TempDir Path logs) throws Exception {
    controllerJvmWithTwoWorkers(kafka, logs);
    TopicReader histograms = service.reader(service.prefix + "hist");

    List<ProcessHandle> workers = controllerProcess.children().toList();
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
