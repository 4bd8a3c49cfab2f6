package eu.ess.justbinit.controller.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import eu.ess.justbinit.controller.command.CommandParser;
import eu.ess.justbinit.controller.command.ConfigCommand;
import eu.ess.justbinit.controller.command.ParseResult;
import eu.ess.justbinit.controller.command.Rejection;
import eu.ess.justbinit.controller.supervisor.WorkerInfo;
import eu.ess.justbinit.testkit.EmbeddedKafka;
import eu.ess.justbinit.testkit.KafkaBrokerExtension;
import eu.ess.justbinit.testkit.ProcessLevel;
import eu.ess.justbinit.testkit.PublishedHistogram;
import eu.ess.justbinit.testkit.PublishedHistograms;
import eu.ess.justbinit.testkit.TopicReader;
import eu.ess.justbinit.wire.codec.EventEncoder;
import eu.ess.justbinit.wire.codec.HistogramEncoder;
import eu.ess.justbinit.wire.codec.StatusCodec;
import eu.ess.justbinit.wire.codec.StatusMessage;
import eu.ess.justbinit.wire.rpc.HistogramSchema;
import eu.ess.justbinit.wire.rpc.HistogramState;
import eu.ess.justbinit.wire.rpc.WorkerContract;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Future;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * 1,000 random and mutated commands and event messages thrown at a running service (real broker,
 * real workers): it stays up, every command that carries a msg_id is answered exactly once, and a
 * histogram fed valid data meanwhile counts it exactly. The seed is fixed and printed, so that a
 * failure reproduces.
 */
@ExtendWith(KafkaBrokerExtension.class)
@ProcessLevel
class FuzzedInputTest {
  private static final long SEED = Long.getLong("jbi.fuzz.seed", 20_261_124L);
  private static final int COMMANDS = 500;
  private static final int EVENT_MESSAGES = 500;
  private static final int VALID_DATA_MESSAGES = 40;

  /** One command in this many is 1 to 10 MB large. */
  private static final int HUGE_EVERY = 80;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper STRICT_JSON =
      new ObjectMapper()
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /**
   * Configs that pass the parser are refused later, by the topic check: they cost an admin call.
   */
  private static final int MAX_PARSABLE_CONFIGS = 15;

  private final SplittableRandom random = new SplittableRandom(SEED);
  private final CommandParser parser = new CommandParser(Clock.systemUTC());
  private int parsableConfigs;

  @Test
  void randomAndMutatedInputNeitherStopsTheServiceNorDisturbsAValidHistogram(EmbeddedKafka kafka)
      throws Exception {
    System.out.println("FuzzedInputTest seed: " + SEED + " (-Djbi.fuzz.seed=... to change)");
    try (ServiceHarness service =
            new ServiceHarness(kafka, UnaryOperator.identity(), WorkerContract.MAIN_CLASS, true);
        KafkaProducer<byte[], byte[]> producer = largeMessageProducer(kafka)) {
      service.awaitListening();
      String clean = service.prefix + "clean";
      String fuzzed = service.prefix + "fuzzed";
      String out = service.prefix + "out";
      kafka.createTopic(clean, 1);
      kafka.createTopic(fuzzed, 2);
      kafka.createTopic(out, 1);
      String broker = kafka.bootstrapServers();
      PublishedHistograms published =
          service.configure(
              out,
              KnownEvents.HIST1D.formatted(broker, clean, out, "exact"),
              KnownEvents.HIST1D.formatted(broker, fuzzed, out, "fuzzed"));
      TopicReader responses = service.reader(service.responseTopic);

      KnownEvents events = new KnownEvents(SEED);
      Set<String> mustAnswer = new HashSet<>();
      Set<String> mustRefuse = new HashSet<>();
      List<String> mayAnswer = new ArrayList<>();
      List<Future<RecordMetadata>> sent = new ArrayList<>();
      String template = template(broker, service.prefix + "missing", out);
      for (int i = 0; i < COMMANDS + EVENT_MESSAGES; i++) {
        if (i % ((COMMANDS + EVENT_MESSAGES) / VALID_DATA_MESSAGES) == 0) {
          sent.add(send(producer, clean, 0, events.next(100 + random.nextInt(900))));
        }
        if (i % 2 == 0) {
          String msgId = "fuzz-" + i;
          boolean huge = i / 2 % HUGE_EVERY == HUGE_EVERY / 2;
          byte[] command = huge ? huge(msgId, i / 2 / HUGE_EVERY) : command(template, msgId);
          if (huge || carriesMsgId(command, msgId)) {
            mustAnswer.add(msgId);
            if (!strictlyValid(command)) {
              mustRefuse.add(msgId);
            }
          }
          mayAnswer.add(msgId);
          sent.add(send(producer, service.commandTopic, 0, command));
        } else {
          sent.add(send(producer, fuzzed, random.nextInt(2), eventMessage()));
        }
      }
      producer.flush();
      for (Future<RecordMetadata> delivery : sent) {
        delivery.get();
      }
      service.command("{\"cmd\": \"no such command\", \"msg_id\": \"sentinel\"}");
      responses.await("the sentinel's answer", r -> msgId(r).equals("sentinel"));

      Map<String, Integer> answers = new HashMap<>();
      Map<String, String> responseTypes = new HashMap<>();
      for (ConsumerRecord<byte[], byte[]> record : responses.poll()) {
        answers.merge(msgId(record), 1, Integer::sum);
        responseTypes.put(msgId(record), ServiceHarness.text(record));
      }
      for (String msgId : mustAnswer) {
        assertEquals(1, answers.getOrDefault(msgId, 0), "responses to " + msgId);
      }
      for (String msgId : mustRefuse) {
        assertTrue(responseTypes.get(msgId).contains("\"ERR\""), responseTypes.get(msgId));
      }
      for (String msgId : mayAnswer) {
        assertTrue(answers.getOrDefault(msgId, 0) <= 1, "responses to " + msgId);
      }
      System.out.println(
          "FuzzedInputTest: "
              + mustAnswer.size()
              + " commands each answered once, "
              + parsableConfigs
              + " parsable configs refused");

      long sum = events.expectedSum();
      PublishedHistogram exact =
          published.await("exact", "all " + sum + " valid events", h -> h.sum() >= sum);
      assertArrayEquals(events.expected(), exact.counts());
      assertEquals("COUNTING", exact.state());
      PublishedHistogram survivor =
          published.await(
              "fuzzed", "messages skipped", h -> h.info().path("skipped_messages").asLong() > 0);
      assertNotEquals("ERROR", survivor.state(), survivor.info().toString());
      for (WorkerInfo worker : service.controller.workers()) {
        assertNotEquals(HistogramState.ERROR, worker.state(), worker.toString());
        assertEquals(0, worker.restarts(), "bad input crashed a worker: " + worker);
      }
    }
  }

  // ------------------------------------------------------------------------------ commands

  private static String template(String broker, String missingTopic, String out) {
    return """
        {"cmd": "config", "msg_id": "", "start": 1700000000000, "stop": 1700000100000,
         "input_schema": "ev44", "output_schema": "hs01", "histograms": [
          {"type": "hist2d", "data_brokers": ["%s"], "data_topics": ["%s"],
           "tof_range": [0, 1000], "det_range": [1, 100], "num_bins": 10, "topic": "%s",
           "id": "fuzz", "source": "detector"}]}"""
        .formatted(broker, missingTopic, out);
  }

  /**
   * One command: mostly a JSON object with {@code msgId} and the rest mutated. Never a valid stop
   * or reset, which would disturb the histogram under test; rarely a valid config, which the topic
   * check refuses (its data topic does not exist) at the cost of a call to the broker.
   */
  private byte[] command(String template, String msgId) throws IOException {
    while (true) {
      byte[] command = anyCommand(template, msgId);
      ParseResult parsed = parser.parse(command);
      if (parsed instanceof Rejection) {
        return command;
      }
      if (parsed instanceof ConfigCommand && parsableConfigs < MAX_PARSABLE_CONFIGS) {
        parsableConfigs++;
        return command;
      }
    }
  }

  private byte[] anyCommand(String template, String msgId) throws IOException {
    int kind = random.nextInt(100);
    if (kind < 55) {
      return structured(template, msgId);
    }
    if (kind < 80) {
      byte[] bytes = structured(template, msgId);
      return mutateBytes(bytes);
    }
    if (kind < 90) {
      return randomBytes(random.nextInt(300));
    }
    String[] odd = {
      "",
      "null",
      "[]",
      "42",
      "\"config\"",
      "{}",
      "[{\"cmd\": \"stop\"}]",
      "{\"cmd\": null}",
      "{\"msg_id\": \"" + msgId + "\"}",
      "{\"cmd\": \"stop\", \"msg_id\": [\"" + msgId + "\"]}",
      "{\"cmd\": \"config\", \"msg_id\": \"" + msgId + "\", \"cmd\": \"stop\"}",
      // Flaws before the msg_id that the strict parser refuses, and garbage after it.
      "{\"cmd\": \"stop\", \"cmd\": \"config\", \"msg_id\": \"" + msgId + "\"}",
      "{\"cmd\": \"config\", \"histograms\": [{\"type\": \"hist1d\", \"type\": 1}], \"msg_id\": \""
          + msgId
          + "\"}",
      "{\"cmd\": \"stop\", \"msg_id\": \"" + msgId + "\"} garbage",
    };
    return odd[random.nextInt(odd.length)].getBytes(StandardCharsets.UTF_8);
  }

  /** A JSON object with the msg_id intact and one to four fields mutated. */
  private byte[] structured(String template, String msgId) throws IOException {
    ObjectNode root = (ObjectNode) JSON.readTree(template);
    if (random.nextInt(4) == 0) {
      root.removeAll();
      root.put("cmd", random.nextBoolean() ? "stop" : "reset_counts");
      root.set("extra", randomValue(2));
    }
    int mutations = 1 + random.nextInt(4);
    for (int m = 0; m < mutations; m++) {
      ObjectNode target =
          root.path("histograms").path(0).isObject() && random.nextBoolean()
              ? (ObjectNode) root.path("histograms").path(0)
              : root;
      List<String> fields = new ArrayList<>();
      target.fieldNames().forEachRemaining(fields::add);
      fields.remove("msg_id");
      String field =
          fields.isEmpty() || random.nextInt(6) == 0
              ? "f" + random.nextInt(1000)
              : fields.get(random.nextInt(fields.size()));
      if (random.nextInt(5) == 0) {
        target.remove(field);
      } else {
        target.set(field, randomValue(3));
      }
    }
    root.put("msg_id", msgId);
    return JSON.writeValueAsBytes(root);
  }

  private JsonNode randomValue(int depth) {
    switch (random.nextInt(depth > 0 ? 14 : 11)) {
      case 0:
        return NODES.nullNode();
      case 1:
        return NODES.booleanNode(random.nextBoolean());
      case 2:
        return NODES.numberNode(random.nextLong());
      case 3:
        return NODES.numberNode(random.nextInt(-5, 5));
      case 4:
        return NODES.numberNode(new BigInteger(200, new Random(random.nextLong())));
      case 5:
        return NODES.numberNode(
            new double[] {1e308, -1e308, 4.9e-324, 0.5, -0.0}[random.nextInt(5)]);
      case 6:
        return NODES.textNode("");
      case 7:
        return NODES.textNode(
            new String[] {"config", "stop", "hist1d", "dethist", "ev42", "hs00", "NaN", "1e999"}
                [random.nextInt(8)]);
      case 8:
        return NODES.textNode(new String(randomBytes(random.nextInt(40)), StandardCharsets.UTF_8));
      case 9:
        return NODES.arrayNode();
      case 10:
        return NODES.objectNode();
      case 11:
        {
          ArrayNode list = NODES.arrayNode();
          int length = random.nextInt(4);
          for (int i = 0; i < length; i++) {
            list.add(randomValue(depth - 1));
          }
          return list;
        }
      case 12:
        {
          ObjectNode object = NODES.objectNode();
          object.set(random.nextBoolean() ? "type" : "x", randomValue(depth - 1));
          return object;
        }
      default:
        return NODES.arrayNode().add(random.nextInt()).add(random.nextInt());
    }
  }

  /** Flips, deletes, inserts or truncates: mostly malformed JSON. */
  private byte[] mutateBytes(byte[] bytes) {
    byte[] mutated = bytes.clone();
    switch (random.nextInt(4)) {
      case 0 -> {
        for (int i = 0; i < 1 + random.nextInt(5); i++) {
          mutated[random.nextInt(mutated.length)] = (byte) random.nextInt(256);
        }
      }
      case 1 -> mutated = Arrays.copyOf(mutated, random.nextInt(mutated.length));
      case 2 -> {
        int at = random.nextInt(mutated.length);
        byte[] longer = new byte[mutated.length + 1];
        System.arraycopy(mutated, 0, longer, 0, at);
        longer[at] = "{}[],:\"\\".getBytes(StandardCharsets.UTF_8)[random.nextInt(8)];
        System.arraycopy(mutated, at, longer, at + 1, mutated.length - at);
        mutated = longer;
      }
      default -> {
        int from = random.nextInt(mutated.length);
        mutated =
            concat(
                Arrays.copyOf(mutated, from),
                Arrays.copyOfRange(mutated, Math.min(mutated.length, from + 8), mutated.length));
      }
    }
    return mutated;
  }

  /**
   * A command of 1 to 10 MB with its msg_id first: a long string, many histograms, or a number of
   * millions of digits, as {@code kind} says.
   */
  private byte[] huge(String msgId, int kind) {
    int size = (1 + random.nextInt(10)) << 20;
    StringBuilder json = new StringBuilder(size + 100);
    json.append("{\"msg_id\": \"").append(msgId).append("\", \"cmd\": \"config\", ");
    switch (kind % 3) {
      case 0 -> json.append("\"padding\": \"").append("x".repeat(size)).append("\"}");
      case 1 -> {
        json.append("\"histograms\": [");
        while (json.length() < size) {
          json.append("{\"type\": \"hist1d\", \"num_bins\": 1}, ");
        }
        json.append("{}]}");
      }
      default -> {
        json.append("\"interval\": ");
        while (json.length() < size) {
          json.append("9");
        }
        json.append('}');
      }
    }
    return json.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** Whether {@code command} is a JSON object whose msg_id is {@code msgId}. */
  private static boolean carriesMsgId(byte[] command, String msgId) {
    try {
      JsonNode root = JSON.readTree(command);
      return root != null
          && root.path("msg_id").isTextual()
          && root.path("msg_id").asText().equals(msgId);
    } catch (IOException e) {
      return false;
    }
  }

  /** Whether {@code command} is one JSON value, without duplicated keys. */
  private static boolean strictlyValid(byte[] command) {
    try {
      STRICT_JSON.readTree(command);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static String msgId(ConsumerRecord<byte[], byte[]> record) {
    try {
      return JSON.readTree(record.value()).path("msg_id").asText();
    } catch (IOException e) {
      throw new UncheckedIOException("A response that is not JSON", e);
    }
  }

  // ------------------------------------------------------------------------------ events

  /** Random bytes, damaged ev44 and ev42, other schemas, vectors of different lengths. */
  private byte[] eventMessage() {
    int events = random.nextInt(50);
    int[] tof = random.ints(events, -100, 2000).toArray();
    int[] pixels = random.ints(events, 0, 200).toArray();
    byte[] ev44 = EventEncoder.ev44("detector", random.nextLong(), random.nextLong(), tof, pixels);
    byte[] ev42 = EventEncoder.ev42("detector", random.nextLong(), random.nextLong(), tof, pixels);
    switch (random.nextInt(9)) {
      case 0:
        return randomBytes(random.nextInt(2000));
      case 1:
        return mutateBytes(ev44);
      case 2:
        return Arrays.copyOf(ev44, random.nextInt(ev44.length));
      case 3:
        return mutateBytes(ev42);
      case 4:
        return Arrays.copyOf(ev42, random.nextInt(ev42.length));
      case 5:
        return EventEncoder.ev44(
            "detector",
            1,
            1,
            random.ints(random.nextInt(100), 0, 1000).toArray(),
            random.ints(1 + random.nextInt(100), 0, 100).toArray());
      case 6:
        return EventEncoder.ev42(
            "detector",
            1,
            1,
            random.ints(1 + random.nextInt(100), 0, 1000).toArray(),
            random.ints(random.nextInt(100), 0, 100).toArray());
      case 7:
        return new HistogramEncoder()
            .encode(
                HistogramSchema.HS01,
                1,
                new int[] {2},
                new double[][] {{0, 1, 2}},
                new long[] {3, 4},
                "{}");
      default:
        return StatusCodec.encode(
            new StatusMessage("fuzz", "0", "fuzz", "localhost", 1, 1000, "{}"));
    }
  }

  private byte[] randomBytes(int length) {
    byte[] bytes = new byte[length];
    for (int i = 0; i < length; i++) {
      bytes[i] = (byte) random.nextInt(256);
    }
    return bytes;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] joined = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, joined, a.length, b.length);
    return joined;
  }

  private static KafkaProducer<byte[], byte[]> largeMessageProducer(EmbeddedKafka kafka) {
    Map<String, Object> properties = kafka.clientProperties();
    properties.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 16 << 20);
    properties.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 64L << 20);
    return new KafkaProducer<>(properties, new ByteArraySerializer(), new ByteArraySerializer());
  }

  private static Future<RecordMetadata> send(
      KafkaProducer<byte[], byte[]> producer, String topic, int partition, byte[] value) {
    return producer.send(new ProducerRecord<>(topic, partition, null, null, value));
  }
}
