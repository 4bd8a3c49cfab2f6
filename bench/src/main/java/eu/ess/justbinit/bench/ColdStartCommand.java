package eu.ess.justbinit.bench;

import eu.ess.justbinit.common.logging.LogSetup;
import eu.ess.justbinit.testkit.EmbeddedKafka;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The cold-start benchmark ({@link ColdStart}): a fresh service per run against the embedded
 * broker, for each workload and type; writes docs/benchmarks-cold.md and its CSV.
 */
@Command(
    name = "bench-cold",
    mixinStandardHelpOptions = true,
    description = "Cold-start benchmark of just-bin-it: a fresh service per run.")
public final class ColdStartCommand implements Callable<Integer> {
  @Option(
      names = "--controller-classpath",
      required = true,
      description = "classpath of the controller (scripts/just-bin-it's)")
  private String controllerClasspath;

  @Option(
      names = "--workloads",
      split = ",",
      defaultValue = "A,B",
      description = "A, B, A10 (default ${DEFAULT-VALUE})")
  private List<String> workloadNames;

  @Option(
      names = "--types",
      split = ",",
      defaultValue = "hist1d,hist1d-det,hist2d,dethist,roihist",
      description = "histogram types (default ${DEFAULT-VALUE})")
  private List<String> typeNames;

  @Option(names = "--repeats", defaultValue = "3", description = "fresh services per figure")
  private int repeats;

  @Option(
      names = "--scale",
      defaultValue = "1",
      description = "divide every workload's message count by this (smoke runs)")
  private int scale;

  @Option(
      names = "--publish-interval",
      defaultValue = "100",
      description = "the controller's --publish-interval, ms (default ${DEFAULT-VALUE})")
  private long publishIntervalMs;

  @Option(
      names = "--controller-jvm-options",
      description = "options of the controller's own JVM, space-separated (JBI_JAVA_OPTS)")
  private String controllerJvmOptions = "";

  @Option(
      names = "--controller-class-archive",
      paramLabel = "FILE",
      description =
          "the controller's class archive, as the release's launcher keeps it: mapped when it"
              + " exists, else written by the controller as it exits")
  private Path controllerArchive;

  @Option(
      names = "--worker-jvm-options",
      description = "the controller's --worker-jvm-options (default: the controller's own)")
  private String workerJvmOptions;

  @Option(
      names = "--original-csv",
      paramLabel = "FILE",
      description =
          "the original's figures of the same protocol (scripts/bench-original --cold); without"
              + " it, its figures measured before on a 2-core machine are quoted")
  private Path originalCsv;

  @Option(names = "--data-dir", description = "the broker's directory, kept (the workloads)")
  private Path dataDir;

  @Option(names = "--note", description = "a line for the report's header")
  private List<String> notes = new ArrayList<>();

  @Option(names = "--output", defaultValue = "docs/benchmarks-cold.md")
  private Path output;

  @Option(names = "--csv", defaultValue = "docs/benchmarks-cold.csv")
  private Path csv;

  public static void main(String[] args) {
    LogSetup.configure(3, "bench");
    System.exit(new CommandLine(new ColdStartCommand()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    List<Workload> workloads =
        workloadNames.stream().map(n -> Workload.named(n.trim(), scale)).toList();
    List<HistogramType> types = typeNames.stream().map(t -> HistogramType.of(t.trim())).toList();
    Path runDir = Files.createTempDirectory("jbi-bench-cold-");
    Results results = new Results();
    String loadBefore = loadAverage();
    long began = System.nanoTime();
    System.out.println("load average before: " + loadBefore + "; logs in " + runDir);
    EmbeddedKafka.Builder builder = EmbeddedKafka.builder();
    if (dataDir != null) {
      builder.dataDir(dataDir);
    }
    try (EmbeddedKafka kafka = builder.start()) {
      prepareTopics(kafka, workloads);
      if (controllerArchive != null && !Files.isRegularFile(controllerArchive)) {
        // The release's first start writes the archives; the figures are of the starts after it.
        System.out.println("a first start, unmeasured, writes the class archives");
        coldStart(kafka, runDir).run(workloads.get(0), HistogramType.HIST1D, "archiving");
      }
      ColdStart cold = coldStart(kafka, runDir);
      // Repeats outermost: a figure's runs spread over the bench's time, and so over its load.
      for (int run = 1; run <= repeats; run++) {
        for (Workload workload : workloads) {
          for (HistogramType type : types) {
            String label =
                String.format("%s-%s-r%d-%d", workload.base(), type.key, run, System.nanoTime());
            ColdStart.Outcome o = cold.run(workload, type, label);
            String w = workload.name();
            results.add("cold", w, type.key, "start_to_first_s", run, o.startToFirstS(), "s");
            results.add("cold", w, type.key, "probe_to_first_s", run, o.probeToFirstS(), "s");
            results.add("cold", w, type.key, "probes_sent", run, o.probesSent(), "configs");
            results.add("cold", w, type.key, "cold_catch_up_s", run, o.coldCatchUpS(), "s");
            results.add("cold", w, type.key, "cold_config_to_first_s", run, o.coldFirstS(), "s");
            results.add("cold", w, type.key, "warm_catch_up_s", run, o.warmCatchUpS(), "s");
            results.add(
                "cold", w, type.key, "worker_peak_MB", run, (double) o.workerPeakMb(), "MB");
          }
        }
      }
    }
    List<String> header = new ArrayList<>();
    header.add(
        String.format(
            "Run %s on %d cores (%s), Java %s",
            Instant.now().toString().substring(0, 16).replace('T', ' '),
            Runtime.getRuntime().availableProcessors(),
            cpu(),
            System.getProperty("java.version")));
    header.add(
        String.format(
            "Load average (1, 5, 15 min) before: %s; after: %s (the bench ran %.1f min)",
            loadBefore, loadAverage(), (System.nanoTime() - began) / 60e9));
    header.add(
        "Workloads: "
            + workloads.stream()
                .map(w -> w.name() + " = " + w.messages() + " × " + w.eventsPerMessage())
                .collect(Collectors.joining(", "))
            + String.format(
                "; %d fresh service(s) per figure; publish interval %d ms",
                repeats, publishIntervalMs));
    header.add(
        "Controller JVM options: "
            + (controllerJvmOptions.isBlank() ? "none" : "`" + controllerJvmOptions + "`")
            + (controllerArchive == null
                ? "; no class archive"
                : "; its class archive as the release's launcher keeps it")
            + "; worker JVM options: "
            + (workerJvmOptions == null
                ? "the controller's default"
                : "`" + workerJvmOptions + "`"));
    header.addAll(notes);
    String text = new ColdStartReport(results, originalCsv).markdown(header, workloads, types);
    Path parent = output.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(output, text, StandardCharsets.UTF_8);
    results.writeCsv(csv);
    System.out.println("wrote " + output + " and " + csv);
    return 0;
  }

  private ColdStart coldStart(EmbeddedKafka kafka, Path runDir) {
    List<String> options = new ArrayList<>();
    Arrays.stream(controllerJvmOptions.trim().split("\\s+"))
        .filter(o -> !o.isEmpty())
        .forEach(options::add);
    if (controllerArchive != null) {
      options.add(
          (Files.isRegularFile(controllerArchive)
                  ? "-XX:SharedArchiveFile="
                  : "-XX:ArchiveClassesAtExit=")
              + controllerArchive);
    }
    return new ColdStart(
        kafka, controllerClasspath, options, workerJvmOptions, publishIntervalMs, runDir);
  }

  private static void prepareTopics(EmbeddedKafka kafka, List<Workload> workloads) {
    Set<String> existing = kafka.topics();
    for (String topic :
        List.of(
            Service.COMMAND_TOPIC,
            Service.RESPONSE_TOPIC,
            Service.HEARTBEAT_TOPIC,
            CatchUp.HISTOGRAM_TOPIC)) {
      if (!existing.contains(topic)) {
        kafka.createTopic(topic, 1);
      }
    }
    for (Workload workload : workloads) {
      WorkloadProducer.ensure(
          kafka, workload, new EventData(workload.eventsPerMessage(), workload.hashCode()));
    }
  }

  private static String cpu() throws java.io.IOException {
    return Files.readAllLines(Path.of("/proc/cpuinfo"), StandardCharsets.UTF_8).stream()
        .filter(l -> l.startsWith("model name"))
        .findFirst()
        .map(l -> l.substring(l.indexOf(':') + 1).trim())
        .orElse("unknown CPU");
  }

  private static String loadAverage() {
    try {
      String[] fields =
          Files.readString(Path.of("/proc/loadavg"), StandardCharsets.UTF_8).trim().split(" ", -1);
      return fields[0] + ", " + fields[1] + ", " + fields[2];
    } catch (java.io.IOException e) {
      return "?";
    }
  }
}
