package eu.ess.justbinit.wire.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every {@code NAME.bin} in the shared fixtures folder decodes to exactly the values of its {@code
 * NAME.json} twin; a new fixture is picked up without code changes.
 */
class FixtureTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  static Stream<Path> fixtures() throws IOException {
    Path folder = Path.of(System.getProperty("jbi.testdata.dir", "../testdata"), "fixtures");
    List<Path> found;
    try (Stream<Path> files = Files.list(folder)) {
      found = files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
    assertFalse(found.isEmpty(), "no fixtures in " + folder);
    return found.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void decodesToTheExpectedValues(Path json) throws IOException, CodecException {
    JsonNode fixture = JSON.readTree(json.toFile());
    byte[] bytes = Files.readAllBytes(json.resolveSibling(fixture.get("file").asText()));
    JsonNode expected = fixture.get("expected");
    switch (fixture.get("schema").asText()) {
      case "ev44" -> checkEv44(bytes, expected);
      case "ev42" -> checkEv42(bytes, expected);
      case "hs00", "hs01" -> checkHistogram(fixture.get("schema").asText(), bytes, expected);
      case "x5f2" -> checkStatus(bytes, expected);
      default -> throw new AssertionError("unknown schema in " + json);
    }
  }

  private static void checkEv44(byte[] bytes, JsonNode expected) throws CodecException {
    EventMessage message = new EventDecoder().decode(ByteBuffer.wrap(bytes));
    assertEquals("ev44", message.schema());
    assertEquals(expected.get("source_name").asText(), message.sourceName());
    assertEquals(expected.get("message_id").asLong(), message.messageId());
    long[] referenceTimes = longs(expected.get("reference_time"));
    long[] actualTimes = new long[message.referenceTimeCount()];
    for (int i = 0; i < actualTimes.length; i++) {
      actualTimes[i] = message.referenceTimeNs(i);
    }
    assertArrayEquals(referenceTimes, actualTimes);
    assertEquals(referenceTimes[0], message.pulseTimeNs());
    int[] indexes = ints(expected.get("reference_time_index"));
    for (int i = 0; i < indexes.length; i++) {
      assertEquals(indexes[i], message.referenceTimeIndex(i));
    }
    assertArrayEquals(ints(expected.get("time_of_flight")), message.timeOfFlight().toArray());
    assertArrayEquals(ints(expected.get("pixel_id")), message.pixelId().toArray());
  }

  private static void checkEv42(byte[] bytes, JsonNode expected) throws CodecException {
    EventMessage message = new EventDecoder().decode(ByteBuffer.wrap(bytes));
    assertEquals("ev42", message.schema());
    assertEquals(expected.get("source_name").asText(), message.sourceName());
    assertEquals(expected.get("message_id").asLong(), message.messageId());
    assertEquals(expected.get("pulse_time").asLong(), message.pulseTimeNs());
    assertArrayEquals(ints(expected.get("time_of_flight")), message.timeOfFlight().toArray());
    // detector_id is unsigned on the wire: compare bit patterns
    assertArrayEquals(ints(expected.get("detector_id")), message.pixelId().toArray());
  }

  private static void checkHistogram(String schema, byte[] bytes, JsonNode expected)
      throws CodecException {
    HistogramMessage message = new HistogramDecoder().decode(ByteBuffer.wrap(bytes));
    assertEquals(schema, message.schema());
    assertEquals(expected.get("source").asText(), message.source());
    assertEquals(expected.get("timestamp").asLong(), message.timestampNs());
    assertArrayEquals(ints(expected.get("current_shape")), message.shape());
    JsonNode dims = expected.get("dim_metadata");
    assertEquals(dims.size(), message.dimensions().size());
    for (int i = 0; i < dims.size(); i++) {
      HistogramMessage.Dimension dimension = message.dimensions().get(i);
      assertEquals(dims.get(i).get("length").asInt(), dimension.length());
      assertArrayEquals(doubles(dims.get(i).get("bin_boundaries")), dimension.boundaries());
    }
    String type = expected.get("data_array_type").asText();
    assertEquals(type, message.data().elementType());
    JsonNode data = expected.get("data");
    if (type.startsWith("float")) {
      assertArrayEquals(doubles(data), message.data().floats());
    } else {
      assertArrayEquals(longs(data), message.data().integers());
    }
    if (expected.has("errors")) {
      assertArrayEquals(doubles(expected.get("errors")), message.errors().toDoubles());
    }
    assertEquals(expected.get("info").asText(), message.info());
  }

  private static void checkStatus(byte[] bytes, JsonNode expected) throws CodecException {
    StatusMessage status = StatusCodec.decode(ByteBuffer.wrap(bytes));
    assertEquals(expected.get("software_name").asText(), status.softwareName());
    assertEquals(expected.get("software_version").asText(), status.softwareVersion());
    assertEquals(expected.get("service_id").asText(), status.serviceId());
    assertEquals(expected.get("host_name").asText(), status.hostName());
    assertEquals(expected.get("process_id").asLong(), status.processId());
    assertEquals(expected.get("update_interval").asLong(), status.updateIntervalMs());
    assertEquals(expected.get("status_json").asText(), status.statusJson());
  }

  static double[] doubles(JsonNode array) {
    double[] values = new double[array.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = array.get(i).asDouble();
    }
    return values;
  }

  static long[] longs(JsonNode array) {
    long[] values = new long[array.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = array.get(i).asLong();
    }
    return values;
  }

  static int[] ints(JsonNode array) {
    int[] values = new int[array.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = (int) array.get(i).asLong();
    }
    return values;
  }
}
