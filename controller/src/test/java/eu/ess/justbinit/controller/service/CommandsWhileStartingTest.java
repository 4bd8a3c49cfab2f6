package eu.ess.justbinit.controller.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import eu.ess.justbinit.testkit.EmbeddedKafka;
import eu.ess.justbinit.testkit.KafkaBrokerExtension;
import eu.ess.justbinit.testkit.ProcessLevel;
import eu.ess.justbinit.testkit.TopicReader;
import eu.ess.justbinit.wire.rpc.WorkerContract;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A controller JVM answers a command sent while it was still starting (before it listened), and
 * does not replay one sent well before it started ({@link Controller#COMMANDS_BEFORE_START}).
 */
@ExtendWith(KafkaBrokerExtension.class)
@ProcessLevel
class CommandsWhileStartingTest {
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

  @Test
  void answersWhatWasSentWhileItStartedButNothingOlder(EmbeddedKafka kafka, @TempDir Path logs)
      throws Exception {
    // The harness only provides topics and clients here: its in-process controller idles.
    service = new ServiceHarness(kafka, UnaryOperator.identity(), WorkerContract.MAIN_CLASS, true);
    String commands = service.commandTopic + "-jvm";
    service.createTopics(1, commands);
    TopicReader responses = service.reader(service.responseTopic);
    // Stamped a minute ago: long before the new JVM's start, beyond its margin.
    service.send(
        commands,
        "{\"cmd\": \"stop\", \"msg_id\": \"before-start\"}".getBytes(StandardCharsets.UTF_8),
        System.currentTimeMillis() - 60_000);

    Path log = logs.resolve("controller.log");
    controllerProcess =
        ServiceHarness.controllerJvm(
            log,
            List.of(
                "-b",
                kafka.bootstrapServers(),
                "-t",
                commands,
                "-rt",
                service.responseTopic,
                "-l",
                "2"));
    // Sent at once, long before the new JVM can listen.
    service.command(commands, "{\"cmd\": \"stop\", \"msg_id\": \"while-starting\"}");

    responses.await(
        "the answer to the command sent while starting",
        record -> ServiceHarness.text(record).contains("while-starting"));
    // Commands are answered in their order on the topic: the older one would have come first.
    assertEquals(
        List.of(),
        responses.poll().stream()
            .map(ServiceHarness::text)
            .filter(text -> text.contains("before-start"))
            .toList(),
        Files.readString(log));
  }
}
