package eu.ess.justbinit.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import eu.ess.justbinit.testkit.EmbeddedKafka;
import eu.ess.justbinit.testkit.KafkaBrokerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A spare's rehearsal against the real broker: what it reads of the rehearsal topic. */
@ExtendWith(KafkaBrokerExtension.class)
class ClientWarmupTest {
  @Test
  void theLastHundredMessagesOfTheRehearsalTopicAreRead(EmbeddedKafka kafka) throws Exception {
    String heartbeats = KafkaEventSourceTest.topic(kafka, 1);
    KafkaEventSourceTest.send(kafka, heartbeats, 0, null, 150);

    int read = ClientWarmup.run(kafka.clientSettings(), "warmup-test", heartbeats);

    assertEquals(100, read);
  }

  @Test
  void aShortTopicIsReadWhole(EmbeddedKafka kafka) throws Exception {
    String heartbeats = KafkaEventSourceTest.topic(kafka, 1);
    KafkaEventSourceTest.send(kafka, heartbeats, 0, null, 3);

    assertEquals(3, ClientWarmup.run(kafka.clientSettings(), "warmup-test", heartbeats));
  }

  @Test
  void noRehearsalTopicOrAMissingOneReadsNothing(EmbeddedKafka kafka) throws Exception {
    KafkaEventSourceTest.send(kafka, KafkaEventSourceTest.topic(kafka, 1), 0, null, 3);

    assertEquals(0, ClientWarmup.run(kafka.clientSettings(), "warmup-test", ""));
    assertEquals(0, ClientWarmup.run(kafka.clientSettings(), "warmup-test", "no-such-topic"));
  }
}
