package eu.ess.justbinit.bench;

import eu.ess.justbinit.testkit.EmbeddedKafka;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.OptionalDouble;

/**
 * The live phase: a steady 14 messages/s into a running hist1d, the latency from each message's
 * send to the first histogram that counts it, and the worker's memory idle and under that load,
 * against the controller's own publish interval. Called from the bench's main thread.
 */
final class LiveLatencyRuns {
  private final BenchOptions options;
  private final Results results;

  LiveLatencyRuns(BenchOptions options, Results results) {
    this.options = options;
    this.results = results;
  }

  /** Its own service, {@link BenchOptions#repeats()} runs; adds its rows to {@code targets}. */
  void measure(EmbeddedKafka kafka, ServiceLauncher launcher, List<String> targets)
      throws IOException, InterruptedException {
    System.out.println("live latency, load " + Machine.loadAverage());
    int liveEvents = options.liveEvents();
    long liveIntervalMs = options.liveIntervalMs();
    EventData events = new EventData(liveEvents, 14);
    try (Service service = launcher.start(liveIntervalMs, options.workerJvmOptions());
        HistogramWatch watch = launcher.watch()) {
      CatchUp catchUp = new CatchUp(service, watch, kafka.bootstrapServers());
      LiveLatency latency = new LiveLatency(kafka, service, watch, catchUp);
      for (int run = 1; run <= options.repeats(); run++) {
        LiveLatency.Outcome o =
            latency.run(
                "live-r" + run + "-" + System.nanoTime(),
                Duration.ofSeconds(options.liveSeconds()),
                events);
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
}
