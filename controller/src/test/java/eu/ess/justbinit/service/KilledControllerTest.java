package eu.ess.justbinit.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import eu.ess.justbinit.Eventually;
import eu.ess.justbinit.cli.JustBinItCommand;
import eu.ess.justbinit.testkit.EmbeddedKafka;
import eu.ess.justbinit.testkit.KafkaBrokerExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The controller, run as its own JVM through the command line, killed with -9 while its workers
 * count: within 10 s no worker JVM of it remains.
 */
@ExtendWith(KafkaBrokerExtension.class)
class KilledControllerTest {
  /** The bound for orphans; the workers aim at 5 s. */
  private static final Duration ORPHANS_GONE = Duration.ofSeconds(10);

  @Test
  void noWorkerOutlivesItsKilledControllerByMoreThanTenSeconds(
      EmbeddedKafka kafka, @TempDir Path dir) throws Exception {
    String prefix = "killed-controller-" + UUID.randomUUID().toString().substring(0, 8) + "-";
    String commands = prefix + "commands";
    String data = prefix + "data";
    String out = prefix + "out";
    kafka.createTopics(1, commands, data, out);
    Path log = dir.resolve("controller.log");
    Process controller =
        new ProcessBuilder(
                ProcessHandle.current().info().command().orElseThrow(),
                "-cp",
                System.getProperty("java.class.path"),
                JustBinItCommand.class.getName(),
                "-b",
                kafka.bootstrapServers(),
                "-t",
                commands,
                "-l",
                "2",
                "--publish-interval",
                "200",
                "--worker-jvm-options",
                "-Xmx128m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC")
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    List<ProcessHandle> workers = List.of();
    try (KafkaProducer<byte[], byte[]> producer =
            new KafkaProducer<>(
                kafka.clientProperties(), new ByteArraySerializer(), new ByteArraySerializer());
        ServiceHarness.TopicReader output = ServiceHarness.reader(kafka, out)) {
      Eventually.await(
          "the controller listens (its log: " + log + ")",
          ServiceHarness.PATIENCE,
          () -> read(log).contains("Listening for commands"));
      send(
          producer,
          commands,
          """
          {"cmd": "config", "histograms": [%s, %s]}"""
              .formatted(
                  KnownEvents.HIST1D.formatted(kafka.bootstrapServers(), data, out, "a"),
                  KnownEvents.HIST1D.formatted(kafka.bootstrapServers(), data, out, "b")));
      PublishedHistograms published = new PublishedHistograms(output);
      Eventually.await(
          "histograms published by both workers",
          ServiceHarness.PATIENCE,
          () -> published.latest("a").isPresent() && published.latest("b").isPresent());
      workers = controller.descendants().toList();
      assertEquals(2, workers.size(), "worker JVMs of the controller: " + workers);

      controller.destroyForcibly();
      controller.waitFor(30, TimeUnit.SECONDS);
      List<ProcessHandle> orphans = workers;
      Eventually.await(
          "every worker JVM gone after its controller was killed",
          ORPHANS_GONE,
          () -> orphans.stream().noneMatch(ProcessHandle::isAlive));
    } finally {
      controller.destroyForcibly();
      workers.forEach(ProcessHandle::destroyForcibly);
    }
  }

  private static String read(Path log) {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  private static void send(KafkaProducer<byte[], byte[]> producer, String topic, String json) {
    try {
      producer
          .send(new ProducerRecord<>(topic, json.getBytes(StandardCharsets.UTF_8)))
          .get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("Cannot send to " + topic, e);
    }
  }
}
