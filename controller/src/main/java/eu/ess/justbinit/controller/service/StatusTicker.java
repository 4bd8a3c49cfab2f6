package eu.ess.justbinit.controller.service;

import eu.ess.justbinit.common.logging.Unawaited;
import eu.ess.justbinit.controller.status.GraphitePublisher;
import eu.ess.justbinit.controller.status.HeartbeatPublisher;
import eu.ess.justbinit.controller.status.SoftwareVersion;
import eu.ess.justbinit.controller.supervisor.WorkerInfo;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.kafka.clients.producer.Producer;

/**
 * The service's status once a second: the heartbeat on its topic and the statistics to Graphite,
 * each as the settings ask, from what the supervisor reports of its histograms. The controller's
 * thread starts and closes it; the publishing runs on two daemon threads of its own ({@code
 * just-bin-it-ticker}). It takes no lock (each publisher guards itself), and a publication that
 * fails is logged, never lost with its scheduled future.
 */
final class StatusTicker implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(StatusTicker.class.getName());

  /** Graphite gets the statistics as often as the heartbeat goes out. */
  private static final long STATISTICS_INTERVAL_MS = 1000;

  private final ScheduledExecutorService ticker =
      Executors.newScheduledThreadPool(2, StatusTicker::daemon);

  private StatusTicker() {}

  /**
   * Starts publishing what {@code histograms} tells: the heartbeat through {@code producer} at once
   * and every second after, the statistics from a second on.
   */
  static StatusTicker start(
      ControllerSettings settings,
      Producer<byte[], byte[]> producer,
      Clock clock,
      Supplier<List<WorkerInfo>> histograms) {
    StatusTicker status = new StatusTicker();
    settings
        .heartbeatTopic()
        .ifPresent(
            topic -> {
              HeartbeatPublisher heartbeat =
                  switch (settings.heartbeatFormat()) {
                    case X5F2 ->
                        HeartbeatPublisher.x5f2(
                            producer,
                            topic,
                            clock,
                            SoftwareVersion.version(),
                            settings.configTopic());
                    case JSON -> HeartbeatPublisher.json(producer, topic, clock);
                  };
              status.every(
                  "heartbeat",
                  0,
                  HeartbeatPublisher.INTERVAL_MS,
                  () -> heartbeat.publish(histograms.get()));
            });
    settings
        .graphite()
        .ifPresent(
            graphite -> {
              GraphitePublisher statistics =
                  new GraphitePublisher(
                      graphite.address(), graphite.port(), graphite.prefix(), graphite.metric());
              status.every(
                  "statistics",
                  STATISTICS_INTERVAL_MS,
                  STATISTICS_INTERVAL_MS,
                  () -> statistics.publish(histograms.get()));
            });
    return status;
  }

  private void every(String what, long initialDelayMs, long periodMs, Runnable publish) {
    var unused =
        ticker.scheduleAtFixedRate(
            Unawaited.task(LOG, "publishing the " + what, () -> guarded(what, publish)),
            initialDelayMs,
            periodMs,
            TimeUnit.MILLISECONDS);
  }

  /** A periodic task that throws is cancelled by its executor: keep it alive. */
  private static void guarded(String what, Runnable publish) {
    try {
      publish.run();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Could not publish the " + what, e);
    }
  }

  /** Stops publishing; a publication under way is interrupted. */
  @Override
  public void close() {
    ticker.shutdownNow();
  }

  private static Thread daemon(Runnable runnable) {
    Thread thread = new Thread(runnable, "just-bin-it-ticker");
    thread.setDaemon(true);
    return thread;
  }
}
