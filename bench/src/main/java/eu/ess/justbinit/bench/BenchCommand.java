package eu.ess.justbinit.bench;

import eu.ess.justbinit.common.logging.LogSetup;
import eu.ess.justbinit.controller.cli.JustBinItCommand;
import eu.ess.justbinit.testkit.EmbeddedKafka;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The end-to-end benchmark: the embedded broker, the stored workloads, the read ceilings, then the
 * real controller and its workers for catch-up, scaling, live latency and memory; writes the
 * markdown report and the CSV of every raw figure.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "End-to-end benchmark of just-bin-it against the embedded broker.")
public final class BenchCommand implements Callable<Integer> {
  private static final String PHASES = "read,catchup,scaling,live,profile";
  private static final int DEVICE_CORES = 16;

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
      description = "what to measure (default ${DEFAULT-VALUE})")
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

  @Option(names = "--output", defaultValue = "docs/benchmarks-e2e.md")
  private Path output;

  @Option(names = "--csv", defaultValue = "docs/benchmarks-e2e.csv")
  private Path csv;

  private final Results results = new Results();
  private ReadCeilingRuns readers;
  private final List<String> notes = new ArrayList<>();
  private Path runDir;

  public static void main(String[] args) {
    // Kafka clients' INFO lines would drown the progress lines.
    LogSetup.configure(3, "bench");
    System.exit(new CommandLine(new BenchCommand()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    if (quick) {
      scale = Math.max(scale, 10);
      repeats = 1;
      typeNames = List.of("hist1d");
      liveSeconds = Math.min(liveSeconds, 5);
    }
    List<Workload> workloads =
        workloadNames.stream().map(n -> Workload.named(n.trim(), scale)).toList();
    List<HistogramType> types = typeNames.stream().map(t -> HistogramType.of(t.trim())).toList();
    runDir = Files.createTempDirectory("jbi-bench-");
    notes.add(
        "The controller keeps "
            + spareWorkers
            + " spare worker(s) (--spare-workers); each config waits until they are ready");
    Report report = new Report(results);
    long began = System.nanoTime();
    String loadBefore = loadAverage();
    System.out.println("load average before: " + loadBefore + "; logs in " + runDir);
    EmbeddedKafka.Builder builder = EmbeddedKafka.builder();
    if (dataDir != null) {
      builder.dataDir(dataDir);
    }
    try (EmbeddedKafka kafka = builder.start()) {
      prepareTopics(kafka, workloads);
      if (phases.contains("read") || phases.contains("scaling")) {
        // Only these read: the probe's note would claim a reader the report does not use.
        readers =
            new ReadCeilingRuns(
                kafka.bootstrapServers(), readerClasspath, librdkafkaReader(), results);
      }
      if (phases.contains("read")) {
        readCeilings(workloads);
      }
      List<String> targets = new ArrayList<>();
      if (phases.contains("catchup") || phases.contains("scaling")) {
        catchUps(kafka, workloads, types, targets);
      }
      if (phases.contains("live")) {
        live(kafka, targets);
      }
      String profileText = phases.contains("profile") ? profile(kafka) : "";
      double minutes = (System.nanoTime() - began) / 60e9;
      List<String> header = machine();
      header.add(
          String.format(
              "Load average (1, 5, 15 min) before: %s; after: %s (the bench ran %.1f min)",
              loadBefore, loadAverage(), minutes));
      header.add(
          "Workloads: "
              + workloads.stream()
                  .map(w -> w.name() + " = " + w.messages() + " × " + w.eventsPerMessage())
                  .collect(Collectors.joining(", "))
              + String.format("; %d run(s) per figure", repeats));
      header.addAll(notes);
      header.addAll(extraNotes);
      report.header(header, csv.getFileName().toString());
      report.readCeilings(workloads);
      report.catchUps(workloads, types, catchUpIntervalMs);
      report.threadCpu(workloads, types);
      report.targets(targets);
      if (!profileText.isEmpty()) {
        report.section("Where a worker's time goes (JFR, " + profile + ")", profileText);
      }
      report.write(output);
      results.writeCsv(csv);
      System.out.println("wrote " + output + " and " + csv);
    }
    return 0;
  }

  private void prepareTopics(EmbeddedKafka kafka, List<Workload> workloads) {
    Set<String> existing = kafka.topics();
    for (String topic :
        List.of(
            Service.COMMAND_TOPIC,
            Service.RESPONSE_TOPIC,
            Service.HEARTBEAT_TOPIC,
            CatchUp.HISTOGRAM_TOPIC,
            LiveLatency.TOPIC)) {
      if (!existing.contains(topic)) {
        kafka.createTopic(topic, 1);
      }
    }
    List<Workload> all = new ArrayList<>(workloads);
    Workload scaling = Workload.named(scalingWorkload, scale);
    if (!all.contains(scaling)) {
      all.add(scaling);
    }
    for (Workload workload : all) {
      WorkloadProducer.Produced produced =
          WorkloadProducer.ensure(
              kafka, workload, new EventData(workload.eventsPerMessage(), workload.hashCode()));
      System.out.printf(
          "workload %s: %d messages, %.0f MB%s%n",
          workload.name(),
          workload.messages(),
          produced.bytes() / 1e6,
          produced.took().isZero()
              ? " (stored already)"
              : String.format(" produced in %.1f s", produced.took().toMillis() / 1e3));
    }
  }

  private void readCeilings(List<Workload> workloads) throws IOException, InterruptedException {
    System.out.println("read ceilings, load " + loadAverage());
    for (Workload workload : workloads) {
      for (int run = 1; run <= repeats; run++) {
        readers.measure(workload, run);
      }
    }
  }

  /** The command that reads with librdkafka, less its arguments; empty (and a note) for none. */
  private List<String> librdkafkaReader() {
    if (librdkafkaProgram != null) {
      if (Files.isExecutable(librdkafkaProgram)) {
        notes.add(
            "librdkafka read by bench/src/main/c/librdkafka-read.c (librdkafka's defaults, as"
                + " scripts/librdkafka-read)");
        return List.of(librdkafkaProgram.toString());
      }
      notes.add(
          "librdkafka: "
              + librdkafkaProgram
              + " is no executable; its anchor (125 M events/s) stands in");
      return List.of();
    }
    if (ReadCeilingRuns.canImportConfluentKafka(python)) {
      return List.of(python, root.resolve("scripts/librdkafka-read").toString());
    }
    notes.add(
        "librdkafka: "
            + python
            + " cannot import confluent_kafka (apt-get install"
            + " python3-confluent-kafka); its anchor (125 M events/s) stands in");
    return List.of();
  }

  private Service startService(EmbeddedKafka kafka, long intervalMs, String jvmOptions)
      throws IOException, InterruptedException {
    return Service.start(
        controllerClasspath,
        kafka,
        intervalMs,
        jvmOptions,
        spareWorkers,
        runDir.resolve("controller-" + intervalMs + "-" + System.nanoTime() + ".log"));
  }

  private void catchUps(
      EmbeddedKafka kafka,
      List<Workload> workloads,
      List<HistogramType> types,
      List<String> targets)
      throws IOException, InterruptedException {
    System.out.println("catch-up, load " + loadAverage());
    try (Service service = startService(kafka, catchUpIntervalMs, workerJvmOptions);
        HistogramWatch watch =
            new HistogramWatch(kafka.clientProperties(), CatchUp.HISTOGRAM_TOPIC)) {
      results.add(
          "rss",
          "",
          "controller",
          "idle_MB",
          1,
          (double) ProcessMemory.residentMb(service.pid()).orElse(0),
          "MB");
      CatchUp catchUp = new CatchUp(service, watch, kafka.bootstrapServers());
      if (phases.contains("catchup")) {
        for (Workload workload : workloads) {
          for (HistogramType type : types) {
            for (int run = 1; run <= repeats; run++) {
              String id =
                  String.format("%s-%s-r%d-%d", workload.name(), type.key, run, System.nanoTime());
              CatchUp.Outcomes outcomes = catchUp.run(workload, type, 1, id);
              record(workload, type, run, outcomes);
            }
          }
        }
        catchUpTargets(targets);
      }
      if (phases.contains("scaling")) {
        scaling(catchUp, kafka.pid(), targets);
      }
    }
  }

  private void record(Workload w, HistogramType type, int run, CatchUp.Outcomes outcomes) {
    CatchUp.Outcome o = outcomes.histograms().get(0);
    String name = w.name();
    results.add(
        "catchup",
        name,
        type.key,
        "rate_Mevents_per_s",
        run,
        o.rateEventsPerS() / 1e6,
        "M events/s");
    results.add("catchup", name, type.key, "send_to_done_s", run, o.sendToDoneS(), "s");
    results.add("catchup", name, type.key, "config_to_first_s", run, o.configToFirstS(), "s");
    results.add("catchup", name, type.key, "publishes", run, o.publishes(), "histograms");
    results.add("catchup", name, type.key, "max_gap_ms", run, o.maxGapMs(), "ms");
    results.add(
        "catchup",
        name,
        type.key,
        "first_is_initialised",
        run,
        o.firstState().equals("INITIALISED") ? 1 : 0,
        "bool");
    results.add("catchup", name, type.key, "sum", run, (double) o.sum(), "events");
    results.add(
        "catchup", name, type.key, "worker_peak_MB", run, (double) outcomes.workerPeakMb(), "MB");
    results.add(
        "catchup", name, type.key, "controller_MB", run, (double) outcomes.controllerMb(), "MB");
    results.add("catchup", name, type.key, "worker_cpu_s", run, outcomes.workerCpuS(), "s");
    outcomes
        .workerCpuByThread()
        .forEach(
            (thread, seconds) ->
                results.add("thread_cpu", name, type.key, thread, run, seconds, "s"));
  }

  private void catchUpTargets(List<String> targets) {
    OptionalDouble firstMax = results.max("catchup", "config_to_first_s");
    OptionalDouble workerPeak = results.max("catchup", "worker_peak_MB");
    OptionalDouble controller = results.max("catchup", "controller_MB");
    OptionalDouble gap = results.max("catchup", "max_gap_ms");
    OptionalDouble firstMedian = Results.median(results.values("catchup", "config_to_first_s"));
    targets.add(
        Report.targetRow(
            "config → first INITIALISED histogram, s (median of all catch-ups; slowest)",
            Report.fmt(firstMedian) + " (" + Report.fmt(firstMax) + ")",
            "≤ 1.0 (original 2.15)",
            firstMedian.orElse(Double.MAX_VALUE) <= Report.CONFIG_TO_FIRST_TARGET_S));
    targets.add(
        Report.targetRow(
            "longest gap between histograms during catch-up, ms",
            Report.fmt(gap),
            "one interval (" + catchUpIntervalMs + " ms) + poll slack",
            gap.orElse(Double.MAX_VALUE) <= 2 * catchUpIntervalMs));
    targets.add(
        Report.targetRow(
            "worker peak RSS (VmHWM) during catch-up, MB (largest)",
            Report.fmt(workerPeak),
            "≤ " + Report.WORKER_RSS_TARGET_MB,
            workerPeak.orElse(Double.MAX_VALUE) <= Report.WORKER_RSS_TARGET_MB));
    targets.add(
        Report.targetRow(
            "controller RSS under load, MB (largest; idle: "
                + Report.fmt(results.median("rss", "", "controller", "idle_MB"))
                + ")",
            Report.fmt(controller),
            "—",
            true));
  }

  /** The aggregates of K plain readers at once, as the scaling rows quote them. */
  private String readersTogether(Workload workload, int k) {
    List<String> parts = new ArrayList<>();
    for (String reader : List.of(ReadCeilingRuns.LIBRDKAFKA, ReadCeilingRuns.WORKER_SOURCE)) {
      results
          .median(
              "together",
              workload.name(),
              ReadCeilingRuns.togetherSubject(reader, k),
              "aggregate_Mevents_per_s")
          .ifPresent(rate -> parts.add(reader + " " + Report.fmt(rate)));
    }
    return String.join(", ", parts);
  }

  private void scaling(CatchUp catchUp, long brokerPid, List<String> targets)
      throws IOException, InterruptedException {
    Workload workload = Workload.named(scalingWorkload, scale);
    int cores = Runtime.getRuntime().availableProcessors();
    System.out.println("scaling on " + workload.name() + ", load " + loadAverage());
    for (int k = 1; k <= cores; k *= 2) {
      for (int run = 1; run <= repeats; run++) {
        readers.measureTogether(workload, k, run);
      }
      for (int run = 1; run <= repeats; run++) {
        String id = String.format("scale-k%d-r%d-%d", k, run, System.nanoTime());
        long startNs = System.nanoTime();
        double brokerStart = CpuTime.processSeconds(brokerPid);
        double machineStart = CpuTime.machineBusySeconds();
        CatchUp.Outcomes outcomes = catchUp.run(workload, HistogramType.HIST1D, k, id);
        double wallS = (System.nanoTime() - startNs) / 1e9;
        // Where the cores went: the broker's share, and the machine's (workers, controller, bench).
        results.add(
            "scaling",
            workload.name(),
            "K=" + k,
            "broker_busy_cores",
            run,
            (CpuTime.processSeconds(brokerPid) - brokerStart) / wallS,
            "cores");
        results.add(
            "scaling",
            workload.name(),
            "K=" + k,
            "machine_busy_cores",
            run,
            (CpuTime.machineBusySeconds() - machineStart) / wallS,
            "cores");
        double aggregate =
            outcomes.histograms().stream().mapToDouble(CatchUp.Outcome::rateEventsPerS).sum();
        results.add(
            "scaling",
            workload.name(),
            "K=" + k,
            "aggregate_Mevents_per_s",
            run,
            aggregate / 1e6,
            "M events/s");
      }
    }
    double one =
        results.median("scaling", workload.name(), "K=1", "aggregate_Mevents_per_s").orElse(0);
    for (int k = 2; k <= cores; k *= 2) {
      double many =
          results.median("scaling", workload.name(), "K=" + k, "aggregate_Mevents_per_s").orElse(0);
      String busy =
          String.format(
              "; cores busy: broker %s, machine %s of %d; %d plain readers at once: %s",
              Report.fmt(results.median("scaling", workload.name(), "K=" + k, "broker_busy_cores")),
              Report.fmt(
                  results.median("scaling", workload.name(), "K=" + k, "machine_busy_cores")),
              cores,
              k,
              readersTogether(workload, k));
      targets.add(
          Report.targetRow(
              String.format(
                  "%d hist1d on %s, aggregate M ev/s (1 alone: %s%s)",
                  k, workload.name(), Report.fmt(one), busy),
              Report.fmt(many) + String.format(" (%.2f K × one)", many / (k * one)),
              "≥ 0.75 K × one",
              many >= 0.75 * k * one));
    }
  }

  private void live(EmbeddedKafka kafka, List<String> targets)
      throws IOException, InterruptedException {
    System.out.println("live latency, load " + loadAverage());
    EventData events = new EventData(liveEvents, 14);
    try (Service service = startService(kafka, liveIntervalMs, workerJvmOptions);
        HistogramWatch watch =
            new HistogramWatch(kafka.clientProperties(), CatchUp.HISTOGRAM_TOPIC)) {
      CatchUp catchUp = new CatchUp(service, watch, kafka.bootstrapServers());
      LiveLatency latency = new LiveLatency(kafka, service, watch, catchUp);
      for (int run = 1; run <= repeats; run++) {
        LiveLatency.Outcome o =
            latency.run(
                "live-r" + run + "-" + System.nanoTime(), Duration.ofSeconds(liveSeconds), events);
        results.add("latency", "live", "hist1d", "median_ms", run, o.medianMs(), "ms");
        results.add("latency", "live", "hist1d", "p99_ms", run, o.p99Ms(), "ms");
        results.add("latency", "live", "hist1d", "messages", run, o.messages(), "messages");
        results.add("rss", "live", "worker", "idle_MB", run, (double) o.workerIdleMb(), "MB");
        results.add("rss", "live", "worker", "load_MB", run, (double) o.workerLoadMb(), "MB");
      }
    }
    OptionalDouble p99 = results.median("latency", "live", "hist1d", "p99_ms");
    targets.add(
        Report.targetRow(
            String.format(
                "live latency, ms: median %s, p99 (14 Hz × %d events, publish interval %d ms)",
                Report.fmt(results.median("latency", "live", "hist1d", "median_ms")),
                liveEvents,
                liveIntervalMs),
            Report.fmt(p99),
            "p99 ≤ " + (liveIntervalMs + (long) Report.LATENCY_MARGIN_MS),
            p99.orElse(Double.MAX_VALUE) <= liveIntervalMs + Report.LATENCY_MARGIN_MS));
    OptionalDouble load = results.median("rss", "live", "worker", "load_MB");
    targets.add(
        Report.targetRow(
            "worker RSS, MB: idle "
                + Report.fmt(results.median("rss", "live", "worker", "idle_MB"))
                + ", under live load",
            Report.fmt(load),
            "≤ " + Report.WORKER_RSS_TARGET_MB,
            load.orElse(Double.MAX_VALUE) <= Report.WORKER_RSS_TARGET_MB));
  }

  /** One catch-up with the worker recording JFR; its summary as markdown. */
  private String profile(EmbeddedKafka kafka) throws IOException, InterruptedException {
    String[] parts = profile.split(":", -1);
    HistogramType type = HistogramType.of(parts[0]);
    Workload workload = Workload.named(parts.length > 1 ? parts[1] : "A", scale);
    int histograms = parts.length > 2 ? Integer.parseInt(parts[2]) : 1;
    // A directory: every worker JVM started with these options records, the spares too, each to a
    // file named for its pid; one shared file would be the last one to exit's.
    Path recordings = Files.createDirectories(runDir.resolve("worker-jfr"));
    String options =
        // Without options of our own, the controller's default (just-bin-it --help).
        (workerJvmOptions == null ? JustBinItCommand.DEFAULT_WORKER_JVM_OPTIONS : workerJvmOptions)
            // Java code sampled every millisecond: at the profile's 10 ms, a 0.4 s catch-up gave
            // ten samples.
            + " -XX:StartFlightRecording=settings=profile,method-profiling=max,dumponexit=true,"
            + "filename="
            + recordings;
    System.out.println("profiling " + profile + ", load " + loadAverage());
    double rate;
    long firstNs;
    try (Service service = startService(kafka, catchUpIntervalMs, options);
        HistogramWatch watch =
            new HistogramWatch(kafka.clientProperties(), CatchUp.HISTOGRAM_TOPIC)) {
      CatchUp catchUp = new CatchUp(service, watch, kafka.bootstrapServers());
      CatchUp.Outcomes outcomes =
          catchUp.run(workload, type, histograms, "profile-" + System.nanoTime());
      rate =
          outcomes.histograms().stream().mapToDouble(CatchUp.Outcome::rateEventsPerS).sum() / 1e6;
      firstNs = outcomes.histograms().stream().mapToLong(CatchUp.Outcome::firstNs).max().orElse(0);
    }
    Optional<Path> recording = largestRecording(recordings);
    if (recording.isEmpty()) {
      return "The worker left no recording in " + recordings + ".\n";
    }
    Instant first = Instant.ofEpochSecond(0, firstNs);
    return String.format(
            "%s of %s on %s with the workers started with `%s` (rate %s M events/s with"
                + " the recording on; the largest recording, a worker's), Java code sampled every"
                + " millisecond per running thread.%n%n",
            histograms == 1 ? "One catch-up" : histograms + " catch-ups at once",
            type.label,
            workload.name(),
            options.replace(recordings.toString(), "worker-jfr"),
            Report.fmt(rate))
        + "### Start-up: from the worker's start to its first histogram\n\n"
        + JfrSummary.of(recording.get(), Instant.EPOCH, first).markdown(10)
        + "### Catch-up: after the first histogram\n\n"
        + JfrSummary.of(recording.get(), first, Instant.MAX).markdown(12);
  }

  /** The catching-up worker's recording: the spares, idle, recorded far less. */
  private static Optional<Path> largestRecording(Path directory) throws IOException {
    try (Stream<Path> files = Files.list(directory)) {
      return files
          .filter(file -> file.toString().endsWith(".jfr"))
          .max(Comparator.comparingLong(file -> file.toFile().length()));
    }
  }

  private static List<String> machine() throws IOException {
    String cpu =
        Files.readAllLines(Path.of("/proc/cpuinfo"), StandardCharsets.UTF_8).stream()
            .filter(l -> l.startsWith("model name"))
            .findFirst()
            .map(l -> l.substring(l.indexOf(':') + 1).trim())
            .orElse("unknown CPU");
    String memory =
        Files.readAllLines(Path.of("/proc/meminfo"), StandardCharsets.UTF_8).stream()
            .filter(l -> l.startsWith("MemTotal"))
            .findFirst()
            .map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024 / 1024 + " GiB")
            .orElse("?");
    int cores = Runtime.getRuntime().availableProcessors();
    List<String> lines =
        Report.lines(
            String.format(
                "Run %s on %d cores (%s), %s memory, Java %s",
                Instant.now().toString().substring(0, 16).replace('T', ' '),
                cores,
                cpu,
                memory,
                System.getProperty("java.version")));
    if (cores < DEVICE_CORES) {
      lines.add(
          "Scaling stops at this machine's cores; the 16-core figures (the device tool's machine)"
              + " are in [benchmarks-e2e-device.md](benchmarks-e2e-device.md)");
    }
    return lines;
  }

  private static String loadAverage() {
    try {
      String[] fields =
          Files.readString(Path.of("/proc/loadavg"), StandardCharsets.UTF_8).trim().split(" ", -1);
      return fields[0] + ", " + fields[1] + ", " + fields[2];
    } catch (IOException e) {
      return "?";
    }
  }
}
