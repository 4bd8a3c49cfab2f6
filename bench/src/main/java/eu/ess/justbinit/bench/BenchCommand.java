package eu.ess.justbinit.bench;

import eu.ess.justbinit.common.logging.LogSetup;
import eu.ess.justbinit.testkit.EmbeddedKafka;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * The end-to-end benchmark ({@code scripts/bench}): starts the embedded broker with the stored
 * workloads, runs the phases {@link BenchOptions} asks for (read ceilings, catch-up, scaling, live
 * latency, a worker's profile), then writes the markdown report and the CSV of every raw figure.
 * Runs on the main thread alone.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "End-to-end benchmark of just-bin-it against the embedded broker.")
public final class BenchCommand implements Callable<Integer> {
  @Mixin private BenchOptions options;

  private final Results results = new Results();

  /** The report's header lines that say how this run was set up, in the order they arose. */
  private final List<String> notes = new ArrayList<>();

  public static void main(String[] args) {
    // Kafka clients' INFO lines would drown the progress lines.
    LogSetup.configure(3, "bench");
    System.exit(new CommandLine(new BenchCommand()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    List<Workload> workloads = options.workloads();
    List<HistogramType> types = options.types();
    Path runDir = Files.createTempDirectory("jbi-bench-");
    notes.add(
        "The controller keeps "
            + options.spareWorkers()
            + " spare worker(s) (--spare-workers); each config waits until they are ready");
    Report report = new Report(results);
    long began = System.nanoTime();
    String loadBefore = Machine.loadAverage();
    System.out.println("load average before: " + loadBefore + "; logs in " + runDir);
    EmbeddedKafka.Builder builder = EmbeddedKafka.builder();
    if (options.dataDir() != null) {
      builder.dataDir(options.dataDir());
    }
    try (EmbeddedKafka kafka = builder.start()) {
      WorkloadTopics.prepare(kafka, workloads, options.scalingWorkload());
      if (options.runs("cold")) {
        new ColdStartRuns(options).measure(kafka, runDir, loadBefore);
      }
      if (List.of(BenchOptions.PHASES.split(",")).stream().noneMatch(options::runs)) {
        return 0; // the cold phase alone has written its report
      }
      ServiceLauncher launcher = new ServiceLauncher(options, kafka, runDir);
      ReadCeilings readCeilings = null;
      if (options.runs("read") || options.runs("scaling")) {
        // Only these read: the probe's note would claim a reader the report does not use.
        readCeilings = new ReadCeilings(options, kafka.bootstrapServers(), results, notes);
      }
      if (options.runs("read")) {
        readCeilings.measure(workloads);
      }
      List<String> targets = new ArrayList<>();
      if (options.runs("catchup") || options.runs("scaling")) {
        catchUpAndScaling(kafka, launcher, readCeilings, workloads, types, targets);
      }
      if (options.runs("live")) {
        new LiveLatencyRuns(options, results).measure(kafka, launcher, targets);
      }
      String profileText =
          options.runs("profile") ? new WorkerProfile(options).measure(kafka, launcher) : "";
      double minutes = (System.nanoTime() - began) / 60e9;
      report.header(header(workloads, loadBefore, minutes), options.csv().getFileName().toString());
      report.readCeilings(workloads);
      report.catchUps(workloads, types, options.catchUpIntervalMs());
      report.threadCpu(workloads, types);
      report.targets(targets);
      if (!profileText.isEmpty()) {
        report.section("Where a worker's time goes (JFR, " + options.profile() + ")", profileText);
      }
      report.write(options.output());
      results.writeCsv(options.csv());
      System.out.println("wrote " + options.output() + " and " + options.csv());
    }
    return 0;
  }

  /** Catch-up and scaling share one service: its idle memory is measured once, before either. */
  private void catchUpAndScaling(
      EmbeddedKafka kafka,
      ServiceLauncher launcher,
      ReadCeilings readCeilings,
      List<Workload> workloads,
      List<HistogramType> types,
      List<String> targets)
      throws IOException, InterruptedException {
    System.out.println("catch-up, load " + Machine.loadAverage());
    try (Service service = launcher.start(options.catchUpIntervalMs(), options.workerJvmOptions());
        HistogramWatch watch = launcher.watch()) {
      results.add(
          "rss",
          "",
          "controller",
          "idle_MB",
          1,
          (double) ProcessMemory.residentMb(service.pid()).orElse(0),
          "MB");
      CatchUp catchUp = new CatchUp(service, watch, kafka.bootstrapServers());
      if (options.runs("catchup")) {
        new CatchUpRates(options, results).measure(catchUp, workloads, types, targets);
      }
      if (options.runs("scaling")) {
        new HistogramScaling(options, results, readCeilings.readers())
            .measure(catchUp, kafka.pid(), targets);
      }
    }
  }

  private List<String> header(List<Workload> workloads, String loadBefore, double minutes)
      throws IOException {
    List<String> header = Machine.describe();
    header.add(
        String.format(
            "Load average (1, 5, 15 min) before: %s; after: %s (the bench ran %.1f min)",
            loadBefore, Machine.loadAverage(), minutes));
    header.add(
        "Workloads: "
            + workloads.stream()
                .map(w -> w.name() + " = " + w.messages() + " × " + w.eventsPerMessage())
                .collect(Collectors.joining(", "))
            + String.format("; %d run(s) per figure", options.repeats()));
    header.addAll(notes);
    header.addAll(options.extraNotes());
    return header;
  }
}
