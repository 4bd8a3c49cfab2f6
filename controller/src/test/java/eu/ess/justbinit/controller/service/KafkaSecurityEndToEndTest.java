package eu.ess.justbinit.controller.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.ess.justbinit.controller.supervisor.WorkerInfo;
import eu.ess.justbinit.testkit.EmbeddedKafka;
import eu.ess.justbinit.testkit.Eventually;
import eu.ess.justbinit.testkit.KafkaBrokerExtension;
import eu.ess.justbinit.testkit.ProcessLevel;
import eu.ess.justbinit.testkit.PublishedHistogram;
import eu.ess.justbinit.testkit.PublishedHistograms;
import eu.ess.justbinit.testkit.TopicReader;
import eu.ess.justbinit.wire.rpc.WorkerContract;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka security end to end: the controller and its workers on the broker's SASL_PLAINTEXT
 * SCRAM-SHA-512 listener, and the password nowhere it could be read.
 */
@ExtendWith(KafkaBrokerExtension.class)
@ProcessLevel
class KafkaSecurityEndToEndTest {
  private static final Pattern JAAS_PASSWORD = Pattern.compile("password=\"([^\"]+)\"");

  private final List<String> logLines = new ArrayList<>();
  private final Handler capture =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          StringBuilder line =
              new StringBuilder(record.getLoggerName() + ": " + record.getMessage());
          if (record.getParameters() != null) {
            for (Object parameter : record.getParameters()) {
              line.append(' ').append(parameter);
            }
          }
          if (record.getThrown() != null) {
            StringWriter trace = new StringWriter();
            record.getThrown().printStackTrace(new PrintWriter(trace));
            line.append(' ').append(trace);
          }
          synchronized (logLines) {
            logLines.add(line.toString());
          }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  @BeforeEach
  void captureLogs() {
    Logger.getLogger("").addHandler(capture);
  }

  @AfterEach
  void stopCapturing() {
    Logger.getLogger("").removeHandler(capture);
  }

  private List<String> logLines() {
    synchronized (logLines) {
      return List.copyOf(logLines);
    }
  }

  /** The password the shared broker made up for its SCRAM user. */
  static String scramPassword(EmbeddedKafka kafka) {
    Matcher matcher =
        JAAS_PASSWORD.matcher(String.valueOf(kafka.saslClientProperties().get("sasl.jaas.config")));
    assertTrue(matcher.find());
    return matcher.group(1);
  }

  private static Map<String, String> scram(String password) {
    return Map.of(
        "security.protocol",
        "SASL_PLAINTEXT",
        "sasl.mechanism",
        "SCRAM-SHA-512",
        "sasl.jaas.config",
        "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
            + KafkaBrokerExtension.SCRAM_USER
            + "\" password=\""
            + password
            + "\";");
  }

  private static ServiceHarness saslService(EmbeddedKafka kafka, String password) {
    return new ServiceHarness(
        kafka,
        ServiceHarness.brokers(List.of(kafka.saslBootstrapServers()), scram(password)),
        WorkerContract.MAIN_CLASS,
        true);
  }

  /** Every worker log file that the controllers of JVM {@code controllerPid} wrote. */
  private static String workerLogs(Path workerLogDir, long controllerPid) throws IOException {
    Path runDirectory = Controller.workerLogDirectory(workerLogDir, controllerPid);
    StringBuilder all = new StringBuilder();
    try (Stream<Path> files = Files.list(runDirectory)) {
      for (Path file : files.toList()) {
        all.append(Files.readString(file));
      }
    }
    return all.toString();
  }

  private static String commandLine(long pid) {
    ProcessHandle.Info info = ProcessHandle.of(pid).orElseThrow().info();
    return info.commandLine().orElse("")
        + " "
        + String.join(" ", info.arguments().orElse(new String[0]));
  }

  @Test
  void theRightCredentialsWorkEndToEndAndThePasswordShowsNowhere(EmbeddedKafka kafka)
      throws IOException {
    String password = scramPassword(kafka);
    try (ServiceHarness service = saslService(kafka, password)) {
      service.awaitListening();
      String data = service.prefix + "data";
      String out = service.prefix + "out";
      service.createTopics(1, data, out);
      PublishedHistograms published =
          service.configure(
              out, KnownEvents.HIST1D.formatted(kafka.saslBootstrapServers(), data, out, "secure"));

      KnownEvents events = new KnownEvents(6);
      for (int i = 0; i < 5; i++) {
        service.send(data, events.next(1000), null);
      }
      PublishedHistogram counted =
          published.await("secure", "every event", h -> h.sum() >= events.expectedSum());
      assertArrayEquals(events.expected(), counted.counts());

      List<WorkerInfo> workers = service.controller.workers();
      assertEquals(1, workers.size());
      String workerCommandLine = commandLine(workers.get(0).pid());
      assertFalse(workerCommandLine.isBlank());
      assertFalse(workerCommandLine.contains(password), workerCommandLine);
      service.stop();
    }
    assertFalse(logLines().isEmpty());
    for (String line : logLines()) {
      assertFalse(line.contains(password), line);
    }
    String workerLogs = workerLogs(ServiceHarness.WORKER_LOGS, ProcessHandle.current().pid());
    assertFalse(workerLogs.contains(password));
    assertFalse(
        workerLogs.lines().anyMatch(l -> l.contains(" FINE ") && l.contains("[secure]")),
        "no debug lines at the default level 3");
  }

  @Test
  void aWrongPasswordEndsInAClearAuthenticationError(EmbeddedKafka kafka) throws IOException {
    String password = scramPassword(kafka) + "-wrong";
    try (ServiceHarness service = saslService(kafka, password)) {
      String line =
          Eventually.get(
              "an authentication failure logged",
              ServiceHarness.PATIENCE,
              () ->
                  logLines().stream().filter(l -> l.contains("Authentication failed")).findFirst());
      assertTrue(
          line.contains(KafkaBrokerExtension.SCRAM_USER) || line.contains("credentials"), line);
      assertFalse(service.controller.listening());
      service.stop();
    }
    for (String line : logLines()) {
      assertFalse(line.contains(password), line);
    }
  }

  @Test
  void aPasswordGivenByFileStandsOnNoCommandLine(EmbeddedKafka kafka, @TempDir Path dir)
      throws Exception {
    String password = scramPassword(kafka);
    Path passwordFile = dir.resolve("password");
    Files.writeString(passwordFile, password + "\n");
    Path log = dir.resolve("controller.log");
    Process controller = null;
    // The harness only provides topics and clients here: its in-process controller idles.
    try (ServiceHarness topics =
        new ServiceHarness(kafka, UnaryOperator.identity(), WorkerContract.MAIN_CLASS, true)) {
      String commands = topics.commandTopic + "-jvm";
      String data = topics.prefix + "data";
      String out = topics.prefix + "out";
      topics.createTopics(1, commands, data, out);
      List<String> arguments =
          List.of(
              "-b",
              kafka.saslBootstrapServers(),
              "-t",
              commands,
              "-rt",
              topics.responseTopic,
              "-l",
              "1",
              "--security-protocol",
              "SASL_PLAINTEXT",
              "--sasl-mechanism",
              "SCRAM-SHA-512",
              "--sasl-username",
              KafkaBrokerExtension.SCRAM_USER,
              "--sasl-password-file",
              passwordFile.toString(),
              "--publish-interval",
              "200",
              "--worker-jvm-options",
              "-Xmx128m -XX:TieredStopAtLevel=1");
      controller = ServiceHarness.controllerJvm(log, arguments);
      ServiceHarness.awaitListening(log);
      TopicReader responses = topics.reader(topics.responseTopic);
      topics.command(
          commands,
          "{\"cmd\": \"config\", \"msg_id\": \"file\", \"histograms\": [%s]}"
              .formatted(
                  KnownEvents.HIST1D.formatted(kafka.saslBootstrapServers(), data, out, "byfile")));
      responses.await("the ACK", r -> ServiceHarness.text(r).contains("ACK"));
      PublishedHistograms published = topics.histograms(out);
      KnownEvents events = new KnownEvents(7);
      topics.send(data, events.next(1000), null);
      PublishedHistogram counted =
          published.await("byfile", "every event", h -> h.sum() >= events.expectedSum());
      assertArrayEquals(events.expected(), counted.counts());

      Process running = controller;
      List<ProcessHandle> workers =
          Eventually.get(
              "a worker",
              ServiceHarness.PATIENCE,
              () -> {
                List<ProcessHandle> children = running.children().toList();
                return children.isEmpty() ? Optional.empty() : Optional.of(children);
              });
      for (ProcessHandle process :
          Stream.concat(Stream.of(controller.toHandle()), workers.stream()).toList()) {
        String line = commandLine(process.pid());
        assertFalse(line.isBlank());
        assertFalse(line.contains(password), line);
      }
      controller.destroy();
      assertTrue(controller.waitFor(30, TimeUnit.SECONDS));
      String controllerLog = Files.readString(log);
      assertTrue(controllerLog.contains("FINE"), "debug lines expected at -l 1");
      assertFalse(controllerLog.contains(password));
      String workerLogs = workerLogs(log.getParent(), controller.pid());
      assertFalse(workerLogs.contains(password));
      assertTrue(
          workerLogs.lines().anyMatch(l -> l.contains(" FINE ") && l.contains("[byfile]")),
          "a debug line of histogram byfile at -l 1");
    } finally {
      if (controller != null) {
        controller.descendants().forEach(ProcessHandle::destroyForcibly);
        controller.destroyForcibly();
      }
    }
  }
}
