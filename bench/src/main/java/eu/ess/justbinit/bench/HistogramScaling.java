package eu.ess.justbinit.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The scaling phase: K hist1d histograms of one workload at once, K doubling up to the machine's
 * cores, their aggregate rate against one alone and against K plain readers at once, and where the
 * cores went (the broker's share, the machine's). Called from the bench's main thread.
 */
final class HistogramScaling {
  private final BenchOptions options;
  private final Results results;
  private final ReadCeilingRuns readers;

  /**
   * @param readers the plain readers that read K at once beside each K
   */
  HistogramScaling(BenchOptions options, Results results, ReadCeilingRuns readers) {
    this.options = options;
    this.results = results;
    this.readers = readers;
  }

  /**
   * Every K, {@link BenchOptions#repeats()} times; adds one row per K above one to {@code targets}.
   *
   * @param brokerPid the broker's process, whose CPU time is its share
   */
  void measure(CatchUp catchUp, long brokerPid, List<String> targets)
      throws IOException, InterruptedException {
    int repeats = options.repeats();
    Workload workload = options.scalingWorkload();
    int cores = Runtime.getRuntime().availableProcessors();
    System.out.println("scaling on " + workload.name() + ", load " + Machine.loadAverage());
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
}
