package eu.ess.justbinit.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Option;

/**
 * The options of {@code scripts/bench} (a picocli mixin of {@link BenchCommand}): what to measure,
 * how much of it, and the controller's settings under test. The accessors apply {@code --quick}.
 * Read by the bench's main thread only, after picocli has set the fields.
 */
final class BenchOptions {
  /** Every phase, in the order they run. */
  static final String PHASES = "read,catchup,scaling,live,profile";

  @Option(names = "--root", defaultValue = "${sys:jbi.root:-.}", description = "the checkout")
  private Path root;

  @Option(
      names = "--reader-classpath",
      required = true,
      description = "classpath of the fresh read-ceiling JVMs (the worker's, plus this module)")
  private String readerClasspath;

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

  @Option(names = "--repeats", defaultValue = "3", description = "runs per figure (median)")
  private int repeats;

  @Option(
      names = "--scale",
      defaultValue = "1",
      description = "divide every workload's message count by this (smoke runs)")
  private int scale;

  @Option(
      names = "--quick",
      description = "a smoke run: workloads / 10, one run each, hist1d only, 5 s of live data")
  private boolean quick;

  @Option(
      names = "--phases",
      split = ",",
      defaultValue = PHASES,
      description =
          "what to measure (default ${DEFAULT-VALUE}); also cold: a fresh service per run"
              + " (docs/benchmarks-cold.md), which scripts/bench-cold runs alone")
  private Set<String> phases;

  @Option(
      names = "--catchup-publish-interval",
      defaultValue = "100",
      description = "the controller's --publish-interval for catch-up and scaling, ms")
  private long catchUpIntervalMs;

  @Option(
      names = "--live-publish-interval",
      defaultValue = "500",
      description = "the controller's --publish-interval for live latency, ms (its default)")
  private long liveIntervalMs;

  @Option(names = "--live-seconds", defaultValue = "10", description = "steady production, s")
  private int liveSeconds;

  @Option(
      names = "--live-events",
      defaultValue = "10000",
      description = "events per live message (14 messages/s)")
  private int liveEvents;

  @Option(
      names = "--scaling-workload",
      defaultValue = "A",
      description = "workload of the K-histograms runs (default ${DEFAULT-VALUE})")
  private String scalingWorkload;

  @Option(
      names = "--profile",
      defaultValue = "hist1d:A",
      description =
          "TYPE:WORKLOAD[:K] of the catch-up recorded with JFR, K histograms at once (default"
              + " ${DEFAULT-VALUE})")
  private String profile;

  @Option(
      names = "--worker-jvm-options",
      description = "the controller's --worker-jvm-options (default: the controller's own)")
  private String workerJvmOptions;

  @Option(
      names = "--spare-workers",
      paramLabel = "N",
      defaultValue = "1",
      description =
          "the controller's --spare-workers (default ${DEFAULT-VALUE}, its own); each config waits"
              + " until N spares are ready, so K ≤ N histograms all start on spares")
  private int spareWorkers;

  @Option(
      names = "--data-dir",
      description = "the broker's directory, kept, so that the workloads are produced once")
  private Path dataDir;

  @Option(
      names = "--note",
      description = "a line for the report's header (e.g. what changed since the last run)")
  private List<String> extraNotes = new ArrayList<>();

  @Option(
      names = "--python",
      defaultValue = "/usr/bin/python3",
      description = "the interpreter of scripts/librdkafka-read (default ${DEFAULT-VALUE})")
  private String python;

  @Option(
      names = "--librdkafka-reader",
      paramLabel = "PROGRAM",
      description =
          "librdkafka's reader built from bench/src/main/c/librdkafka-read.c, instead of"
              + " scripts/librdkafka-read on --python (for a machine without confluent_kafka)")
  private Path librdkafkaProgram;

  @Option(
      names = "--original-csv",
      paramLabel = "FILE",
      description =
          "cold: the original's figures of the same protocol (scripts/bench-original --cold);"
              + " without it, its figures measured before on a 2-core machine are quoted")
  private Path originalCsv;

  @Option(
      names = "--controller-class-archive",
      paramLabel = "FILE",
      description =
          "cold: the controller's class archive, as the release's launcher keeps it: mapped when"
              + " it exists, else written by the controller as it exits")
  private Path controllerArchive;

  @Option(
      names = "--cold-output",
      defaultValue = "docs/benchmarks-cold.md",
      description = "cold: the markdown report (default ${DEFAULT-VALUE})")
  private Path coldOutput;

  @Option(
      names = "--cold-csv",
      defaultValue = "docs/benchmarks-cold.csv",
      description = "cold: every raw figure, one a line (default ${DEFAULT-VALUE})")
  private Path coldCsv;

  @Option(
      names = "--output",
      defaultValue = "docs/benchmarks-e2e.md",
      description = "the markdown report (default ${DEFAULT-VALUE})")
  private Path output;

  @Option(
      names = "--csv",
      defaultValue = "docs/benchmarks-e2e.csv",
      description = "every raw figure, one a line (default ${DEFAULT-VALUE})")
  private Path csv;

  /** Whether {@code --phases} names {@code phase}. */
  boolean runs(String phase) {
    return phases.contains(phase);
  }

  Path root() {
    return root;
  }

  String readerClasspath() {
    return readerClasspath;
  }

  String controllerClasspath() {
    return controllerClasspath;
  }

  /** The workloads to measure, scaled down. */
  List<Workload> workloads() {
    return workloadNames.stream().map(n -> Workload.named(n.trim(), scale())).toList();
  }

  /** The histogram types to measure; hist1d alone for {@code --quick}. */
  List<HistogramType> types() {
    List<String> names = quick ? List.of("hist1d") : typeNames;
    return names.stream().map(t -> HistogramType.of(t.trim())).toList();
  }

  /** Runs per figure; one for {@code --quick}. */
  int repeats() {
    return quick ? 1 : repeats;
  }

  /** The divisor of every workload's message count; at least 10 for {@code --quick}. */
  int scale() {
    return quick ? Math.max(scale, 10) : scale;
  }

  long catchUpIntervalMs() {
    return catchUpIntervalMs;
  }

  long liveIntervalMs() {
    return liveIntervalMs;
  }

  /** Seconds of steady live production; at most 5 for {@code --quick}. */
  int liveSeconds() {
    return quick ? Math.min(liveSeconds, 5) : liveSeconds;
  }

  int liveEvents() {
    return liveEvents;
  }

  /** The workload of the K-histograms runs, scaled down. */
  Workload scalingWorkload() {
    return Workload.named(scalingWorkload, scale());
  }

  /** {@code TYPE:WORKLOAD[:K]} as given. */
  String profile() {
    return profile;
  }

  /** The controller's --worker-jvm-options; null for its default. */
  String workerJvmOptions() {
    return workerJvmOptions;
  }

  int spareWorkers() {
    return spareWorkers;
  }

  /** The broker's kept directory; null for a temporary one. */
  Path dataDir() {
    return dataDir;
  }

  List<String> extraNotes() {
    return extraNotes;
  }

  String python() {
    return python;
  }

  /** The C reader of librdkafka; null to use scripts/librdkafka-read on {@link #python()}. */
  Path librdkafkaProgram() {
    return librdkafkaProgram;
  }

  /** The original's CSV of the cold protocol; null to quote its earlier figures. */
  Path originalCsv() {
    return originalCsv;
  }

  /** The controller's class archive for the cold phase; null for none. */
  Path controllerArchive() {
    return controllerArchive;
  }

  Path coldOutput() {
    return coldOutput;
  }

  Path coldCsv() {
    return coldCsv;
  }

  Path output() {
    return output;
  }

  Path csv() {
    return csv;
  }
}
