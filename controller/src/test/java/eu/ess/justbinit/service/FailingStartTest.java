package eu.ess.justbinit.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.ess.justbinit.rpc.HistogramState;
import eu.ess.justbinit.supervisor.WorkerInfo;
import eu.ess.justbinit.supervisor.WorkerSettings;
import eu.ess.justbinit.testkit.EmbeddedKafka;
import eu.ess.justbinit.testkit.KafkaBrokerExtension;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A histogram whose real worker JVM dies at every start (its 100,000,000 bins do not fit the
 * workers' 128 MB heap) ends in ERROR with the reason published, while the other histogram of the
 * same config keeps counting.
 */
@ExtendWith(KafkaBrokerExtension.class)
class FailingStartTest {
  @Test
  void aWorkerThatFailsAtEveryStartEndsInErrorAndTheOthersKeepCounting(EmbeddedKafka kafka) {
    try (ServiceHarness service =
        new ServiceHarness(kafka, UnaryOperator.identity(), WorkerSettings.WORKER_MAIN, true)) {
      service.awaitListening();
      String data = service.prefix + "data";
      String out = service.prefix + "out";
      kafka.createTopic(data, 1);
      kafka.createTopic(out, 1);
      ServiceHarness.TopicReader responses = service.reader(service.responseTopic);
      PublishedHistograms published = new PublishedHistograms(service.reader(out));
      String broker = kafka.bootstrapServers();
      String tooLarge =
          """
          {"type": "hist1d", "data_brokers": ["%s"], "data_topics": ["%s"], "tof_range": [0, 1000],
           "num_bins": 100000000, "topic": "%s", "id": "too-large"}"""
              .formatted(broker, data, out);
      service.command(
          """
          {"cmd": "config", "msg_id": "go", "output_schema": "hs01", "histograms": [%s, %s]}"""
              .formatted(tooLarge, KnownEvents.HIST1D.formatted(broker, data, out, "steady")));
      responses.await("the ACK", r -> ServiceHarness.text(r).contains("\"ACK\""));

      KnownEvents events = new KnownEvents(2);
      service.send(data, 0, events.next(1000), null);

      PublishedHistograms.Published error =
          published.await("too-large", "ERROR", h -> h.state().equals("ERROR"));
      String reason = error.info().path("error_message").asText();
      assertTrue(reason.contains("failed to start 5 times"), reason);
      assertTrue(reason.contains("OutOfMemoryError"), reason);
      WorkerInfo failed = service.controller.workers().get(0);
      assertEquals(HistogramState.ERROR, failed.state());
      assertEquals(-1, failed.pid());

      service.send(data, 0, events.next(1000), null);
      PublishedHistograms.Published steady =
          published.await("steady", "every event counted", h -> h.sum() >= events.expectedSum());
      assertArrayEquals(events.expected(), steady.counts());
      assertEquals("COUNTING", steady.state());
      WorkerInfo other = service.controller.workers().get(1);
      assertEquals(HistogramState.COUNTING, other.state());
      assertEquals(0, other.restarts());
    }
  }
}
