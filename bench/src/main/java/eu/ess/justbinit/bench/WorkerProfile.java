package eu.ess.justbinit.bench;

import eu.ess.justbinit.testkit.EmbeddedKafka;
import eu.ess.justbinit.wire.rpc.WorkerContract;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The profile phase: where a worker's time goes, from one catch-up (or K at once) with every worker
 * JVM recording JFR, summed up for its start-up and for its catch-up. Called from the bench's main
 * thread.
 */
final class WorkerProfile {
  private final BenchOptions options;

  WorkerProfile(BenchOptions options) {
    this.options = options;
  }

  /** The catch-up of {@link BenchOptions#profile()} recorded; its summary as markdown. */
  String measure(EmbeddedKafka kafka, ServiceLauncher launcher)
      throws IOException, InterruptedException {
    String profile = options.profile();
    String workerJvmOptions = options.workerJvmOptions();
    String[] parts = profile.split(":", -1);
    HistogramType type = HistogramType.of(parts[0]);
    Workload workload = Workload.named(parts.length > 1 ? parts[1] : "A", options.scale());
    int histograms = parts.length > 2 ? Integer.parseInt(parts[2]) : 1;
    // A directory: every worker JVM started with these options records, the spares too, each to a
    // file named for its pid; one shared file would be the last one to exit's.
    Path recordings = Files.createDirectories(launcher.runDir().resolve("worker-jfr"));
    String jvmOptions =
        // Without options of our own, the controller's default (just-bin-it --help).
        (workerJvmOptions == null ? WorkerContract.DEFAULT_JVM_OPTIONS : workerJvmOptions)
            // Java code sampled every millisecond: at the profile's 10 ms, a 0.4 s catch-up gave
            // ten samples.
            + " -XX:StartFlightRecording=settings=profile,method-profiling=max,dumponexit=true,"
            + "filename="
            + recordings;
    System.out.println("profiling " + profile + ", load " + Machine.loadAverage());
    double rate;
    long firstNs;
    try (Service service = launcher.start(options.catchUpIntervalMs(), jvmOptions);
        HistogramWatch watch = launcher.watch()) {
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
            jvmOptions.replace(recordings.toString(), "worker-jfr"),
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
}
