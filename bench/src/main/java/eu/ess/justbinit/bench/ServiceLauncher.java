package eu.ess.justbinit.bench;

import eu.ess.justbinit.testkit.EmbeddedKafka;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Starts the service under test the way every phase does: the controller's classpath and spare
 * workers from the options, its log in the run's directory. Called from the bench's main thread.
 *
 * @param options the bench's options
 * @param kafka the broker the service reads from and writes to
 * @param runDir the directory of this bench run's logs
 */
record ServiceLauncher(BenchOptions options, EmbeddedKafka kafka, Path runDir) {

  /**
   * Starts the controller with this publish interval and worker JVM options (null: its default).
   */
  Service start(long intervalMs, String jvmOptions) throws IOException, InterruptedException {
    return Service.start(
        options.controllerClasspath(),
        kafka,
        intervalMs,
        jvmOptions,
        options.spareWorkers(),
        runDir.resolve("controller-" + intervalMs + "-" + System.nanoTime() + ".log"));
  }

  /** A watch of the histogram topic the phases' configs publish to. */
  HistogramWatch watch() {
    return new HistogramWatch(kafka.clientProperties(), CatchUp.HISTOGRAM_TOPIC);
  }
}
