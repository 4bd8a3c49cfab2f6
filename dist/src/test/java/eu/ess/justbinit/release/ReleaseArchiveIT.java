package eu.ess.justbinit.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import eu.ess.justbinit.testkit.EmbeddedKafka;
import eu.ess.justbinit.testkit.Eventually;
import eu.ess.justbinit.testkit.KafkaBrokerExtension;
import eu.ess.justbinit.testkit.PublishedHistograms;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release archive as an operator gets it: unpacked into a directory of its own, away from the
 * source tree, its launchers run on nothing but a Java runtime and a Kafka broker.
 */
@ExtendWith(KafkaBrokerExtension.class)
class ReleaseArchiveIT {
  private static final Duration PATIENCE = Duration.ofSeconds(90);
  private static final String VERSION = System.getProperty("jbi.release.version");
  private static final int MESSAGES = 3;
  private static final int EVENTS_PER_MESSAGE = 100;

  @TempDir Path dir;

  @Test
  void holdsTheLaunchersTheJarsAndTheExamples() throws Exception {
    Path home = unpack();
    for (String launcher :
        List.of(
            "just-bin-it",
            "jbi-send-command",
            "jbi-generate-event-data",
            "jbi-view-output-messages",
            "jbi-viewer",
            "jbi-kafka")) {
      Path file = home.resolve("bin").resolve(launcher);
      assertTrue(
          Files.getPosixFilePermissions(file).contains(PosixFilePermission.OWNER_EXECUTE),
          file + " is executable");
    }
    for (String file :
        List.of(
            "README",
            "conf/just-bin-it.conf",
            "conf/graphite.json",
            "conf/just-bin-it.service",
            "lib/launch.sh",
            "lib/controller-" + VERSION + ".jar",
            "lib/worker-" + VERSION + ".jar",
            "lib/tools-" + VERSION + ".jar")) {
      assertTrue(Files.isRegularFile(home.resolve(file)), file + " in the archive");
    }
    for (String program : List.of("controller", "tools")) {
      String classpath = Files.readString(home.resolve("lib/" + program + ".classpath")).strip();
      for (String entry : classpath.split(":", -1)) {
        assertTrue(Files.isRegularFile(home.resolve(entry)), entry + " of " + program);
      }
    }
  }

  @Test
  void printsItsVersionAndCommit() throws Exception {
    Path home = unpack();
    Run run = run(home, "just-bin-it", "--version");
    assertEquals(0, run.exitCode, run.output);
    List<String> lines = run.output.lines().toList();
    assertEquals("just-bin-it " + VERSION, lines.get(0), run.output);
    assertTrue(lines.get(1).matches("commit ([0-9a-f]{7,40}|unknown)"), run.output);
  }

  @Test
  void histogramsWhatTheConfigAsks(EmbeddedKafka kafka) throws Exception {
    Path home = unpack();
    String brokers = kafka.bootstrapServers();
    String prefix = "release" + ProcessHandle.current().pid() + "-";
    String commands = prefix + "commands";
    String responses = prefix + "responses";
    String events = prefix + "events";
    String histograms = prefix + "histograms";
    kafka.createTopics(1, commands, responses, prefix + "heartbeat", events, histograms);

    Path controllerLog = dir.resolve("controller.log");
    Process controller =
        start(
            home,
            controllerLog,
            "just-bin-it",
            "--brokers",
            brokers,
            "--config-topic",
            commands,
            "--response-topic",
            responses,
            "--hb-topic",
            prefix + "heartbeat",
            "--worker-log-dir",
            dir.toString(),
            "--log-level",
            "2");
    try {
      Path config = dir.resolve("config.json");
      Files.writeString(
          config,
          """
          {"cmd": "config", "histograms": [{"type": "hist1d", "data_brokers": ["%s"],
           "data_topics": ["%s"], "tof_range": [-1000000000, 1000000000], "num_bins": 20,
           "topic": "%s", "id": "release-check"}]}"""
              .formatted(brokers, events, histograms));
      // It reads commands from the end of the topic: one sent before would be missed.
      awaitLine(controllerLog, "Listening for commands on " + commands, controller);
      Run sent =
          run(
              home,
              "jbi-send-command",
              "-b",
              brokers,
              "-t",
              commands,
              "-rt",
              responses,
              "--timeout",
              String.valueOf(PATIENCE.toSeconds()),
              config.toString());
      assertEquals(0, sent.exitCode, sent.output + "\ncontroller:\n" + log(controllerLog));
      assertTrue(sent.output.contains("ACK"), sent.output);

      Run generated =
          run(
              home,
              "jbi-generate-event-data",
              "-b",
              brokers,
              "-t",
              events,
              "-n",
              String.valueOf(MESSAGES),
              "-ne",
              String.valueOf(EVENTS_PER_MESSAGE),
              "--rate",
              "0");
      assertEquals(0, generated.exitCode, generated.output);

      JsonNode info = awaitHistogram(kafka, histograms, MESSAGES * EVENTS_PER_MESSAGE);
      assertEquals("release-check", info.path("id").asText(), info.toString());
    } finally {
      stop(controller);
    }
  }

  private static void awaitLine(Path log, String line, Process process) {
    Eventually.await(
        () -> "'" + line + "' from the controller:\n" + log(log),
        PATIENCE,
        () -> !process.isAlive() || log(log).contains(line));
    if (!log(log).contains(line)) {
      throw new AssertionError("no '" + line + "' from the controller:\n" + log(log));
    }
  }

  /** Waits for a histogram on {@code topic} that counted {@code events}; returns its info. */
  private static JsonNode awaitHistogram(EmbeddedKafka kafka, String topic, long events) {
    try (PublishedHistograms published = PublishedHistograms.of(kafka, topic, PATIENCE)) {
      return published
          .awaitAny("a histogram of " + events + " events", h -> h.sum() == events)
          .info();
    }
  }

  /** Unpacks the archive the build just made into the test's directory; returns its top. */
  private Path unpack() throws Exception {
    Path archive = Path.of(System.getProperty("jbi.release.archive"));
    assertTrue(Files.isRegularFile(archive), archive + " is built before the test");
    Path target = dir.resolve("installed");
    Files.createDirectories(target);
    Process tar =
        new ProcessBuilder("tar", "-xzf", archive.toString(), "-C", target.toString())
            .redirectErrorStream(true)
            .start();
    String output = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, tar.waitFor(), output);
    return target.resolve(System.getProperty("jbi.release.name"));
  }

  private record Run(int exitCode, String output) {}

  private Run run(Path home, String launcher, String... args) throws Exception {
    Path output = Files.createTempFile(dir, launcher, ".out");
    Process process = start(home, output, launcher, args);
    if (!process.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(launcher + " did not finish:\n" + log(output));
    }
    return new Run(process.exitValue(), log(output));
  }

  /**
   * Starts a launcher of the release from outside the source tree, with only a Java runtime at
   * hand: JAVA_HOME, and a PATH of the system's own directories.
   */
  private Process start(Path home, Path output, String launcher, String... args)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(home.resolve("bin").resolve(launcher).toString());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
    builder.environment().clear();
    builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
    builder.environment().put("PATH", "/usr/bin:/bin");
    builder.environment().put("HOME", dir.toString());
    builder.redirectErrorStream(true);
    builder.redirectOutput(output.toFile());
    return builder.start();
  }

  /** SIGTERM, as systemd stops the service; the controller stops its workers before it exits. */
  private static void stop(Process controller) throws InterruptedException {
    controller.destroy();
    if (!controller.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)) {
      controller.descendants().forEach(ProcessHandle::destroyForcibly);
      controller.destroyForcibly();
    }
  }

  private static String log(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file) : "(no output)";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
