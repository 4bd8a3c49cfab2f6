package eu.ess.justbinit.worker.link;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.Collection;
import java.util.Locale;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs {@link CheckpointBenchmark} and writes its results as markdown. Started by
 * scripts/bench-checkpoint; runs on the main thread only.
 */
public final class CheckpointBenchmarkReport {
  private CheckpointBenchmarkReport() {}

  /** Arguments: the markdown file to write, then "quick" to run fewer iterations (a smoke run). */
  public static void main(String[] args) throws RunnerException, IOException {
    Path out = Paths.get(args[0]);
    boolean quick = args.length > 1 && args[1].equals("quick");
    double loadBefore = loadAverage();
    Collection<RunResult> results =
        new Runner(
                new OptionsBuilder()
                    .include(CheckpointBenchmark.class.getName() + "\\.")
                    .forks(quick ? 1 : 2)
                    .warmupIterations(quick ? 2 : 5)
                    .warmupTime(TimeValue.seconds(1))
                    .measurementIterations(quick ? 3 : 10)
                    .measurementTime(TimeValue.seconds(1))
                    .build())
            .run();
    double loadAfter = loadAverage();
    int bytes =
        CheckpointBenchmark.checkpoint(CheckpointBenchmark.filled().snapshotForPublish())
            .getSerializedSize();

    StringBuilder md = new StringBuilder();
    md.append("# Checkpoint benchmark\n\n")
        .append("Written by `scripts/bench-checkpoint` (JMH, `CheckpointBenchmark` in the worker's")
        .append(" tests) on ")
        .append(Instant.now())
        .append(".\n\n")
        .append("Machine: ")
        .append(Runtime.getRuntime().availableProcessors())
        .append(" cores; ")
        .append(System.getProperty("java.vm.name"))
        .append(' ')
        .append(System.getProperty("java.version"))
        .append(". Load average (1 min) before the run ")
        .append(format(loadBefore))
        .append(", after ")
        .append(format(loadAfter))
        .append(". ")
        .append(quick ? "1 fork x 3" : "2 forks x 10")
        .append(" iterations of 1 s after warm-up.\n\n")
        .append("What a checkpoint of a 1000 x 1000 detector histogram (1,000,000 bins, five")
        .append(" million events) costs the worker, step by step. The message is ")
        .append(String.format(Locale.ROOT, "%,d", bytes))
        .append(" bytes.\n\n")
        .append("| step | ms per checkpoint |\n|---|---:|\n");
    for (RunResult run : results) {
      String label = run.getParams().getBenchmark();
      Result<?> primary = run.getPrimaryResult();
      double error = Double.isNaN(primary.getScoreError()) ? 0 : primary.getScoreError();
      md.append("| ")
          .append(label.substring(label.lastIndexOf('.') + 1))
          .append(" | ")
          .append(format(primary.getScore()))
          .append(" ± ")
          .append(format(error))
          .append(" |\n");
    }
    Files.writeString(out, md.toString(), StandardCharsets.UTF_8);
  }

  private static double loadAverage() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  private static String format(double value) {
    return String.format(Locale.ROOT, "%,.1f", value);
  }
}
