package eu.ess.justbinit.controller.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import eu.ess.justbinit.controller.supervisor.WorkerInfo;
import eu.ess.justbinit.testkit.EmbeddedKafka;
import eu.ess.justbinit.testkit.KafkaBrokerExtension;
import eu.ess.justbinit.testkit.ProcessLevel;
import eu.ess.justbinit.testkit.TopicReader;
import eu.ess.justbinit.wire.codec.CodecException;
import eu.ess.justbinit.wire.codec.StatusCodec;
import eu.ess.justbinit.wire.codec.StatusMessage;
import eu.ess.justbinit.wire.rpc.HistogramState;
import eu.ess.justbinit.wire.rpc.Statistics;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Both forms of the heartbeat, published to the real broker and decoded from the topic. */
@ExtendWith(KafkaBrokerExtension.class)
@ProcessLevel
class HeartbeatTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Clock FIXED =
      Clock.fixed(Instant.ofEpochMilli(1_700_000_000_123L), ZoneOffset.UTC);

  private static final List<WorkerInfo> HISTOGRAMS =
      List.of(
          new WorkerInfo(
              "hist-a", 0, 42, HistogramState.COUNTING, 0, Statistics.getDefaultInstance(), ""),
          new WorkerInfo(
              "",
              1,
              -1,
              HistogramState.HISTOGRAM_STATE_UNSPECIFIED,
              0,
              Statistics.getDefaultInstance(),
              ""));

  private static byte[] publishAndRead(
      EmbeddedKafka kafka,
      String topic,
      Function<KafkaProducer<byte[], byte[]>, HeartbeatPublisher> make) {
    kafka.createTopic(topic, 1);
    Map<String, Object> producerProperties = kafka.clientProperties();
    producerProperties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    producerProperties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProperties);
        TopicReader heartbeats =
            new TopicReader(kafka.clientProperties(), topic, Duration.ofSeconds(30))) {
      make.apply(producer).publish(HISTOGRAMS);
      producer.flush();
      return heartbeats.await("a heartbeat on " + topic, record -> true).value();
    }
  }

  @Test
  void x5f2CarriesWhoWeAreAndEachHistogramsIdAndState(EmbeddedKafka kafka)
      throws CodecException, IOException {
    byte[] value =
        publishAndRead(
            kafka,
            "heartbeat-x5f2",
            producer ->
                HeartbeatPublisher.x5f2(producer, "heartbeat-x5f2", FIXED, "1.2.3", "commands"));

    StatusMessage status = StatusCodec.decode(ByteBuffer.wrap(value));
    assertEquals("just-bin-it", status.softwareName());
    assertEquals("1.2.3", status.softwareVersion());
    assertEquals("commands", status.serviceId());
    assertFalse(status.hostName().isEmpty());
    assertEquals(ProcessHandle.current().pid(), status.processId());
    assertEquals(1000, status.updateIntervalMs());
    JsonNode json = JSON.readTree(status.statusJson());
    assertEquals(1_700_000_000_123L, json.path("current_time").asLong());
    assertEquals(
        JSON.readTree(
            "[{\"id\": \"hist-a\", \"state\": \"COUNTING\"}, {\"id\": \"\", \"state\": \"STARTING\"}]"),
        json.path("histograms"));
  }

  @Test
  void jsonIsTheOriginalsMessageAndInterval(EmbeddedKafka kafka) throws IOException {
    byte[] value =
        publishAndRead(
            kafka,
            "heartbeat-json",
            producer -> HeartbeatPublisher.json(producer, "heartbeat-json", FIXED));

    assertEquals(
        JSON.readTree("{\"message\": 1700000000123, \"message_interval\": 1000}"),
        JSON.readTree(value));
  }
}
