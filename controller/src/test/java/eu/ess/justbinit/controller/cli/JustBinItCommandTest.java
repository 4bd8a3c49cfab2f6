package eu.ess.justbinit.controller.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.ess.justbinit.controller.service.ControllerSettings;
import eu.ess.justbinit.controller.service.ControllerSettings.ConfigMode;
import eu.ess.justbinit.controller.service.ControllerSettings.GraphiteSettings;
import eu.ess.justbinit.controller.service.ControllerSettings.HeartbeatFormat;
import eu.ess.justbinit.controller.status.SoftwareVersion;
import eu.ess.justbinit.controller.supervisor.SparePool;
import eu.ess.justbinit.controller.supervisor.WorkerHeap;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

class JustBinItCommandTest {
  private static final String PASSWORD = "s3cr3t-PASS";

  @TempDir Path dir;

  private static ControllerSettings settings(String... args) throws StartupException {
    CommandLine commandLine = JustBinItCommand.commandLine(args);
    commandLine.parseArgs(args);
    return ((JustBinItCommand) commandLine.getCommand()).settings();
  }

  private static String startupRefusal(String... args) {
    return assertThrows(StartupException.class, () -> settings(args)).getMessage();
  }

  /** Exit code, stdout and stderr of a run that must not reach the controller. */
  private record Run(int exitCode, String out, String err) {}

  private static Run run(String... args) throws StartupException {
    CommandLine commandLine = JustBinItCommand.commandLine(args);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    int exitCode = commandLine.execute(args);
    return new Run(exitCode, out.toString(), err.toString());
  }

  private Path file(String name, String content) throws IOException {
    return Files.writeString(dir.resolve(name), content);
  }

  // ---------------------------------------------------------------- options

  @Test
  void theRequiredOptionsAloneGiveTheDefaults() throws StartupException {
    ControllerSettings settings = settings("-b", "localhost:9092", "-t", "hist_commands");
    assertEquals(List.of("localhost:9092"), settings.brokers());
    assertEquals("hist_commands", settings.configTopic());
    assertEquals(Optional.empty(), settings.heartbeatTopic());
    assertEquals(HeartbeatFormat.X5F2, settings.heartbeatFormat());
    assertEquals(Optional.empty(), settings.responseTopic());
    assertEquals(Optional.empty(), settings.graphite());
    assertFalse(settings.simulation());
    assertEquals(3, settings.logLevel());
    assertEquals(Map.of("security.protocol", "PLAINTEXT"), settings.kafkaSecurity());
    assertEquals(Duration.ofMillis(500), settings.publishInterval());
    assertEquals(
        List.of(
            "-XX:+UseG1GC",
            "-Xms32m",
            "-XX:GCTimeRatio=4",
            "-XX:MaxHeapFreeRatio=30",
            "-XX:MinHeapFreeRatio=10",
            "-XX:-G1UseAdaptiveIHOP",
            "-XX:InitiatingHeapOccupancyPercent=90",
            "-XX:ParallelGCThreads=2",
            "-XX:ConcGCThreads=1",
            "-XX:CICompilerCount=2",
            "-XX:Tier4InvocationThreshold=50000",
            "-XX:Tier4MinInvocationThreshold=6000",
            "-XX:Tier4CompileThreshold=150000",
            "-XX:Tier4BackEdgeThreshold=400000"),
        settings.workerJvmOptions());
    assertEquals(new SparePool(1, 4), settings.spares());
    assertEquals(Path.of(System.getProperty("java.io.tmpdir")), settings.workerLogs());
    assertEquals(ConfigMode.REPLACE, settings.configMode());
    assertEquals(Optional.empty(), settings.stateDir());
    assertEquals("lz4", settings.compression());
    assertEquals(OptionalInt.empty(), settings.maxWorkerHeapMegabytes());
  }

  @Test
  void theWorkersHeapIsCappedBelowTheMachinesInMegabytesOrGigabytes()
      throws IOException, StartupException {
    assertEquals(
        OptionalInt.of(512),
        settings("-b", "k:1", "-t", "c", "--max-worker-heap", "512m").maxWorkerHeapMegabytes());
    assertEquals(
        OptionalInt.of(1024),
        settings("-b", "k:1", "-t", "c", "--max-worker-heap=1G").maxWorkerHeapMegabytes());
    Path config = file("heap.conf", "brokers = k:1\nconfig-topic = c\nmax-worker-heap = 2g\n");
    assertEquals(OptionalInt.of(2048), settings("-c", config.toString()).maxWorkerHeapMegabytes());
  }

  @Test
  void aWorkerHeapCapAboveTheMachineOrBesideAnXmxIsRefused() {
    String machine = Integer.toString(WorkerHeap.machineMegabytes());
    assertEquals(
        "--max-worker-heap: 102400000 MB is more than the "
            + machine
            + " MB this machine can give a worker (its memory less 1 GB)",
        startupRefusal("-b", "k:1", "-t", "c", "--max-worker-heap", "100000g"));
    assertEquals(
        "--max-worker-heap: has no effect when --worker-jvm-options sets the heap (-Xmx)",
        startupRefusal(
            "-b", "k:1", "-t", "c", "--max-worker-heap", "60m", "--worker-jvm-options", "-Xmx1g"));
  }

  @Test
  void aStateDirectoryIsKeptWhenGiven() throws StartupException {
    ControllerSettings settings =
        settings("-b", "localhost:9092", "-t", "c", "--state-dir", "/var/lib/just-bin-it");
    assertEquals(Optional.of(Path.of("/var/lib/just-bin-it")), settings.stateDir());
  }

  @Test
  void shortNamesAsTheOriginals() throws StartupException {
    ControllerSettings settings =
        settings(
            "-b",
            "a:9092",
            "b:9093",
            "-t",
            "cmds",
            "-hb",
            "beat",
            "-rt",
            "responses",
            "-s",
            "-l",
            "1");
    assertEquals(List.of("a:9092", "b:9093"), settings.brokers());
    assertEquals(Optional.of("beat"), settings.heartbeatTopic());
    assertEquals(Optional.of("responses"), settings.responseTopic());
    assertTrue(settings.simulation());
    assertEquals(1, settings.logLevel());
  }

  @Test
  void longNamesAndTheOptionsOfOurDesign() throws StartupException {
    ControllerSettings settings =
        settings(
            "--brokers=a:9092,b:9093",
            "--config-topic",
            "cmds",
            "--hb-topic",
            "beat",
            "--hb-format",
            "JSON",
            "--response-topic",
            "responses",
            "--simulation-mode",
            "--log-level",
            "5",
            "--publish-interval",
            "250",
            "--worker-jvm-options",
            " -Xmx1g  -XX:+UseSerialGC ",
            "--spare-workers",
            "0",
            "--max-spare-workers",
            "2",
            "--worker-log-dir",
            "/var/log/jbi",
            "--config-mode",
            "ADD",
            "--compression",
            "zstd");
    assertEquals(List.of("a:9092", "b:9093"), settings.brokers());
    assertEquals(HeartbeatFormat.JSON, settings.heartbeatFormat());
    assertEquals(5, settings.logLevel());
    assertEquals(Duration.ofMillis(250), settings.publishInterval());
    assertEquals(List.of("-Xmx1g", "-XX:+UseSerialGC"), settings.workerJvmOptions());
    assertEquals(new SparePool(0, 2), settings.spares());
    assertEquals(Path.of("/var/log/jbi"), settings.workerLogs());
    assertEquals(ConfigMode.ADD, settings.configMode());
    assertEquals("zstd", settings.compression());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          -l 6                   | --log-level: must be 1 (debug) to 5 (critical), got 6
          -l 0                   | --log-level: must be 1 (debug) to 5 (critical), got 0
          --hb-format xml        | --hb-format: 'xml' is not supported, use x5f2 or json
          --config-mode append   | --config-mode: 'append' is not supported, use replace or add
          --publish-interval 0   | --publish-interval: must be a positive number of ms, got 0
          --spare-workers -1     | --spare-workers: must be 0 or more, got -1
          --max-spare-workers -2 | --max-spare-workers: must be 0 or more, got -2
          -b localhost           | --brokers: 'localhost' is not host:port
          --compression brotli   | --compression: 'brotli' is not a Kafka compression type, use one of none, gzip, snappy, lz4, zstd
          --max-worker-heap 512  | --max-worker-heap: '512' is not a size, use e.g. 512m or 4g
          --max-worker-heap 1.5g | --max-worker-heap: '1.5g' is not a size, use e.g. 512m or 4g
          --max-worker-heap 40m  | --max-worker-heap: 40 MB is less than the 52 MB every worker is given
          """)
  void refusesBadValues(String option, String message) {
    List<String> args = new ArrayList<>(List.of("-t", "c"));
    args.addAll(List.of(option.split(" ")));
    if (!option.startsWith("-b")) {
      args.addAll(List.of("-b", "k:1"));
    }
    assertEquals(message, startupRefusal(args.toArray(String[]::new)));
  }

  @Test
  void missingRequiredOptionsEndWithExitCode2AndAMessage() throws StartupException {
    Run noBrokers = run("-t", "cmds");
    assertEquals(2, noBrokers.exitCode());
    assertTrue(noBrokers.err().contains("--brokers: required"), noBrokers.err());
    Run noTopic = run("-b", "k:9092");
    assertEquals(2, noTopic.exitCode());
    assertTrue(noTopic.err().contains("--config-topic: required"), noTopic.err());
    Run notANumber = run("-b", "k:9092", "-t", "c", "-l", "high");
    assertEquals(2, notANumber.exitCode());
    assertTrue(notANumber.err().contains("'high' is not an int"), notANumber.err());
  }

  @Test
  void helpAndVersion() throws StartupException {
    Run help = run("--help");
    assertEquals(0, help.exitCode());
    for (String option :
        List.of(
            "-b, --brokers",
            "-t, --config-topic",
            "-hb, --hb-topic",
            "--hb-format",
            "-rt, --response-topic",
            "-g, --graphite-config-file",
            "-s, --simulation-mode",
            "-l, --log-level",
            "-c, --config-file",
            "--security-protocol",
            "--sasl-mechanism",
            "--sasl-username",
            "--sasl-password",
            "--sasl-password-file",
            "--ssl-cafile",
            "--publish-interval",
            "--worker-jvm-options",
            "--config-mode",
            "--max-worker-heap",
            "-V, --version")) {
      assertTrue(help.out().contains(option), option + " in\n" + help.out());
    }
    String oneLine = help.out().replaceAll("\\s+", " ");
    assertTrue(oneLine.contains("replace stops them all"), oneLine);
    assertTrue(oneLine.contains("add runs its histograms beside them"), oneLine);
    assertTrue(oneLine.contains("caps what one histogram may take"), oneLine);
    Run version = run("-V");
    assertEquals(0, version.exitCode());
    assertTrue(version.out().startsWith("just-bin-it 0."), version.out());
    assertEquals(
        List.of(
            "just-bin-it " + SoftwareVersion.version(),
            "commit " + SoftwareVersion.commit(),
            "Java " + Runtime.version()),
        version.out().lines().toList());
  }

  // ---------------------------------------------------------------- security

  @Test
  void securityOptionsBecomeKafkaPropertiesThatNeverShowThePassword() throws StartupException {
    ControllerSettings settings =
        settings(
            "-b",
            "k:9092",
            "-t",
            "c",
            "--security-protocol",
            "SASL_PLAINTEXT",
            "--sasl-mechanism",
            "SCRAM-SHA-512",
            "--sasl-username",
            "jbi",
            "--sasl-password",
            PASSWORD);
    assertEquals("SCRAM-SHA-512", settings.kafkaSecurity().get("sasl.mechanism"));
    assertTrue(settings.kafkaSecurity().get("sasl.jaas.config").contains(PASSWORD));
    assertFalse(settings.toString().contains(PASSWORD), settings.toString());
  }

  @Test
  void aSecurityRefusalEndsWithExitCode2AndNoPassword() throws StartupException {
    Run run =
        run(
            "-b",
            "k:9092",
            "-t",
            "c",
            "--security-protocol",
            "SASL_PLAINTEXT",
            "--sasl-username",
            "jbi",
            "--sasl-password",
            PASSWORD);
    assertEquals(2, run.exitCode());
    assertTrue(run.err().startsWith("just-bin-it: --sasl-mechanism: required"), run.err());
    assertFalse(run.err().contains(PASSWORD), run.err());
  }

  @Test
  void aPasswordThatLooksLikeAnOptionIsNotQuotedInTheUsageError() throws StartupException {
    for (String[] password :
        List.of(
            new String[] {"--sasl-password", "-s3cr3t"},
            new String[] {"--sasl-password=-s3cr3t", "-s3cr3t"})) {
      List<String> args = new ArrayList<>(List.of("-b", "k:9092", "-t", "c"));
      args.addAll(List.of(password));
      args.add("--unknown-" + "-s3cr3t");
      Run run = run(args.toArray(String[]::new));
      assertEquals(2, run.exitCode());
      assertFalse(run.err().contains("s3cr3t"), run.err());
      assertTrue(run.err().contains("(hidden)"), run.err());
    }
  }

  // ---------------------------------------------------------------- config file

  @Test
  void theConfigFileSetsOptionsAndTheCommandLineWins() throws IOException, StartupException {
    Path config =
        file(
            "jbi.conf",
            """
            # just-bin-it at the test beamline
            brokers = a:9092 b:9092

            config-topic: hist_commands
            hb-topic = beat
              log-level = 1
            simulation-mode = true
            sasl-password = "%s"
            security-protocol = SASL_PLAINTEXT
            sasl-mechanism = PLAIN
            sasl-username = jbi
            worker-jvm-options = "-Xmx2g -Dx=1"
            config-mode = add
            """
                .formatted(PASSWORD));
    ControllerSettings fromFile = settings("-c", config.toString());
    assertEquals(List.of("a:9092", "b:9092"), fromFile.brokers());
    assertEquals("hist_commands", fromFile.configTopic());
    assertEquals(Optional.of("beat"), fromFile.heartbeatTopic());
    assertEquals(1, fromFile.logLevel());
    assertTrue(fromFile.simulation());
    assertTrue(fromFile.kafkaSecurity().get("sasl.jaas.config").contains(PASSWORD));
    assertEquals(List.of("-Xmx2g", "-Dx=1"), fromFile.workerJvmOptions());
    assertEquals(ConfigMode.ADD, fromFile.configMode());

    ControllerSettings overridden =
        settings("-b", "c:9092", "--config-file", config.toString(), "-l", "4", "-hb", "other");
    assertEquals(List.of("c:9092"), overridden.brokers());
    assertEquals(4, overridden.logLevel());
    assertEquals(Optional.of("other"), overridden.heartbeatTopic());
    assertEquals("hist_commands", overridden.configTopic());
  }

  @Test
  void theConfigFileIsFoundInEveryFormOfTheOption() throws IOException {
    Path config = file("c.conf", "config-topic = t\n");
    String path = config.toString();
    for (String[] args :
        List.of(
            new String[] {"-c", path},
            new String[] {"--config-file", path},
            new String[] {"--config-file=" + path},
            new String[] {"-c" + path},
            new String[] {"-c=" + path})) {
      assertEquals(Optional.of(config), ConfigFileOption.in(args));
    }
    assertEquals(Optional.empty(), ConfigFileOption.in("--", "-c", path));
    assertEquals(Optional.empty(), ConfigFileOption.in("-c"));
  }

  @Test
  void aValueIsTakenAsWrittenNotAsAPropertiesFileWouldReadIt()
      throws IOException, StartupException {
    Path config =
        file(
            "verbatim.conf",
            """
            brokers = k:9092
            config-topic = c
            security-protocol = SASL_PLAINTEXT
            sasl-mechanism = PLAIN
            sasl-username = jbi
            sasl-password = a\\b#c \\
            """);
    assertTrue(
        settings("-c", config.toString())
            .kafkaSecurity()
            .get("sasl.jaas.config")
            .contains("a\\\\b#c \\\\"));
    Path spaced = file("spaced.conf", "config-topic c\n");
    assertEquals(
        spaced + ":1: expected 'option = value' or 'option: value'",
        assertThrows(
                StartupException.class, () -> JustBinItCommand.commandLine("-c", spaced.toString()))
            .getMessage());
  }

  @Test
  void anUnknownKeyIsRefusedWithItsLineNumber() throws IOException {
    Path config = file("bad.conf", "brokers = a:9092\n# fine\n\nbrokr = b:9092\n");
    StartupException e =
        assertThrows(
            StartupException.class, () -> JustBinItCommand.commandLine("-c", config.toString()));
    assertEquals(config + ":4: unknown option 'brokr'", e.getMessage());
    Path nested = file("nested.conf", "config-file = other.conf\n");
    assertEquals(
        nested + ":1: unknown option 'config-file'",
        assertThrows(
                StartupException.class, () -> JustBinItCommand.commandLine("-c", nested.toString()))
            .getMessage());
  }

  @Test
  void aBadLineIsRefusedWithItsNumberButNotItsText() throws IOException {
    Path config = file("bad.conf", "brokers = a:9092\n" + PASSWORD + "\n");
    String message =
        assertThrows(
                StartupException.class, () -> JustBinItCommand.commandLine("-c", config.toString()))
            .getMessage();
    assertEquals(config + ":2: expected 'option = value' or 'option: value'", message);
  }

  @Test
  void aDuplicateOrEmptyValueIsRefused() throws IOException {
    Path twice = file("twice.conf", "brokers = a:1\nlog-level = 2\nbrokers: b:1\n");
    assertEquals(
        twice + ":3: 'brokers' given twice (first on line 1)",
        assertThrows(
                StartupException.class, () -> JustBinItCommand.commandLine("-c", twice.toString()))
            .getMessage());
    Path empty = file("empty.conf", "hb-topic =\n");
    assertEquals(
        empty + ":1: no value for 'hb-topic'",
        assertThrows(
                StartupException.class, () -> JustBinItCommand.commandLine("-c", empty.toString()))
            .getMessage());
  }

  @Test
  void aMissingConfigFileIsRefusedAndExecuteSaysSo() {
    Path missing = dir.resolve("missing.conf");
    assertEquals(
        "config file " + missing + ": cannot be read (NoSuchFileException)",
        assertThrows(
                StartupException.class,
                () -> JustBinItCommand.commandLine("-c", missing.toString()))
            .getMessage());
    assertEquals(2, JustBinItCommand.execute("-c", missing.toString()));
  }

  // ---------------------------------------------------------------- Graphite file

  @Test
  void readsTheGraphiteFile() throws IOException, StartupException {
    Path graphite =
        file(
            "graphite.json",
            """
            {"address": "127.0.0.1", "port": 2003, "prefix": "just-bin-it", "metric": "histogram-"}
            """);
    assertEquals(
        Optional.of(new GraphiteSettings("127.0.0.1", 2003, "just-bin-it", "histogram-")),
        settings("-b", "k:1", "-t", "c", "-g", graphite.toString()).graphite());
  }

  @Test
  void refusesABadGraphiteFileNamingTheFileAndTheField() throws IOException {
    String good = "\"address\": \"h\", \"port\": 2003, \"prefix\": \"p\", \"metric\": \"m\"";
    Map<String, String> cases =
        Map.of(
            "{\"port\": 2003, \"prefix\": \"p\", \"metric\": \"m\"}",
            "'address' is missing",
            "{" + good.replace("2003", "\"2003\"") + "}",
            "'port' must be an integer from 1 to 65535, got \"2003\"",
            "{" + good.replace("2003", "70000") + "}",
            "'port' must be an integer from 1 to 65535, got 70000",
            "{" + good.replace("\"p\"", "3") + "}",
            "'prefix' must be a string, got 3",
            "{" + good.replace("\"m\"", "\"a b\"") + "}",
            "'metric' must not contain whitespace",
            "{" + good.replace("\"h\"", "\"\"") + "}",
            "'address' is empty",
            "[1]",
            "must be a JSON object with address, port, prefix and metric",
            "{\"address\": ",
            "malformed JSON: Unexpected end-of-input within/between Object entries");
    int i = 0;
    for (Map.Entry<String, String> c : cases.entrySet()) {
      Path graphite = file("g" + i++ + ".json", c.getKey());
      assertEquals(
          "Graphite config file " + graphite + ": " + c.getValue(),
          startupRefusal("-b", "k:1", "-t", "c", "-g", graphite.toString()),
          c.getKey());
    }
    Path missing = dir.resolve("none.json");
    assertEquals(
        "Graphite config file " + missing + ": cannot be read (NoSuchFileException)",
        startupRefusal("-b", "k:1", "-t", "c", "-g", missing.toString()));
  }
}
