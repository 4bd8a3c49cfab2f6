package eu.ess.justbinit.controller.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import eu.ess.justbinit.testkit.EmbeddedKafka;
import eu.ess.justbinit.testkit.KafkaBrokerExtension;
import eu.ess.justbinit.testkit.ProcessLevel;
import eu.ess.justbinit.testkit.PublishedHistogram;
import eu.ess.justbinit.testkit.PublishedHistograms;
import eu.ess.justbinit.wire.rpc.WorkerContract;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Normal operation logs no warning: a service started, configured at once (its spare still
 * rehearsing when the histogram takes it), counting and stopped. A log reader must be able to trust
 * that a WARNING needs attention.
 */
@ExtendWith(KafkaBrokerExtension.class)
@ProcessLevel
class QuietStartTest {
  /** Collects every record at WARNING or above that this JVM logs. */
  private static final class Warnings extends Handler {
    private final List<String> seen = new ArrayList<>();

    Warnings() {
      setLevel(Level.WARNING);
    }

    @Override
    public synchronized void publish(LogRecord record) {
      if (isLoggable(record)) {
        seen.add(record.getLevel() + " " + record.getLoggerName() + ": " + record.getMessage());
      }
    }

    synchronized List<String> seen() {
      return List.copyOf(seen);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }

  @Test
  void aServiceStartedConfiguredCountingAndStoppedLogsNoWarning(EmbeddedKafka kafka) {
    Warnings warnings = new Warnings();
    Logger root = Logger.getLogger("");
    root.addHandler(warnings);
    String data = "quiet-" + System.nanoTime() + "-data";
    String out = "quiet-" + System.nanoTime() + "-out";
    kafka.createTopic(data, 1);
    kafka.createTopic(out, 1);
    try (ServiceHarness service =
        new ServiceHarness(kafka, UnaryOperator.identity(), WorkerContract.MAIN_CLASS, true)) {
      // At once: the spare is still rehearsing when the histogram takes it.
      service.awaitListening();
      PublishedHistograms published =
          service.configure(
              out, KnownEvents.HIST1D.formatted(kafka.bootstrapServers(), data, out, "h"));
      KnownEvents events = new KnownEvents(3);
      service.send(data, 0, events.next(1000), null);
      PublishedHistogram counted =
          published.await("h", "every event counted", h -> h.sum() == events.expectedSum());
      assertArrayEquals(events.expected(), counted.counts());

      service.command("{\"cmd\": \"stop\"}");
      published.await("h", "finished", h -> h.state().equals("FINISHED"));
      assertEquals(0, service.stop(), "exit code");
    } finally {
      root.removeHandler(warnings);
    }
    assertEquals(List.of(), warnings.seen());
  }
}
