package eu.ess.justbinit.tools.generator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.ess.justbinit.testkit.EmbeddedKafka;
import eu.ess.justbinit.testkit.KafkaBrokerExtension;
import eu.ess.justbinit.testkit.ProcessLevel;
import eu.ess.justbinit.tools.kafka.TopicRecords;
import eu.ess.justbinit.wire.codec.CodecException;
import eu.ess.justbinit.wire.codec.EventDecoder;
import eu.ess.justbinit.wire.codec.EventMessage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import picocli.CommandLine;

@ExtendWith(KafkaBrokerExtension.class)
@ProcessLevel
class GenerateEventDataTest {
  private final ByteArrayOutputStream output = new ByteArrayOutputStream();

  @Test
  void sendsTheMessagesAndEventsAskedForAndSaysSo(EmbeddedKafka kafka) throws CodecException {
    kafka.createTopic("generator-ev44", 1);

    int status =
        run(kafka, "-t", "generator-ev44", "-n", "6", "--num-events", "2000", "--rate", "0");

    assertEquals(0, status);
    List<EventMessage> messages = decode(TopicRecords.read(kafka, "generator-ev44", 6));
    assertEquals(6, messages.size());
    Set<Long> ids = new HashSet<>();
    long previousTime = 0;
    double tofSum = 0;
    for (EventMessage message : messages) {
      assertEquals("ev44", message.schema());
      assertEquals("just-bin-it", message.sourceName());
      assertEquals(2000, message.eventCount());
      ids.add(message.messageId());
      assertTrue(message.referenceTimeNs(0) > previousTime, "reference times increase");
      previousTime = message.referenceTimeNs(0);
      for (int i = 0; i < message.eventCount(); i++) {
        tofSum += message.timeOfFlight().get(i);
      }
    }
    assertEquals(Set.of(1L, 2L, 3L, 4L, 5L, 6L), ids);
    // The original's Gaussian: centred on 50,000,000 ns (mean of 12,000 draws: sd 91,000 ns).
    assertEquals(50_000_000, tofSum / 12_000, 1_000_000);
    String summary = output.toString(StandardCharsets.UTF_8);
    assertTrue(summary.contains("Sent 6 messages, 12000 events"), summary);
    assertTrue(
        summary.contains("First timestamp = " + messages.get(0).referenceTimeNs(0)), summary);
    assertTrue(summary.contains("last timestamp = " + previousTime), summary);
  }

  @Test
  void writesEv42AndDetectorMapsOnRequest(EmbeddedKafka kafka) throws CodecException {
    kafka.createTopic("generator-ev42-map", 1);

    int status =
        run(
            kafka,
            "-t",
            "generator-ev42-map",
            "-n",
            "2",
            "-ne",
            "10000",
            "--det-hist",
            "--schema",
            "ev42",
            "--source",
            "freia",
            "--rate",
            "0");

    assertEquals(0, status);
    List<EventMessage> messages = decode(TopicRecords.read(kafka, "generator-ev42-map", 2));
    assertEquals(2, messages.size());
    EventMessage message = messages.get(0);
    assertEquals("ev42", message.schema());
    assertEquals("freia", message.sourceName());
    assertEquals(10_000, message.eventCount());
    // Detector-map ids: the mean pixel id lies at row 49.5, column 50 (sd of the mean: 29).
    double pixelSum = 0;
    for (int i = 0; i < message.eventCount(); i++) {
      pixelSum += message.pixelId().get(i);
    }
    assertEquals(4_950 + 50, pixelSum / message.eventCount(), 150);
  }

  @Test
  void refusesANegativeCount(EmbeddedKafka kafka) {
    assertEquals(2, run(kafka, "-t", "unused", "-n", "-1"));
  }

  private int run(EmbeddedKafka kafka, String... options) {
    List<String> args = new ArrayList<>(List.of("-b", kafka.bootstrapServers()));
    args.addAll(List.of(options));
    return new CommandLine(
            new GenerateEventData(new PrintStream(output, true, StandardCharsets.UTF_8)))
        .execute(args.toArray(String[]::new));
  }

  private static List<EventMessage> decode(List<ConsumerRecord<byte[], byte[]>> records)
      throws CodecException {
    List<EventMessage> messages = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> record : records) {
      // A decoder reuses its one message: one decoder per record keeps them all.
      messages.add(new EventDecoder().decode(ByteBuffer.wrap(record.value())));
    }
    return messages;
  }
}
