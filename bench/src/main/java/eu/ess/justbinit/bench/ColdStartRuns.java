package eu.ess.justbinit.bench;

import eu.ess.justbinit.testkit.EmbeddedKafka;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The bench's cold phase ({@link ColdStart}): a fresh service per run, for each workload and type,
 * repeats outermost; writes its own report (docs/benchmarks-cold.md) and CSV. Called from the
 * bench's main thread.
 */
final class ColdStartRuns {
  private final BenchOptions options;
  private final Results results = new Results();

  ColdStartRuns(BenchOptions options) {
    this.options = options;
  }

  void measure(EmbeddedKafka kafka, Path runDir, String loadBefore)
      throws IOException, InterruptedException {
    List<Workload> workloads = options.workloads();
    List<HistogramType> types = options.types();
    long began = System.nanoTime();
    System.out.println("cold start, load " + Machine.loadAverage());
    Path archive = options.controllerArchive();
    if (archive != null && !Files.isRegularFile(archive)) {
      // The release's first start writes the archives; the figures are of the starts after it.
      System.out.println("a first start, unmeasured, writes the class archives");
      coldStart(kafka, runDir)
          .run(workloads.get(0), HistogramType.HIST1D, "archiving", Duration.ZERO);
    }
    ColdStart cold = coldStart(kafka, runDir);
    // Repeats outermost: a figure's runs spread over the phase's time, and so over its load.
    for (int run = 1; run <= options.repeats(); run++) {
      for (Workload workload : workloads) {
        for (HistogramType type : types) {
          String label =
              String.format("%s-%s-r%d-%d", workload.base(), type.key, run, System.nanoTime());
          record(workload, type, run, cold.run(workload, type, label, Duration.ZERO));
        }
      }
      // The config that comes a second after the start, once per repeat.
      Workload first = workloads.get(0);
      ColdStart.Outcome late =
          cold.run(
              first,
              HistogramType.HIST1D,
              String.format("late-r%d-%d", run, System.nanoTime()),
              ColdStart.DELAY);
      results.add(
          "cold", first.name(), "probe", "late_config_to_first_s", run, late.probeToFirstS(), "s");
    }
    List<String> header = Machine.describe();
    header.add(
        String.format(
            "Load average (1, 5, 15 min) before: %s; after: %s (the phase ran %.1f min)",
            loadBefore, Machine.loadAverage(), (System.nanoTime() - began) / 60e9));
    header.add(
        "Workloads: "
            + workloads.stream()
                .map(w -> w.name() + " = " + w.messages() + " × " + w.eventsPerMessage())
                .collect(Collectors.joining(", "))
            + String.format(
                "; %d fresh service(s) per figure; publish interval %d ms",
                options.repeats(), options.catchUpIntervalMs()));
    header.add(
        "The controller runs from its jar"
            + (archive == null
                ? ", without a class archive"
                : " with its class archive as the release's launcher keeps it")
            + "; worker JVM options: "
            + (options.workerJvmOptions() == null
                ? "the controller's default (its workers share their class archive)"
                : "`" + options.workerJvmOptions() + "`"));
    header.addAll(options.extraNotes());
    String text =
        new ColdStartReport(results, options.originalCsv()).markdown(header, workloads, types);
    Path parent = options.coldOutput().toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(options.coldOutput(), text, StandardCharsets.UTF_8);
    results.writeCsv(options.coldCsv());
    System.out.println("wrote " + options.coldOutput() + " and " + options.coldCsv());
  }

  private void record(Workload workload, HistogramType type, int run, ColdStart.Outcome o) {
    String w = workload.name();
    results.add("cold", w, type.key, "start_to_first_s", run, o.startToFirstS(), "s");
    results.add("cold", w, type.key, "probe_to_first_s", run, o.probeToFirstS(), "s");
    results.add("cold", w, type.key, "probes_sent", run, o.probesSent(), "configs");
    results.add("cold", w, type.key, "cold_catch_up_s", run, o.coldCatchUpS(), "s");
    results.add("cold", w, type.key, "cold_config_to_first_s", run, o.coldFirstS(), "s");
    results.add("cold", w, type.key, "warm_catch_up_s", run, o.warmCatchUpS(), "s");
    results.add("cold", w, type.key, "worker_peak_MB", run, (double) o.workerPeakMb(), "MB");
  }

  private ColdStart coldStart(EmbeddedKafka kafka, Path runDir) {
    Path archive = options.controllerArchive();
    List<String> jvmOptions = new ArrayList<>();
    if (archive != null) {
      jvmOptions.add(
          (Files.isRegularFile(archive) ? "-XX:SharedArchiveFile=" : "-XX:ArchiveClassesAtExit=")
              + archive);
    }
    return new ColdStart(
        kafka,
        options.controllerClasspath(),
        jvmOptions,
        options.workerJvmOptions(),
        options.catchUpIntervalMs(),
        runDir);
  }
}
