package eu.ess.justbinit.controller.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import eu.ess.justbinit.wire.codec.DataArrayDecoder;
import eu.ess.justbinit.wire.codec.DataArrayMessage;
import eu.ess.justbinit.wire.codec.HistogramDecoder;
import eu.ess.justbinit.wire.codec.HistogramMessage;
import eu.ess.justbinit.wire.rpc.Axis;
import eu.ess.justbinit.wire.rpc.Checkpoint;
import eu.ess.justbinit.wire.rpc.HistogramSchema;
import eu.ess.justbinit.wire.rpc.HistogramSpec;
import eu.ess.justbinit.wire.rpc.HistogramState;
import eu.ess.justbinit.wire.rpc.HistogramType;
import eu.ess.justbinit.wire.rpc.Layout;
import eu.ess.justbinit.wire.rpc.Statistics;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/** The controller's publish of a histogram whose worker is gone keeps its fractions and schema. */
class FinalHistogramPublisherTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Layout LAYOUT =
      Layout.newBuilder()
          .addShape(2)
          .addEdges(Axis.newBuilder().addBoundaries(0).addBoundaries(10).addBoundaries(20))
          .build();
  private static final Checkpoint FLOATING =
      Checkpoint.newBuilder()
          .addCounts(3)
          .addCounts(4)
          .addFractions(0.25)
          .addFractions(0)
          .setStatistics(
              Statistics.newBuilder()
                  .setLastPulseTimeNs(77)
                  .setSum(7)
                  .setFractionalSum(0.25)
                  .setFloatingDiff(1.5))
          .build();

  private final MockProducer<byte[], byte[]> producer =
      new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
  private final FinalHistogramPublisher publisher =
      new FinalHistogramPublisher(producer, Clock.systemUTC());

  private static HistogramSpec spec(HistogramSchema schema) {
    return HistogramSpec.newBuilder()
        .setType(HistogramType.HIST1D)
        .setId("mon")
        .setOutputTopic("out")
        .setOutputSchema(schema)
        .build();
  }

  @Test
  void aFloatingCheckpointGoesOutAsDoublesWithADoubleSum() throws Exception {
    publisher.publish(
        spec(HistogramSchema.HS01),
        Optional.of(LAYOUT),
        Optional.of(FLOATING),
        HistogramState.ERROR,
        "lost");
    HistogramMessage message =
        new HistogramDecoder().decode(ByteBuffer.wrap(producer.history().get(0).value()));
    assertEquals("float64", message.data().elementType());
    assertArrayEquals(new double[] {3.25, 4}, message.data().floats());
    JsonNode info = JSON.readTree(message.info());
    assertEquals(7.25, info.path("sum").doubleValue());
    assertEquals(1.5, info.path("diff").doubleValue());
    assertEquals("lost", info.path("error_message").asText());
  }

  @Test
  void aDa00HistogramGoesOutAsADataArray() throws Exception {
    publisher.publish(
        spec(HistogramSchema.DA00_OUT),
        Optional.of(LAYOUT),
        Optional.of(FLOATING),
        HistogramState.ERROR,
        "lost");
    publisher.publish(
        spec(HistogramSchema.DA00_OUT),
        Optional.empty(),
        Optional.empty(),
        HistogramState.ERROR,
        "never started");
    DataArrayDecoder decoder = new DataArrayDecoder();
    DataArrayMessage message = decoder.decode(ByteBuffer.wrap(producer.history().get(0).value()));
    assertEquals("mon", message.sourceName());
    assertEquals(77, message.timestampNs());
    assertArrayEquals(new double[] {3.25, 4}, message.variable("signal").values().floats());
    assertArrayEquals(
        new double[] {0, 10, 20}, message.variable("time_of_flight").values().floats());
    assertEquals(
        "lost", JSON.readTree(message.variable("info").text()).path("error_message").asText());
    DataArrayMessage empty = decoder.decode(ByteBuffer.wrap(producer.history().get(1).value()));
    assertEquals(0, empty.variable("signal").length());
    assertEquals(List.of("time_of_flight"), empty.variable("signal").axes());
  }
}
