package eu.ess.justbinit.worker.standby;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.ess.justbinit.testkit.EmbeddedKafka;
import eu.ess.justbinit.testkit.KafkaBrokerExtension;
import eu.ess.justbinit.testkit.ProcessLevel;
import eu.ess.justbinit.wire.rpc.Standby;
import eu.ess.justbinit.worker.io.TestTopics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A spare's rehearsal against the real broker: what it reads of the rehearsal topic. */
@ExtendWith(KafkaBrokerExtension.class)
@ProcessLevel
class ClientWarmupTest {
  @Test
  void theLastHundredMessagesOfTheRehearsalTopicAreReadOncePerPass(EmbeddedKafka kafka)
      throws Exception {
    String heartbeats = TestTopics.topic(kafka, 1);
    TestTopics.send(kafka, heartbeats, 0, null, 150);

    int read = ClientWarmup.run(kafka.clientSettings(), "warmup-test", heartbeats);

    assertEquals(0, read % 100, "whole passes over the tail: " + read);
    assertTrue(read > 100 && read <= 100 * ClientWarmup.TAIL_PASSES, "passes: " + read / 100.0);
  }

  @Test
  void aShortTopicIsReadWhole(EmbeddedKafka kafka) throws Exception {
    String heartbeats = TestTopics.topic(kafka, 1);
    TestTopics.send(kafka, heartbeats, 0, null, 3);

    int read = ClientWarmup.run(kafka.clientSettings(), "warmup-test", heartbeats);

    assertEquals(0, read % 3, "whole passes over the topic: " + read);
    assertTrue(read > 3, "passes: " + read / 3.0);
  }

  @Test
  void aHistogramWaitingCutsTheRehearsalToOnePass(EmbeddedKafka kafka) throws Exception {
    String heartbeats = TestTopics.topic(kafka, 1);
    TestTopics.send(kafka, heartbeats, 0, null, 150);

    int read = ClientWarmup.run(kafka.clientSettings(), "warmup-test", heartbeats, () -> true);

    assertEquals(100, read, "the tail once");
  }

  @Test
  void aSpareTakenBeforeItsRehearsalSkipsItAndSaysSo(EmbeddedKafka kafka) {
    Standby standby =
        Standby.newBuilder()
            .putAllOutputKafka(kafka.clientSettings())
            .setRehearsalTopic("")
            .build();

    assertFalse(Rehearsal.run(standby, "rehearsal-test", () -> true));
    assertTrue(Rehearsal.run(standby, "rehearsal-test", () -> false));
  }

  @Test
  void noRehearsalTopicOrAMissingOneReadsNothing(EmbeddedKafka kafka) throws Exception {
    TestTopics.send(kafka, TestTopics.topic(kafka, 1), 0, null, 3);

    assertEquals(0, ClientWarmup.run(kafka.clientSettings(), "warmup-test", ""));
    assertEquals(0, ClientWarmup.run(kafka.clientSettings(), "warmup-test", "no-such-topic"));
  }
}
