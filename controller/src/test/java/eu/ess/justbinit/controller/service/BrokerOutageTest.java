package eu.ess.justbinit.controller.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import eu.ess.justbinit.testkit.EmbeddedKafka;
import eu.ess.justbinit.testkit.ProcessLevel;
import eu.ess.justbinit.testkit.PublishedHistogram;
import eu.ess.justbinit.testkit.PublishedHistograms;
import eu.ess.justbinit.wire.rpc.WorkerContract;
import java.util.function.UnaryOperator;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * The broker stopped under a running histogram: started again (same ports, same data), the service
 * and its worker carry on, and the histogram ends with exactly the events produced; left down, the
 * service still stops when told. The broker is each test's own: the shared one must not go away
 * under other tests.
 */
@ProcessLevel
class BrokerOutageTest {
  private static final Logger LOG = Logger.getLogger(BrokerOutageTest.class.getName());

  @Test
  void aHistogramResumesAfterTheBrokerRestartsAndEndsWithExactCounts() {
    try (EmbeddedKafka kafka = EmbeddedKafka.builder().start();
        ServiceHarness service = serviceOf(kafka)) {
      String data = service.prefix + "data";
      PublishedHistograms published = countingHistogramH(kafka, service, data, 2);

      KnownEvents events = new KnownEvents(5);
      for (int i = 0; i < 10; i++) {
        service.send(data, i % 2, events.next(1000), null);
      }
      long before = events.expectedSum();
      published.await("h", "the events before the outage", h -> h.sum() == before);

      kafka.stop();
      kafka.start();
      for (int i = 0; i < 10; i++) {
        service.send(data, i % 2, events.next(1000), null);
      }
      long sum = events.expectedSum();
      PublishedHistogram after =
          published.await("h", "all " + sum + " events", h -> h.sum() >= sum);
      assertArrayEquals(events.expected(), after.counts());
      assertEquals("COUNTING", after.state());
      LOG.info(() -> "Workers after the outage: " + service.controller.workers());

      service.command("{\"cmd\": \"stop\", \"msg_id\": \"stop\"}");
      PublishedHistogram finished =
          published.await("h", "FINISHED", h -> h.state().equals("FINISHED"));
      assertArrayEquals(events.expected(), finished.counts());
    }
  }

  /**
   * Stopping sends what no broker can take any more (the final histogram, a heartbeat): the
   * controller gives up on it instead of waiting out the producer's delivery timeout (2 min, more
   * than the harness's patience).
   */
  @Test
  void theServiceStopsWhileTheBrokerIsDown() {
    try (EmbeddedKafka kafka = EmbeddedKafka.builder().start();
        ServiceHarness service = serviceOf(kafka)) {
      String data = service.prefix + "data";
      PublishedHistograms published = countingHistogramH(kafka, service, data, 1);
      KnownEvents events = new KnownEvents(5);
      service.send(data, 0, events.next(1000), null);
      long sum = events.expectedSum();
      published.await("h", "the events sent", h -> h.sum() == sum);

      kafka.stop();

      assertEquals(0, service.stop());
    }
  }

  /** The real service with real workers, on this test's own broker. */
  private static ServiceHarness serviceOf(EmbeddedKafka kafka) {
    return new ServiceHarness(kafka, UnaryOperator.identity(), WorkerContract.MAIN_CLASS, true);
  }

  /** Configures the hist1d "h" of {@code data}, a new topic of {@code partitions}. */
  private static PublishedHistograms countingHistogramH(
      EmbeddedKafka kafka, ServiceHarness service, String data, int partitions) {
    service.awaitListening();
    String out = service.prefix + "out";
    kafka.createTopic(data, partitions);
    kafka.createTopic(out, 1);
    return service.configure(
        out, KnownEvents.HIST1D.formatted(kafka.bootstrapServers(), data, out, "h"));
  }
}
