package eu.ess.justbinit.controller.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import eu.ess.justbinit.testkit.EmbeddedKafka;
import eu.ess.justbinit.testkit.Eventually;
import eu.ess.justbinit.testkit.KafkaBrokerExtension;
import eu.ess.justbinit.testkit.ProcessLevel;
import eu.ess.justbinit.testkit.TopicReader;
import eu.ess.justbinit.wire.codec.CodecException;
import eu.ess.justbinit.wire.codec.EventEncoder;
import eu.ess.justbinit.wire.codec.HistogramDecoder;
import eu.ess.justbinit.wire.codec.HistogramMessage;
import eu.ess.justbinit.wire.rpc.WorkerContract;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The service end to end, as NICOS uses it: the real controller, real worker JVMs, the real broker.
 */
@ExtendWith(KafkaBrokerExtension.class)
@ProcessLevel
class ServiceEndToEndTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int TOF_HIGH = 100_000_000;
  private static final int DET_LOW = 1;
  private static final int DET_HIGH = 512;

  private final Random random = new Random(20261124);
  private ServiceHarness service;
  private String data;
  private String output;
  private TopicReader responses;
  private TopicReader histograms;
  private long messageId;

  @AfterEach
  void stopService() {
    if (service != null) {
      service.close();
    }
  }

  /**
   * Starts a controller with a data topic of {@code partitions} and an output topic. No -Xmx: the
   * controller fits each worker's heap to its histogram, as it does by default.
   */
  private void start(EmbeddedKafka kafka, int partitions) {
    service =
        new ServiceHarness(
            kafka,
            ServiceHarness.workerJvmOptions("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"),
            WorkerContract.MAIN_CLASS,
            true);
    service.awaitListening();
    data = service.prefix + "data";
    output = service.prefix + "hist";
    service.createTopics(partitions, data);
    service.createTopics(1, output);
    responses = service.reader(service.responseTopic);
    histograms = service.reader(output);
  }

  /** A published histogram and its info. */
  record Published(HistogramMessage message, JsonNode info) {
    long sum() {
      return info.path("sum").asLong();
    }

    String state() {
      return info.path("state").asText();
    }

    long dataSum() {
      long sum = 0;
      for (long count : message.data().integers()) {
        sum += count;
      }
      return sum;
    }
  }

  private static Published decode(ConsumerRecord<byte[], byte[]> record) {
    try {
      HistogramMessage message = new HistogramDecoder().decode(ByteBuffer.wrap(record.value()));
      return new Published(message, JSON.readTree(message.info()));
    } catch (CodecException | IOException e) {
      throw new AssertionError("Not a histogram on the output topic", e);
    }
  }

  private static Published await(
      TopicReader output, String id, String what, Predicate<Published> test) {
    return decode(
        output.await(
            "histogram '" + id + "': " + what,
            record -> {
              Published published = decode(record);
              return published.info().path("id").asText().equals(id) && test.test(published);
            }));
  }

  private ObjectNode hist1d(String id, String output, String... dataTopics) {
    ObjectNode histogram = JSON.createObjectNode();
    histogram.put("type", "hist1d");
    histogram.putArray("data_brokers").add(service.kafka.bootstrapServers());
    ArrayNode topics = histogram.putArray("data_topics");
    for (String topic : dataTopics) {
      topics.add(topic);
    }
    histogram.putArray("tof_range").add(0).add(TOF_HIGH);
    histogram.putArray("det_range").add(DET_LOW).add(DET_HIGH);
    histogram.put("num_bins", 50);
    histogram.put("topic", output);
    histogram.put("id", id);
    return histogram;
  }

  private static ObjectNode config(String msgId, ObjectNode... histograms) {
    ObjectNode config = JSON.createObjectNode();
    config.put("cmd", "config");
    config.put("msg_id", msgId);
    config.put("input_schema", "ev44");
    config.put("output_schema", "hs01");
    ArrayNode list = config.putArray("histograms");
    for (ObjectNode histogram : histograms) {
      list.add(histogram);
    }
    return config;
  }

  private JsonNode response(TopicReader responses, String msgId) {
    try {
      return JSON.readTree(
          responses
              .await(
                  "the response to " + msgId,
                  record -> ServiceHarness.text(record).contains("\"" + msgId + "\""))
              .value());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void configure(TopicReader responses, ObjectNode config) {
    String msgId = config.path("msg_id").asText();
    service.command(config.toString());
    JsonNode response = response(responses, msgId);
    assertEquals("ACK", response.path("response").asText(), response.toString());
  }

  /** Sends one ev44 message of random events that all fall inside the hist1d ranges. */
  private int sendEvents(String topic, int partition, int count) {
    int[] tof = new int[count];
    int[] det = new int[count];
    for (int i = 0; i < count; i++) {
      tof[i] = random.nextInt(TOF_HIGH);
      det[i] = DET_LOW + random.nextInt(DET_HIGH - DET_LOW + 1);
    }
    long nowNs = System.currentTimeMillis() * 1_000_000L;
    service.send(
        topic,
        partition,
        EventEncoder.ev44("integration test", ++messageId, nowNs, tof, det),
        nowNs / 1_000_000L);
    return count;
  }

  private int sendRandomMessages(String topic, int partitions, int messages) {
    int total = 0;
    for (int i = 0; i < messages; i++) {
      total += sendEvents(topic, i % partitions, 500 + random.nextInt(1001));
    }
    return total;
  }

  @Test
  void theOriginalsIntegrationScenario(EmbeddedKafka kafka) {
    start(kafka, 2);

    configure(responses, config("config-1", hist1d("some_id", output, data)));
    int sent = sendRandomMessages(data, 2, 10);

    Published counting = await(histograms, "some_id", "all events counted", h -> h.sum() == sent);
    assertEquals("COUNTING", counting.state());
    assertEquals(sent, counting.dataSum());

    service.command("{\"cmd\": \"stop\", \"msg_id\": \"stop-1\"}");
    assertEquals("ACK", response(responses, "stop-1").path("response").asText());
    Published finished =
        await(histograms, "some_id", "FINISHED", h -> h.state().equals("FINISHED"));
    assertEquals(sent, finished.sum());
    assertEquals(sent, finished.dataSum());

    service.command("{\"cmd\": \"not a valid command\", \"msg_id\": \"bad-1\"}");
    JsonNode error = response(responses, "bad-1");
    assertEquals("ERR", error.path("response").asText());
    assertTrue(error.has("message"));
  }

  /** One conformance case of each type, all in one config, each on a data topic of its own. */
  @Test
  void eachHistogramTypeBinForBin(EmbeddedKafka kafka) throws IOException {
    start(kafka, 1);
    List<String> cases =
        List.of("hist1d_bulk", "hist2d_rect_bins", "dethist_small", "roihist_contiguous");
    ObjectNode[] entries = new ObjectNode[cases.size()];
    JsonNode[] loaded = new JsonNode[cases.size()];
    for (int i = 0; i < cases.size(); i++) {
      loaded[i] = conformanceCase(cases.get(i));
      String caseTopic = service.prefix + "data-" + i;
      service.createTopics(1, caseTopic);
      ObjectNode histogram = (ObjectNode) loaded[i].path("histogram").deepCopy();
      histogram.putArray("data_brokers").add(kafka.bootstrapServers());
      histogram.putArray("data_topics").add(caseTopic);
      histogram.put("topic", output);
      histogram.put("id", cases.get(i));
      entries[i] = histogram;
    }
    configure(responses, config("all-types", entries));

    for (int i = 0; i < cases.size(); i++) {
      sendMessages(loaded[i], service.prefix + "data-" + i);
    }

    for (int i = 0; i < cases.size(); i++) {
      JsonNode expected = loaded[i].path("expected");
      Published published =
          await(
              histograms,
              cases.get(i),
              "sum " + expected.path("sum").asLong(),
              h -> h.sum() == expected.path("sum").asLong());
      assertEquals(expected.path("state").asText(), published.state(), cases.get(i));
      assertArrayEquals(ints(expected.path("shape")), published.message().shape(), cases.get(i));
      assertArrayEquals(
          longs(expected.path("data")), published.message().data().integers(), cases.get(i));
      for (int axis = 0; axis < expected.path("edges").size(); axis++) {
        assertArrayEquals(
            doubles(expected.path("edges").get(axis)),
            published.message().dimensions().get(axis).boundaries(),
            cases.get(i) + " axis " + axis);
      }
      assertEquals(
          expected.path("last_pulse_time").asLong(),
          published.info().path("last_pulse_time").asLong(),
          cases.get(i));
    }
  }

  @Test
  void readsEveryPartitionOfTwoDataTopics(EmbeddedKafka kafka) {
    start(kafka, 1);
    String first = service.prefix + "data-a";
    String second = service.prefix + "data-b";
    service.createTopics(2, first);
    service.createTopics(3, second);

    configure(responses, config("two-topics", hist1d("both", output, first, second)));
    int sent = sendRandomMessages(first, 2, 4) + sendRandomMessages(second, 3, 5);

    Published counted = await(histograms, "both", "all events", h -> h.sum() == sent);
    assertEquals(sent, counted.dataSum());
  }

  @Test
  void startAndStopSelectHistoricData(EmbeddedKafka kafka) throws IOException {
    start(kafka, 1);
    JsonNode conformance = conformanceCase("hist1d_start_stop");
    sendMessages(conformance, data);

    ObjectNode histogram = (ObjectNode) conformance.path("histogram").deepCopy();
    histogram.putArray("data_brokers").add(kafka.bootstrapServers());
    histogram.putArray("data_topics").add(data);
    histogram.put("topic", output);
    histogram.put("id", "historic");
    ObjectNode config = config("historic", histogram);
    config.put("start", conformance.path("start").asLong());
    config.put("stop", conformance.path("stop").asLong());
    configure(responses, config);

    JsonNode expected = conformance.path("expected");
    Published finished =
        await(histograms, "historic", "FINISHED", h -> h.state().equals("FINISHED"));
    assertEquals(expected.path("state").asText(), finished.state());
    assertEquals(expected.path("sum").asLong(), finished.sum());
    assertArrayEquals(longs(expected.path("data")), finished.message().data().integers());
  }

  @Test
  void aStartOlderThanTheRetainedDataEndsInError(EmbeddedKafka kafka) throws Exception {
    start(kafka, 1);
    sendRandomMessages(data, 1, 4);
    try (Admin admin = Admin.create(kafka.adminProperties())) {
      admin
          .deleteRecords(Map.of(new TopicPartition(data, 0), RecordsToDelete.beforeOffset(2)))
          .all()
          .get();
    }

    ObjectNode config = config("too-old", hist1d("old", output, data));
    config.put("start", 1_000_000_000_000L);
    config.put("stop", System.currentTimeMillis() + 60_000);
    configure(responses, config);

    Published error = await(histograms, "old", "ERROR", h -> h.state().equals("ERROR"));
    assertTrue(
        error.info().path("error_message").asText().contains("Cannot find start time in the data"),
        error.info().toString());
  }

  @Test
  void anIntervalStartsNowAndFinishesByItself(EmbeddedKafka kafka) {
    start(kafka, 1);

    ObjectNode config = config("interval", hist1d("brief", output, data));
    config.put("interval", 2);
    configure(responses, config);
    int sent = sendRandomMessages(data, 1, 2);

    Published finished = await(histograms, "brief", "FINISHED", h -> h.state().equals("FINISHED"));
    assertTrue(
        finished.info().has("start") && finished.info().has("stop"), finished.info().toString());
    assertEquals(
        2000, finished.info().path("stop").asLong() - finished.info().path("start").asLong());
    assertTrue(finished.sum() <= sent, finished.info().toString());
  }

  @Test
  void theReadySpareWorkerTakesTheConfigAndCountsFromItsFirstMessage(EmbeddedKafka kafka) {
    start(kafka, 1);
    long spare =
        Eventually.get(
            "a ready spare worker",
            Duration.ofSeconds(60),
            () -> service.controller.spares().stream().findAny());

    configure(responses, config("to-the-spare", hist1d("spare", output, data)));
    int sent = sendRandomMessages(data, 1, 3);

    Published counted = await(histograms, "spare", "all events", h -> h.sum() == sent);
    assertEquals(sent, counted.dataSum());
    assertEquals(List.of(spare), service.controller.workers().stream().map(w -> w.pid()).toList());
  }

  @Test
  void resetCountsStartsTheHistogramFromZero(EmbeddedKafka kafka) {
    start(kafka, 1);
    configure(responses, config("reset-me", hist1d("reset", output, data)));
    int before = sendRandomMessages(data, 1, 3);
    await(histograms, "reset", "first events", h -> h.sum() == before);

    service.command("{\"cmd\": \"reset_counts\", \"msg_id\": \"reset-1\"}");
    assertEquals("ACK", response(responses, "reset-1").path("response").asText());
    await(histograms, "reset", "zeroed", h -> h.sum() == 0);
    int after = sendRandomMessages(data, 1, 2);

    Published counted = await(histograms, "reset", "events after the reset", h -> h.sum() == after);
    assertEquals(after, counted.dataSum());
  }

  @Test
  void aConfigReplacesTheRunningOneAndARefusedOneLeavesItCounting(EmbeddedKafka kafka) {
    start(kafka, 1);
    configure(responses, config("first", hist1d("old", output, data)));
    int first = sendRandomMessages(data, 1, 2);
    await(histograms, "old", "counting", h -> h.sum() == first);

    configure(responses, config("second", hist1d("new", output, data)));
    Published finished = await(histograms, "old", "FINISHED", h -> h.state().equals("FINISHED"));
    assertEquals(first, finished.sum());

    service.command(
        config("refused", hist1d("never", output, service.prefix + "missing")).toString());
    JsonNode refused = response(responses, "refused");
    assertEquals("ERR", refused.path("response").asText());
    assertTrue(refused.path("message").asText().contains(service.prefix + "missing"));

    int second = sendRandomMessages(data, 1, 3);
    Published counted = await(histograms, "new", "counting on", h -> h.sum() == second);
    assertEquals("COUNTING", counted.state());
  }

  @Test
  void aCorruptMessageIsSkippedAndCounted(EmbeddedKafka kafka) {
    start(kafka, 1);
    configure(responses, config("corrupt", hist1d("robust", output, data)));

    int sent = sendEvents(data, 0, 700);
    service.send(
        data,
        0,
        "this is not a flatbuffer at all".getBytes(java.nio.charset.StandardCharsets.UTF_8),
        null);
    sent += sendEvents(data, 0, 800);
    int total = sent;

    Published counted =
        await(
            histograms,
            "robust",
            "the good events and one skipped message",
            h -> h.sum() == total && h.info().path("skipped_messages").asLong() == 1);
    assertEquals(total, counted.dataSum());
  }

  /** Sends a conformance case's messages, with their timestamps, to partition 0 of topic. */
  private void sendMessages(JsonNode conformanceCase, String topic) {
    for (JsonNode message : conformanceCase.path("messages")) {
      service.send(
          topic,
          0,
          EventEncoder.ev44(
              message.path("source").asText(),
              ++messageId,
              message.path("pulse_time_ns").asLong(),
              ints(message.path("tof")),
              ints(message.path("det"))),
          message.path("timestamp_ms").asLong());
    }
  }

  private static JsonNode conformanceCase(String name) throws IOException {
    Path dir = Path.of(System.getProperty("jbi.testdata.dir"), "conformance");
    return JSON.readTree(dir.resolve(name + ".json").toFile());
  }

  private static int[] ints(JsonNode array) {
    int[] values = new int[array.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = array.get(i).asInt();
    }
    return values;
  }

  private static long[] longs(JsonNode array) {
    long[] values = new long[array.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = array.get(i).asLong();
    }
    return values;
  }

  private static double[] doubles(JsonNode array) {
    double[] values = new double[array.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = array.get(i).asDouble();
    }
    return values;
  }
}
