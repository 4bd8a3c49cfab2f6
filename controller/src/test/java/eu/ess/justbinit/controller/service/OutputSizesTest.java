package eu.ess.justbinit.controller.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import eu.ess.justbinit.testkit.EmbeddedKafka;
import eu.ess.justbinit.testkit.Eventually;
import eu.ess.justbinit.testkit.KafkaBrokerExtension;
import eu.ess.justbinit.testkit.ProcessLevel;
import eu.ess.justbinit.testkit.PublishedHistogram;
import eu.ess.justbinit.testkit.PublishedHistograms;
import eu.ess.justbinit.testkit.TopicReader;
import eu.ess.justbinit.wire.codec.EventEncoder;
import eu.ess.justbinit.wire.rpc.WorkerContract;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Histograms against what their output topic accepts (its max.message.bytes), with the real
 * controller, real workers and the real broker: refused at config when uncompressed and too large;
 * compressed, accepted, and a publish the broker refuses is reported in the info while the counting
 * goes on.
 */
@ExtendWith(KafkaBrokerExtension.class)
@ProcessLevel
class OutputSizesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What the small output topic accepts: a 200 x 200 map is 327,312 bytes uncompressed. */
  private static final int TOPIC_LIMIT = 20_000;

  private static final String MAP =
      """
      {"type": "dethist", "data_brokers": ["%s"], "data_topics": ["%s"], "det_range": [1, 40000],
       "width": 200, "height": 200, "topic": "%s", "id": "%s"}""";

  private static void createSmallTopic(EmbeddedKafka kafka, String topic) {
    try (Admin admin = Admin.create(kafka.adminProperties())) {
      admin
          .createTopics(
              List.of(
                  new NewTopic(topic, 1, (short) 1)
                      .configs(Map.of("max.message.bytes", Integer.toString(TOPIC_LIMIT)))))
          .all()
          .get();
    } catch (ExecutionException e) {
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static JsonNode response(ServiceHarness service, String config, String msgId) {
    TopicReader responses = service.reader(service.responseTopic);
    service.command(config);
    try {
      return JSON.readTree(
          responses
              .await(
                  "the response to " + msgId,
                  r -> ServiceHarness.text(r).contains("\"" + msgId + "\""))
              .value());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String config(String msgId, String... histograms) {
    return """
        {"cmd": "config", "msg_id": "%s", "output_schema": "hs01", "histograms": [%s]}"""
        .formatted(msgId, String.join(", ", histograms));
  }

  @Test
  void uncompressedAHistogramLargerThanItsTopicAcceptsIsRefusedAtConfig(EmbeddedKafka kafka) {
    try (ServiceHarness service =
        new ServiceHarness(
            kafka, settings -> settings.withCompression("none"), WorkerContract.MAIN_CLASS, true)) {
      String data = service.prefix + "data";
      String small = service.prefix + "small";
      kafka.createTopic(data, 1);
      createSmallTopic(kafka, small);
      service.awaitListening();
      String broker = kafka.bootstrapServers();

      JsonNode refused =
          response(
              service,
              config(
                  "too-large",
                  KnownEvents.HIST1D.formatted(broker, data, small, "fits"),
                  MAP.formatted(broker, data, small, "map")),
              "too-large");
      assertEquals("ERR", refused.path("response").asText(), refused.toString());
      assertEquals(
          "histograms[1] ('map'): its messages are 327312 bytes, more than the 20000 bytes"
              + " output topic '"
              + small
              + "' accepts (max.message.bytes)",
          refused.path("message").asText());

      JsonNode hist1d =
          response(
              service,
              config("hist1d-too-large", KnownEvents.HIST1D.formatted(broker, data, small, "h"))
                  .replace("\"num_bins\": 10,", "\"num_bins\": 200000000,"),
              "hist1d-too-large");
      assertEquals(
          "histograms[0].num_bins: 200000000 bins, at most 100000000 per histogram",
          hist1d.path("message").asText());

      JsonNode fits =
          response(
              service,
              config("fits", KnownEvents.HIST1D.formatted(broker, data, small, "h")),
              "fits");
      assertEquals("ACK", fits.path("response").asText(), fits.toString());
    }
  }

  @Test
  void compressedAPublishTheTopicRefusesIsReportedAndTheCountingGoesOn(EmbeddedKafka kafka) {
    try (ServiceHarness service =
        new ServiceHarness(kafka, UnaryOperator.identity(), WorkerContract.MAIN_CLASS, true)) {
      String data = service.prefix + "data";
      String small = service.prefix + "small";
      kafka.createTopic(data, 1);
      createSmallTopic(kafka, small);
      service.awaitListening();

      PublishedHistograms published =
          service.configure(small, MAP.formatted(kafka.bootstrapServers(), data, small, "map"));
      // Empty, the map compresses to far less than the topic accepts.
      published.await("map", "published empty", h -> h.sum() == 0);

      // Random counts in every pixel do not compress below 20,000 bytes.
      SplittableRandom random = new SplittableRandom(5);
      int events = 100_000;
      int[] tof = new int[events];
      int[] pixels = new int[events];
      for (int i = 0; i < events; i++) {
        pixels[i] = 1 + random.nextInt(40_000);
      }
      service.send(data, 0, EventEncoder.ev44("detector", 1, 1_000_000L, tof, pixels), null);
      Eventually.await(
          "the refusal reported to the controller",
          ServiceHarness.PATIENCE,
          () -> service.controller.workers().get(0).errorMessage().contains("failed"));
      String reason = service.controller.workers().get(0).errorMessage();
      assertTrue(reason.contains(small), reason);
      assertTrue(reason.contains(" bytes before lz4 compression to topic "), reason);
      assertTrue(reason.startsWith("publish failed: "), reason);

      // Emptied, it fits again: its info tells of the refused publishes, and it still counts.
      service.command("{\"cmd\": \"reset_counts\"}");
      PublishedHistogram after =
          published.await(
              "map",
              "published again with the refusal in its info",
              h -> !h.info().path("error_message").asText().isEmpty());
      assertEquals("COUNTING", after.state());
      assertTrue(
          after.info().path("error_message").asText().contains("failed"), after.info().toString());
      service.send(
          data,
          0,
          EventEncoder.ev44("detector", 3, 3_000_000L, new int[] {0}, new int[] {7}),
          null);
      published.await("map", "counting after the refusals", h -> h.sum() == 1);
    }
  }
}
