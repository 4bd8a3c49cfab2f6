package eu.ess.justbinit.tools.sendcommand;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import eu.ess.justbinit.testkit.EmbeddedKafka;
import eu.ess.justbinit.testkit.KafkaBrokerExtension;
import eu.ess.justbinit.testkit.ProcessLevel;
import eu.ess.justbinit.tools.cli.ToolCommandLine;
import eu.ess.justbinit.tools.kafka.TopicRecords;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(KafkaBrokerExtension.class)
@ProcessLevel
class SendCommandTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static int topics;

  private final ByteArrayOutputStream output = new ByteArrayOutputStream();
  private EmbeddedKafka kafka;
  private String configTopic;
  private String responseTopic;
  private FakeResponder responder;
  private Thread responding;

  @BeforeEach
  void startResponder(EmbeddedKafka kafka) {
    this.kafka = kafka;
    topics++;
    configTopic = "send-command-config-" + topics;
    responseTopic = "send-command-response-" + topics;
    kafka.createTopics(1, configTopic, responseTopic);
    responder = new FakeResponder();
    responding = new Thread(responder::run, "fake-responder");
    responding.start();
  }

  @AfterEach
  void stopResponder() throws InterruptedException {
    responder.consumer.wakeup();
    responding.join();
  }

  @Test
  void acknowledgedCommandExitsZeroAndGetsAMessageId() {
    int status = run(stdin("{\"cmd\": \"config\", \"histograms\": []}"));

    assertEquals(0, status, output());
    assertEquals(1, responder.commands.size());
    JsonNode command = responder.commands.get(0);
    assertEquals("config", command.get("cmd").asText());
    assertTrue(command.hasNonNull("msg_id"), "a msg_id was added: " + command);
    assertTrue(output().contains("\"response\":\"ACK\""), output());
  }

  @Test
  void refusedCommandExitsOneAndPrintsTheMessage(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("command.json");
    Files.writeString(file, "{\"cmd\": \"conf\", \"msg_id\": \"mine-1\"}");

    int status = run(stdin(""), file.toString());

    assertEquals(1, status, output());
    assertEquals("mine-1", responder.commands.get(0).get("msg_id").asText(), "kept its msg_id");
    assertTrue(output().contains("Unknown command type 'conf'"), output());
    assertFalse(output().contains("someone else's"), "another command's response is passed over");
  }

  @Test
  void noResponseExitsTwo() {
    int status = run(stdin("{\"cmd\": \"ignored\"}"), "--timeout", "1.5");

    assertEquals(2, status, output());
    assertTrue(output().contains("no response within"), output());
  }

  @Test
  void invalidJsonIsNotSent() {
    int status = run(stdin("{\"cmd\": "));

    assertEquals(3, status);
    assertTrue(responder.commands.isEmpty());
  }

  private int run(ByteArrayInputStream in, String... args) {
    List<String> all =
        new ArrayList<>(
            List.of("-b", kafka.bootstrapServers(), "-t", configTopic, "-rt", responseTopic));
    all.addAll(List.of(args));
    return ToolCommandLine.of(
            new SendCommand(in, new PrintStream(output, true, StandardCharsets.UTF_8)))
        .execute(all.toArray(String[]::new));
  }

  private static ByteArrayInputStream stdin(String text) {
    return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
  }

  private String output() {
    return output.toString(StandardCharsets.UTF_8);
  }

  /**
   * Answers as just-bin-it would: ACK to config, ERR to an unknown cmd with a msg_id, nothing to
   * "ignored"; before each answer, a response to some other command.
   */
  private final class FakeResponder {
    final List<JsonNode> commands = new CopyOnWriteArrayList<>();
    final KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            kafka.clientProperties(), new ByteArrayDeserializer(), new ByteArrayDeserializer());

    void run() {
      try (consumer) {
        TopicPartition partition = new TopicPartition(configTopic, 0);
        consumer.assign(List.of(partition));
        consumer.seekToBeginning(List.of(partition));
        while (true) {
          for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
            answer(MAPPER.readTree(record.value()));
          }
        }
      } catch (WakeupException e) {
        // The test is over.
      } catch (IOException e) {
        throw new IllegalStateException("the command is not JSON", e);
      }
    }

    private void answer(JsonNode command) throws IOException {
      commands.add(command);
      String cmd = command.path("cmd").asText();
      if (cmd.equals("ignored")) {
        return;
      }
      ObjectNode other = MAPPER.createObjectNode();
      other.put("msg_id", "someone-else").put("response", "ERR").put("message", "someone else's");
      ObjectNode response = MAPPER.createObjectNode();
      response.set("msg_id", command.get("msg_id"));
      if (cmd.equals("config")) {
        response.put("response", "ACK");
      } else {
        response.put("response", "ERR").put("message", "Unknown command type '" + cmd + "'");
      }
      TopicRecords.write(
          kafka,
          responseTopic,
          MAPPER.writeValueAsBytes(other),
          MAPPER.writeValueAsBytes(response));
    }
  }
}
