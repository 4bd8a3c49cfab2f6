package eu.ess.justbinit.testkit;

import static eu.ess.justbinit.testkit.PublishedHistogramTest.hs01;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The shared readers find histograms on a real topic by id, by order and by condition. */
@ExtendWith(KafkaBrokerExtension.class)
@ProcessLevel
class PublishedHistogramsTest {
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  @Test
  void findsTheLatestAndEveryHistogramOfAnId(EmbeddedKafka kafka) throws Exception {
    String topic = "histograms-" + UUID.randomUUID();
    kafka.createTopic(topic, 1);
    send(
        kafka, topic, hs01("a", "COUNTING", 1), hs01("b", "COUNTING", 5), hs01("a", "FINISHED", 2));
    List<Integer> checked = new ArrayList<>();
    try (TopicReader reader = new TopicReader(kafka.clientProperties(), topic, PATIENCE);
        PublishedHistograms published =
            new PublishedHistograms(reader, PATIENCE, bytes -> checked.add(bytes.length))) {
      assertEquals(3, reader.awaitCount(3).size());
      assertEquals("FINISHED", published.await("a", "finished", h -> h.sum() == 2).state());
      assertEquals("COUNTING", published.awaitAny("a", "the first", h -> h.sum() == 1).state());
      assertEquals("b", published.awaitAny("five events", h -> h.sum() == 5).id());
      assertEquals(2, published.all("a").size());
      assertEquals(3, published.seen().size());
      assertEquals("a", published.last().id());
      assertEquals(3, checked.size(), "each message checked once");
      assertTrue(published.latest("none").isEmpty());
      assertEquals(topic, reader.topic());
    }
  }

  @Test
  void aWaitThatEndsUnsatisfiedSaysWhatItSawLast(EmbeddedKafka kafka) throws Exception {
    String topic = "histograms-" + UUID.randomUUID();
    kafka.createTopic(topic, 1);
    send(kafka, topic, hs01("a", "COUNTING", 1));
    try (PublishedHistograms published = PublishedHistograms.of(kafka, topic, PATIENCE)) {
      published.awaitAny("a", "anything", h -> true);
      try (PublishedHistograms impatient =
          new PublishedHistograms(
              new TopicReader(kafka.clientProperties(), topic, PATIENCE), Duration.ofMillis(1))) {
        AssertionError error =
            assertThrows(AssertionError.class, () -> impatient.await("a", "finished", h -> false));
        assertTrue(error.getMessage().contains("a: finished; latest: "), error.getMessage());
      }
    }
  }

  private static void send(EmbeddedKafka kafka, String topic, byte[]... values) throws Exception {
    try (KafkaProducer<byte[], byte[]> producer =
        EmbeddedKafkaTest.producer(kafka.clientProperties())) {
      for (byte[] value : values) {
        producer.send(new ProducerRecord<>(topic, value)).get();
      }
    }
  }
}
