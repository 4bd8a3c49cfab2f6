package eu.ess.justbinit.bench;

import java.io.IOException;
import java.util.List;
import java.util.OptionalDouble;

/**
 * The catch-up phase: one histogram of each type over each stored workload, from its config to its
 * last histogram (rate, time to the first histogram, gaps between histograms, memory, the worker's
 * CPU per thread), and the targets these figures meet. Called from the bench's main thread.
 */
final class CatchUpRates {
  private final BenchOptions options;
  private final Results results;

  CatchUpRates(BenchOptions options, Results results) {
    this.options = options;
    this.results = results;
  }

  /**
   * Every workload × type, {@link BenchOptions#repeats()} times; adds its rows to {@code targets}.
   */
  void measure(
      CatchUp catchUp, List<Workload> workloads, List<HistogramType> types, List<String> targets)
      throws IOException, InterruptedException {
    for (Workload workload : workloads) {
      for (HistogramType type : types) {
        for (int run = 1; run <= options.repeats(); run++) {
          String id =
              String.format("%s-%s-r%d-%d", workload.name(), type.key, run, System.nanoTime());
          CatchUp.Outcomes outcomes = catchUp.run(workload, type, 1, id);
          record(workload, type, run, outcomes);
        }
      }
    }
    addTargets(targets);
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

  private void addTargets(List<String> targets) {
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
            "one interval (" + options.catchUpIntervalMs() + " ms) + poll slack",
            gap.orElse(Double.MAX_VALUE) <= 2 * options.catchUpIntervalMs()));
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
}
