package eu.ess.justbinit.worker.histogram;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs {@link BinningBenchmark} (every case briefly, the four headline cases with more forks and
 * iterations) and writes the results as markdown. Started by scripts/bench-engine.
 */
public final class BinningBenchmarkReport {
  private static final String[] HEADLINE = {
    "hist1d:1000", "hist2d:100x100", "dethist:32x192", "roihist:16x16"
  };
  private static final long[] TARGETS_MILLIONS = {500, 250, 1000, 700};

  private BinningBenchmarkReport() {}

  /** Arguments: the markdown file to write, then "quick" to run fewer iterations (a smoke run). */
  public static void main(String[] args) throws RunnerException, IOException {
    Path out = Paths.get(args[0]);
    boolean quick = args.length > 1 && args[1].equals("quick");
    double loadBefore = loadAverage();
    Collection<RunResult> headline =
        run(
            new OptionsBuilder()
                .include(BinningBenchmark.class.getSimpleName())
                .param("histogram", HEADLINE)
                .param("events", "100000")
                .forks(quick ? 1 : 3)
                .warmupIterations(quick ? 1 : 5)
                .warmupTime(TimeValue.seconds(1))
                .measurementIterations(quick ? 2 : 10)
                .measurementTime(TimeValue.seconds(1))
                .build());
    Collection<RunResult> all =
        run(
            new OptionsBuilder()
                .include(BinningBenchmark.class.getSimpleName())
                .forks(1)
                .warmupIterations(quick ? 1 : 3)
                .warmupTime(TimeValue.seconds(1))
                .measurementIterations(quick ? 1 : 5)
                .measurementTime(TimeValue.seconds(1))
                .build());
    double loadAfter = loadAverage();

    StringBuilder md = new StringBuilder();
    md.append("# Engine benchmarks\n\n")
        .append(
            "Written by `scripts/bench-engine` (JMH, `BinningBenchmark` in the worker's tests) on ")
        .append(Instant.now())
        .append(".\n\n")
        .append("Machine: ")
        .append(cpuModel())
        .append(", ")
        .append(Runtime.getRuntime().availableProcessors())
        .append(" cores; ")
        .append(System.getProperty("java.vm.name"))
        .append(' ')
        .append(System.getProperty("java.version"))
        .append(". Load average (1 min) before the run ")
        .append(format(loadBefore, 1))
        .append(", after ")
        .append(format(loadAfter, 1))
        .append(
            ". One benchmark thread. The cores are shared with other work, so two figures are"
                + " given: events per wall-clock second (what JMH measures) and events per second of"
                + " CPU time the benchmark thread actually got (wall figure / CPU share); the second"
                + " is the one-core speed, the first what this busy machine delivered.\n\n")
        .append(
            "Data: times of flight Gaussian around 5e7 ns (sigma 1.5e7) inside [0, 1e8), pixel ids"
                + " uniform in [1, 6144]; hist1d tof_range [0, 1e8]; hist2d tof_range [0, 1e8] x"
                + " det_range [1, 6144] (fractional pixel bins); dethist from pixel 1; roihist rows"
                + " of `width` pixels, 2 x width (at least 32) ids apart.\n\n");
    md.append("## Headline cases (100,000-event messages, ")
        .append(quick ? "1 fork x 2" : "3 forks x 10")
        .append(" iterations of 1 s)\n\n")
        .append("| histogram | target M events/s | M events/s (wall) | M events/s (per CPU s) |")
        .append(" CPU share | met |\n|---|---:|---:|---:|---:|---|\n");
    for (int i = 0; i < HEADLINE.length; i++) {
      Optional<Row> row = find(headline, HEADLINE[i], 100000);
      if (row.isPresent()) {
        Row r = row.get();
        md.append("| ")
            .append(HEADLINE[i])
            .append(" | ")
            .append(TARGETS_MILLIONS[i])
            .append(" | ")
            .append(format(r.wallMillions, 0))
            .append(" ± ")
            .append(format(r.wallErrorMillions, 0))
            .append(" | ")
            .append(format(r.cpuMillions, 0))
            .append(" | ")
            .append(format(100 * r.cpuShare, 0))
            .append(" % | ")
            .append(r.cpuMillions >= TARGETS_MILLIONS[i] ? "yes" : "no")
            .append(" |\n");
      }
    }
    md.append("\n## Every case (1 fork x ")
        .append(quick ? "1" : "5")
        .append(" iterations of 1 s)\n\n")
        .append("| histogram | events/message | M events/s (wall) | M events/s (per CPU s) |")
        .append(" CPU share |\n|---|---:|---:|---:|---:|\n");
    for (Row r : rows(all)) {
      md.append("| ")
          .append(r.histogram)
          .append(" | ")
          .append(r.events)
          .append(" | ")
          .append(format(r.wallMillions, 0))
          .append(" | ")
          .append(format(r.cpuMillions, 0))
          .append(" | ")
          .append(format(100 * r.cpuShare, 0))
          .append(" % |\n");
    }
    md.append(keptAnalysis(out));
    Files.writeString(out, md.toString(), StandardCharsets.UTF_8);
  }

  /** The hand-written "## Analysis" section of the previous report, kept across runs. */
  private static String keptAnalysis(Path previous) throws IOException {
    if (!Files.exists(previous)) {
      return "";
    }
    String text = Files.readString(previous, StandardCharsets.UTF_8);
    int analysis = text.indexOf("\n## Analysis");
    return analysis < 0 ? "" : text.substring(analysis);
  }

  private static Collection<RunResult> run(Options options) throws RunnerException {
    return new Runner(options).run();
  }

  /** One benchmark's result in events. */
  private record Row(
      String histogram,
      int events,
      double wallMillions,
      double wallErrorMillions,
      double cpuMillions,
      double cpuShare) {}

  private static Optional<Row> find(Collection<RunResult> results, String histogram, int events) {
    return rows(results).stream()
        .filter(r -> r.histogram.equals(histogram) && r.events == events)
        .findFirst();
  }

  private static List<Row> rows(Collection<RunResult> results) {
    List<Row> rows = new ArrayList<>();
    for (RunResult run : results) {
      BenchmarkParams params = run.getParams();
      String histogram = params.getParam("histogram");
      int events = Integer.parseInt(params.getParam("events"));
      Result<?> primary = run.getPrimaryResult();
      double wall = primary.getScore() * events / 1e6;
      double error = Double.isNaN(primary.getScoreError()) ? 0 : primary.getScoreError();
      double wallSeconds = 0;
      double cpuSeconds = 0;
      for (BenchmarkResult fork : run.getBenchmarkResults()) {
        for (IterationResult iteration : fork.getIterationResults()) {
          wallSeconds +=
              params.getMeasurement().getTime().convertTo(java.util.concurrent.TimeUnit.NANOSECONDS)
                  / 1e9;
          cpuSeconds += iteration.getSecondaryResults().get("cpuNanos").getScore() / 1e9;
        }
      }
      double share = wallSeconds > 0 ? Math.min(1, cpuSeconds / wallSeconds) : 1;
      rows.add(new Row(histogram, events, wall, error * events / 1e6, wall / share, share));
    }
    return rows;
  }

  private static double loadAverage() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  private static String cpuModel() {
    try (Stream<String> lines = Files.lines(Paths.get("/proc/cpuinfo"))) {
      return lines
          .filter(l -> l.startsWith("model name"))
          .map(l -> l.substring(l.indexOf(':') + 1).trim())
          .findFirst()
          .orElse("unknown CPU");
    } catch (IOException e) {
      return "unknown CPU";
    }
  }

  private static String format(double value, int decimals) {
    return String.format(Locale.ROOT, "%,." + decimals + "f", value);
  }
}
