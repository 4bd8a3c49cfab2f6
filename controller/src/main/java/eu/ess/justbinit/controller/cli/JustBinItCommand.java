package eu.ess.justbinit.controller.cli;

import eu.ess.justbinit.common.logging.LogSetup;
import eu.ess.justbinit.common.security.KafkaSecurityException;
import eu.ess.justbinit.common.security.KafkaSecurityOptions;
import eu.ess.justbinit.controller.service.Controller;
import eu.ess.justbinit.controller.service.ControllerSettings;
import eu.ess.justbinit.controller.service.ControllerSettings.ConfigMode;
import eu.ess.justbinit.controller.service.ControllerSettings.GraphiteSettings;
import eu.ess.justbinit.controller.service.ControllerSettings.HeartbeatFormat;
import eu.ess.justbinit.controller.status.SoftwareVersion;
import eu.ess.justbinit.controller.supervisor.SparePool;
import eu.ess.justbinit.controller.supervisor.WorkerHeap;
import eu.ess.justbinit.wire.rpc.WorkerContract;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.PropertiesDefaultProvider;
import picocli.CommandLine.Spec;

/**
 * The {@code just-bin-it} command: the original's options, and what our design adds. Parsed and run
 * by the JVM's {@code main} thread, which becomes the controller's command thread; no other thread
 * touches it.
 */
@Command(
    name = "just-bin-it",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
      "Histograms neutron event data streamed through Kafka, as configured by JSON commands on"
          + " the config topic.",
      "Options may also stand in a config file (-c): 'option = value' per line, long names"
          + " without dashes; the command line wins."
    })
public final class JustBinItCommand implements Callable<Integer> {
  /** Options that a config file may not set. */
  private static final Set<String> NOT_IN_CONFIG_FILE = Set.of("config-file", "help", "version");

  private static final Logger LOG = Logger.getLogger(JustBinItCommand.class.getName());

  /** A heap size as -Xmx takes one, in MB or GB; 9 digits keep the MB within an int. */
  private static final Pattern SIZE = Pattern.compile("([0-9]{1,9})([mMgG])");

  @Spec private CommandSpec spec;

  @Option(
      names = {"-b", "--brokers"},
      arity = "1..*",
      split = "[,\\s]+",
      splitSynopsisLabel = ",",
      paramLabel = "BROKER",
      description = "the broker addresses, host:port (required)")
  private List<String> brokers;

  @Option(
      names = {"-t", "--config-topic"},
      paramLabel = "CONFIG_TOPIC",
      description = "the configuration topic (required)")
  private String configTopic;

  @Option(
      names = {"-hb", "--hb-topic"},
      paramLabel = "HB_TOPIC",
      description = "the topic where the heartbeat is published")
  private String heartbeatTopic;

  @Option(
      names = "--hb-format",
      paramLabel = "FORMAT",
      defaultValue = "x5f2",
      description =
          "the heartbeat's form: x5f2 (what NICOS reads) or json (default ${DEFAULT-VALUE})")
  private String heartbeatFormat;

  @Option(
      names = {"-rt", "--response-topic"},
      paramLabel = "RESPONSE_TOPIC",
      description = "the topic where the response messages to commands are published")
  private String responseTopic;

  @Option(
      names = {"-g", "--graphite-config-file"},
      paramLabel = "GRAPHITE_CONFIG_FILE",
      description = "configuration file for publishing to Graphite")
  private Path graphiteConfigFile;

  @Option(
      names = {"-s", "--simulation-mode"},
      description = "runs the program in simulation mode")
  private boolean simulation;

  @Option(
      names = {"-l", "--log-level"},
      paramLabel = "LOG_LEVEL",
      defaultValue = "3",
      description =
          "sets the logging level: debug=1, info=2, warning=3, error=4, critical=5"
              + " (default ${DEFAULT-VALUE})")
  private int logLevel;

  @Option(
      names = {"-c", "--config-file"},
      paramLabel = "CONFIG_FILE",
      description = "configuration file of options")
  private Path configFile;

  @Mixin private KafkaSecurityOptions security;

  @Option(
      names = "--publish-interval",
      paramLabel = "MS",
      defaultValue = "500",
      description = "how often each histogram is published, in ms (default ${DEFAULT-VALUE})")
  private long publishIntervalMs;

  @Option(
      names = "--worker-log-dir",
      paramLabel = "DIR",
      defaultValue = "${sys:java.io.tmpdir}",
      description =
          "where each run makes the directory just-bin-it-<pid> for its workers' log files"
              + " (default ${DEFAULT-VALUE}, the JVM's temporary directory)")
  private Path workerLogDir;

  @Option(
      names = "--worker-jvm-options",
      paramLabel = "OPTIONS",
      defaultValue = WorkerContract.DEFAULT_JVM_OPTIONS,
      description =
          "options for the JVM of each histogram's worker, space-separated"
              + " (default '${DEFAULT-VALUE}'); without -Xmx the controller fits each worker's"
              + " heap to its histogram")
  private String workerJvmOptions;

  @Option(
      names = "--max-worker-heap",
      paramLabel = "SIZE",
      description =
          "the most heap one histogram's worker may have, e.g. 512m or 4g (default: the machine's"
              + " memory less 1 GB); a config of a histogram that needs more is refused, so an"
              + " operator sharing the machine with other services caps what one histogram may"
              + " take")
  private String maxWorkerHeap;

  @Option(
      names = "--compression",
      paramLabel = "TYPE",
      defaultValue = ControllerSettings.DEFAULT_COMPRESSION,
      description =
          "the producer compression of the histograms: none, gzip, snappy, lz4 or zstd (default"
              + " ${DEFAULT-VALUE}); with one, a histogram larger than its output topic accepts"
              + " is no longer refused at config, see docs/sizes.md")
  private String compression;

  @Option(
      names = "--spare-workers",
      paramLabel = "N",
      defaultValue = "1",
      description =
          "fresh spare workers kept: worker JVMs launched ahead of need that have rehearsed, so"
              + " that a new histogram starts in milliseconds (default ${DEFAULT-VALUE}; 0 launches"
              + " each worker when needed); as many warm spares, workers whose histograms ended,"
              + " wait beside them for the next histogram of their kind")
  private int spareWorkers;

  @Option(
      names = "--max-spare-workers",
      paramLabel = "N",
      defaultValue = "4",
      description =
          "after a config of more histograms than --spare-workers, keep as many fresh spares as"
              + " it had, up to N (default ${DEFAULT-VALUE}), so that the same config sent again"
              + " starts every histogram on a spare")
  private int maxSpareWorkers;

  @Option(
      names = "--config-mode",
      paramLabel = "MODE",
      defaultValue = "replace",
      description =
          "what a config does to the running histograms: replace stops them all and runs its own"
              + " (the original's behaviour, what ESS's NICOS expects); add runs its histograms"
              + " beside them, replacing only one with the same id (SINQ's NICOS, one client per"
              + " histogram) (default ${DEFAULT-VALUE})")
  private String configMode;

  @Option(
      names = "--state-dir",
      paramLabel = "DIR",
      description =
          "keep each running histogram's spec and latest checkpoint in DIR, and resume them when"
              + " started again with the same DIR after the controller died or was stopped"
              + " (default: nothing kept)")
  private Path stateDir;

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs the command; returns the exit code (2 for unusable options, as picocli). */
  public static int execute(String... args) {
    CommandLine commandLine = newCommandLine();
    try {
      applyConfigFile(commandLine, args);
    } catch (StartupException e) {
      commandLine.getErr().println("just-bin-it: " + e.getMessage());
      return commandLine.getCommandSpec().exitCodeOnInvalidInput();
    }
    return commandLine.execute(args);
  }

  /**
   * A command line for {@code args}, the config file they name (if any) already read as defaults.
   *
   * @throws StartupException the config file cannot be read, or names an unknown option
   */
  static CommandLine commandLine(String... args) throws StartupException {
    CommandLine commandLine = newCommandLine();
    applyConfigFile(commandLine, args);
    return commandLine;
  }

  private static CommandLine newCommandLine() {
    return new CommandLine(new JustBinItCommand())
        .setParameterExceptionHandler(KafkaSecurityOptions.passwordHidingHandler());
  }

  /**
   * Picocli's two passes: the first ({@link ConfigFileOption}) finds the config file among {@code
   * args}, whose options then serve as the defaults of the second, so that the command line wins.
   */
  private static void applyConfigFile(CommandLine commandLine, String[] args)
      throws StartupException {
    Optional<Path> file = ConfigFileOption.in(args);
    if (file.isEmpty()) {
      return;
    }
    ConfigFile config = ConfigFile.read(file.get());
    CommandSpec spec = commandLine.getCommandSpec();
    Properties defaults = new Properties();
    for (ConfigFile.Entry entry : config.entries().values()) {
      OptionSpec option = spec.findOption("--" + entry.key());
      if (option == null || NOT_IN_CONFIG_FILE.contains(entry.key())) {
        throw new StartupException(
            config.file() + ":" + entry.line() + ": unknown option '" + entry.key() + "'");
      }
      defaults.setProperty(entry.key(), entry.value());
    }
    // Keyed by each option's longest name without its dashes, as the file names them.
    commandLine.setDefaultValueProvider(new PropertiesDefaultProvider(defaults));
  }

  @Override
  public Integer call() {
    ControllerSettings settings;
    try {
      settings = settings();
    } catch (StartupException e) {
      spec.commandLine().getErr().println("just-bin-it: " + e.getMessage());
      return spec.exitCodeOnInvalidInput();
    }
    LogSetup.configure(settings.logLevel(), "");
    LOG.info(
        () ->
            "Starting just-bin-it "
                + SoftwareVersion.version()
                + (configFile == null ? "" : ", options from " + configFile)
                + ": "
                + settings);
    return new Controller(settings).run();
  }

  /** What the options say, validated. */
  ControllerSettings settings() throws StartupException {
    if (brokers == null || brokers.isEmpty()) {
      throw new StartupException(
          "--brokers: required (on the command line or as 'brokers' in the config file)");
    }
    for (String broker : brokers) {
      if (!broker.matches("[^\\s,]+:[0-9]{1,5}")) {
        throw new StartupException("--brokers: '" + broker + "' is not host:port");
      }
    }
    if (configTopic == null || configTopic.isBlank()) {
      throw new StartupException(
          "--config-topic: required (on the command line or as 'config-topic' in the config"
              + " file)");
    }
    if (logLevel < LogSetup.MIN_LEVEL || logLevel > LogSetup.MAX_LEVEL) {
      throw new StartupException("--log-level: must be 1 (debug) to 5 (critical), got " + logLevel);
    }
    HeartbeatFormat format =
        switch (heartbeatFormat.toLowerCase(Locale.ROOT)) {
          case "x5f2" -> HeartbeatFormat.X5F2;
          case "json" -> HeartbeatFormat.JSON;
          default ->
              throw new StartupException(
                  "--hb-format: '" + heartbeatFormat + "' is not supported, use x5f2 or json");
        };
    if (publishIntervalMs < 1) {
      throw new StartupException(
          "--publish-interval: must be a positive number of ms, got " + publishIntervalMs);
    }
    if (!ControllerSettings.COMPRESSIONS.contains(compression)) {
      throw new StartupException(
          "--compression: '"
              + compression
              + "' is not a Kafka compression type, use one of "
              + String.join(", ", ControllerSettings.COMPRESSIONS));
    }
    if (spareWorkers < 0) {
      throw new StartupException("--spare-workers: must be 0 or more, got " + spareWorkers);
    }
    if (maxSpareWorkers < 0) {
      throw new StartupException("--max-spare-workers: must be 0 or more, got " + maxSpareWorkers);
    }
    ConfigMode mode =
        switch (configMode.toLowerCase(Locale.ROOT)) {
          case "replace" -> ConfigMode.REPLACE;
          case "add" -> ConfigMode.ADD;
          default ->
              throw new StartupException(
                  "--config-mode: '" + configMode + "' is not supported, use replace or add");
        };
    List<String> jvmOptions =
        Arrays.stream(workerJvmOptions.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
    OptionalInt maxHeap = maxWorkerHeapMegabytes(jvmOptions);
    Optional<GraphiteSettings> graphite =
        graphiteConfigFile == null
            ? Optional.empty()
            : Optional.of(GraphiteConfigFile.read(graphiteConfigFile));
    try {
      return new ControllerSettings(
          List.copyOf(brokers),
          configTopic,
          nonBlank(heartbeatTopic),
          format,
          nonBlank(responseTopic),
          graphite,
          simulation,
          logLevel,
          security.kafkaProperties(),
          Duration.ofMillis(publishIntervalMs),
          jvmOptions,
          new SparePool(spareWorkers, maxSpareWorkers),
          workerLogDir,
          mode,
          Optional.ofNullable(stateDir),
          compression,
          maxHeap);
    } catch (KafkaSecurityException e) {
      throw new StartupException(e.getMessage());
    }
  }

  /** --max-worker-heap in MB, within what the machine can give; empty when not given. */
  private OptionalInt maxWorkerHeapMegabytes(List<String> jvmOptions) throws StartupException {
    if (maxWorkerHeap == null) {
      return OptionalInt.empty();
    }
    Matcher size = SIZE.matcher(maxWorkerHeap.strip());
    if (!size.matches()) {
      throw new StartupException(
          "--max-worker-heap: '" + maxWorkerHeap + "' is not a size, use e.g. 512m or 4g");
    }
    long number = Long.parseLong(size.group(1));
    long megabytes =
        size.group(2).equalsIgnoreCase("g") ? Math.multiplyExact(number, 1024L) : number;
    int machine = WorkerHeap.machineMegabytes();
    if (megabytes > machine) {
      throw new StartupException(
          "--max-worker-heap: "
              + megabytes
              + " MB is more than the "
              + machine
              + " MB this machine can give a worker (its memory less 1 GB)");
    }
    int spare = WorkerHeap.spareMegabytes();
    if (megabytes < spare) {
      throw new StartupException(
          "--max-worker-heap: "
              + megabytes
              + " MB is less than the "
              + spare
              + " MB every worker is given");
    }
    if (WorkerHeap.setBy(jvmOptions)) {
      throw new StartupException(
          "--max-worker-heap: has no effect when --worker-jvm-options sets the heap (-Xmx)");
    }
    return OptionalInt.of((int) megabytes);
  }

  private static Optional<String> nonBlank(String value) {
    return Optional.ofNullable(value).filter(v -> !v.isBlank());
  }
}
