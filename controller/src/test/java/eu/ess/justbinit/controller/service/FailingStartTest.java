package eu.ess.justbinit.controller.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.ess.justbinit.controller.supervisor.WorkerInfo;
import eu.ess.justbinit.testkit.EmbeddedKafka;
import eu.ess.justbinit.testkit.KafkaBrokerExtension;
import eu.ess.justbinit.testkit.ProcessLevel;
import eu.ess.justbinit.testkit.PublishedHistogram;
import eu.ess.justbinit.testkit.PublishedHistograms;
import eu.ess.justbinit.wire.rpc.HistogramState;
import eu.ess.justbinit.wire.rpc.WorkerContract;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A histogram whose real worker JVM dies at every start (its 100,000,000 bins do not fit the
 * workers' 128 MB heap) ends in ERROR with the reason published, while the other histogram of the
 * same config keeps counting.
 */
@ExtendWith(KafkaBrokerExtension.class)
@ProcessLevel
class FailingStartTest {
  @Test
  void aWorkerThatFailsAtEveryStartEndsInErrorAndTheOthersKeepCounting(EmbeddedKafka kafka) {
    try (ServiceHarness service =
        new ServiceHarness(kafka, UnaryOperator.identity(), WorkerContract.MAIN_CLASS, true)) {
      service.awaitListening();
      String data = service.prefix + "data";
      String out = service.prefix + "out";
      kafka.createTopic(data, 1);
      kafka.createTopic(out, 1);
      String broker = kafka.bootstrapServers();
      // 100,000,000 bins: 800 MB of counts.
      String tooLarge =
          KnownEvents.HIST1D
              .formatted(broker, data, out, "too-large")
              .replace("\"num_bins\": 10,", "\"num_bins\": 100000000,");
      PublishedHistograms published =
          service.configure(
              out, tooLarge, KnownEvents.HIST1D.formatted(broker, data, out, "steady"));

      KnownEvents events = new KnownEvents(2);
      service.send(data, 0, events.next(1000), null);

      PublishedHistogram error =
          published.await("too-large", "ERROR", h -> h.state().equals("ERROR"));
      String reason = error.info().path("error_message").asText();
      assertTrue(reason.contains("failed to start 5 times"), reason);
      assertTrue(reason.contains("OutOfMemoryError"), reason);
      WorkerInfo failed = service.controller.workers().get(0);
      assertEquals(HistogramState.ERROR, failed.state());
      assertEquals(-1, failed.pid());

      service.send(data, 0, events.next(1000), null);
      PublishedHistogram steady =
          published.await("steady", "every event counted", h -> h.sum() >= events.expectedSum());
      assertArrayEquals(events.expected(), steady.counts());
      assertEquals("COUNTING", steady.state());
      WorkerInfo other = service.controller.workers().get(1);
      assertEquals(HistogramState.COUNTING, other.state());
      assertEquals(0, other.restarts());
    }
  }
}
