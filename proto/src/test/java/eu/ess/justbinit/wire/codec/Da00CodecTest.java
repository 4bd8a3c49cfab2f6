package eu.ess.justbinit.wire.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import eu.ess.justbinit.wire.rpc.HistogramType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * da00: every fixture of the reference library decodes field by field, reads as a frame where it
 * carries one, and comes back unchanged through our encoder; histograms encoded as da00 read back
 * with their values.
 */
class Da00CodecTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  static Stream<Path> fixtures() throws IOException {
    Path folder =
        Path.of(System.getProperty("jbi.testdata.dir", "../testdata"), "fixtures", "da00");
    List<Path> found;
    try (Stream<Path> files = Files.list(folder)) {
      found = files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
    assertEquals(4, found.size(), "da00 fixtures in " + folder);
    return found.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void fixtureDecodesToTheExpectedValues(Path json) throws IOException, CodecException {
    JsonNode fixture = JSON.readTree(json.toFile());
    byte[] bytes = Files.readAllBytes(json.resolveSibling(fixture.get("file").asText()));
    DataArrayMessage message = new DataArrayDecoder().decode(ByteBuffer.wrap(bytes));
    check(fixture.get("expected"), message);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void fixtureComesBackThroughOurEncoder(Path json) throws IOException, CodecException {
    JsonNode fixture = JSON.readTree(json.toFile());
    byte[] bytes = Files.readAllBytes(json.resolveSibling(fixture.get("file").asText()));
    DataArrayDecoder decoder = new DataArrayDecoder();
    byte[] ours = new DataArrayEncoder().encode(decoder.decode(ByteBuffer.wrap(bytes)));
    assertEquals("da00", new String(ours, 4, 4, java.nio.charset.StandardCharsets.US_ASCII));
    check(fixture.get("expected"), decoder.decode(ByteBuffer.wrap(ours)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void fixtureReadsAsAFrame(Path json) throws IOException, CodecException {
    JsonNode fixture = JSON.readTree(json.toFile());
    byte[] bytes = Files.readAllBytes(json.resolveSibling(fixture.get("file").asText()));
    BinnedFrame frame = new FrameDecoder().decode(ByteBuffer.wrap(bytes));
    JsonNode expected = fixture.get("expected");
    assertEquals(expected.get("source_name").asText(), frame.sourceName());
    assertEquals(expected.get("timestamp").asLong(), frame.timestampNs());
    JsonNode signal = variable(expected, "signal");
    JsonNode frameTime = variable(expected, "frame_time");
    int timeAxis = 0;
    while (!signal.get("axes").get(timeAxis).asText().equals("frame_time")) {
      timeAxis++;
    }
    int bins = signal.get("shape").get(timeAxis).asInt();
    assertEquals(bins, frame.bins());
    assertEquals(signal.get("data").size() / bins, frame.columns());
    double factor = frameTime.get("unit").asText().equals("ms") ? 1e6 : 1;
    int offset = frameTime.get("data").size() == bins ? 1 : 0;
    for (int i = 0; i < frameTime.get("data").size(); i++) {
      double v = frameTime.get("data").get(i).asDouble();
      assertEquals(
          frameTime.get("dtype").asText().equals("float32")
              ? (double) ((float) v * 1e6f)
              : v * factor,
          frame.edge(i + offset),
          "edge " + i);
    }
    // Column-major access of a row-major [.., frame_time] or [frame_time] signal.
    int columns = frame.columns();
    for (int c = 0; c < columns; c++) {
      for (int b = 0; b < bins; b++) {
        int flat = timeAxis == 0 ? b * columns + c : c * bins + b;
        assertEquals(signal.get("data").get(flat).asDouble(), frame.value(b, c), "bin " + b);
      }
    }
  }

  @Test
  void upperEdgesAndUnitsGiveEdgesInNanoseconds() throws CodecException {
    BinnedFrame frame =
        decode(
            new FrameDecoder(),
            List.of(
                signal(List.of("frame_time"), 4, 5),
                DataArrayMessage.Variable.ofDoubles(
                    "frame_time",
                    "s",
                    List.of("frame_time"),
                    new long[] {2},
                    Da00Type.FLOAT64,
                    new double[] {0.01, 0.02})));
    assertEquals(2, frame.bins());
    assertEquals(0, frame.edge(0));
    assertEquals(1e7, frame.edge(1));
    assertEquals(2e7, frame.edge(2));
    assertTrue(frame.integerSignal());
    assertEquals(5, frame.count(1, 0));
  }

  @Test
  void aSignalOfThreeAxesHasItsOtherAxesAsColumns() throws CodecException {
    // [x, frame_time, y] of shape [2, 2, 3]: column = x * 3 + y.
    long[] data = new long[12];
    for (int i = 0; i < data.length; i++) {
      data[i] = i;
    }
    BinnedFrame frame =
        decode(
            new FrameDecoder(),
            List.of(
                DataArrayMessage.Variable.ofLongs(
                    "signal",
                    null,
                    List.of("x", "frame_time", "y"),
                    new long[] {2, 2, 3},
                    Da00Type.INT32,
                    data),
                edges("us", 0, 1, 2)));
    assertEquals(6, frame.columns());
    assertEquals(1000, frame.edge(1));
    // x = 1, y = 2 is column 5; bin 1 of it is element [1][1][2] = 1 * 6 + 1 * 3 + 2.
    assertEquals(11, frame.count(1, 5));
    assertEquals(2, frame.count(0, 2));
  }

  @Test
  void aHistogramEncodedAsDa00ReadsBackWithItsValues() throws CodecException {
    DataArrayEncoder encoder = new DataArrayEncoder();
    double[][] edges = {{0, 0.5, 1}, {10, 20, 30, 40}};
    long[] counts = {1, 2, 3, 4, 5, Long.MAX_VALUE};
    byte[] bytes =
        encoder.histogram(
            HistogramType.HIST2D, "my-id", 1234, new int[] {2, 3}, edges, counts, null, "{}");
    DataArrayMessage message = new DataArrayDecoder().decode(ByteBuffer.wrap(bytes));
    assertEquals("my-id", message.sourceName());
    assertEquals(1234, message.timestampNs());
    DataArrayMessage.Variable signal = message.variables().get(0);
    assertEquals("signal", signal.name());
    assertEquals("counts", signal.unit());
    assertEquals(Da00Type.INT64, signal.type());
    assertEquals(List.of("time_of_flight", "detector_id"), signal.axes());
    assertArrayEquals(new long[] {2, 3}, signal.shape());
    assertArrayEquals(counts, signal.values().integers());
    DataArrayMessage.Variable tof = message.variable("time_of_flight");
    assertEquals("ns", tof.unit());
    assertEquals(List.of("time_of_flight"), tof.axes());
    assertArrayEquals(edges[0], tof.values().floats());
    assertNull(message.variable("detector_id").unit());
    assertArrayEquals(edges[1], message.variable("detector_id").values().floats());
    assertEquals(Da00Type.C_STRING, message.variable("info").type());
    assertEquals("{}", message.variable("info").text());
    assertTrue(message.variable("info").axes().isEmpty());

    double[] values = {0.5, 1, 2.25, 3, 4, 5};
    DataArrayMessage floating =
        new DataArrayDecoder()
            .decode(
                ByteBuffer.wrap(
                    encoder.histogram(
                        HistogramType.DETHIST,
                        "d",
                        1,
                        new int[] {2, 3},
                        edges,
                        counts,
                        values,
                        "{\"sum\":15.75}")));
    assertEquals(Da00Type.FLOAT64, floating.variable("signal").type());
    assertEquals(List.of("x", "y"), floating.variable("signal").axes());
    assertArrayEquals(values, floating.variable("signal").values().floats());
    assertFalse(floating.variable("x").unit() != null);
  }

  @Test
  void theHistogramDecoderReadsOurDa00HistogramsAsItReadsHs01() throws CodecException {
    double[][] edges = {{0, 10, 20}};
    byte[] bytes =
        new DataArrayEncoder()
            .histogram(
                HistogramType.HIST1D,
                "mon",
                99,
                new int[] {2},
                edges,
                new long[] {1, 2},
                new double[] {1.5, 2},
                "{\"id\":\"mon\"}");
    HistogramMessage message = new HistogramDecoder().decode(ByteBuffer.wrap(bytes));
    assertEquals("da00", message.schema());
    assertEquals("mon", message.source());
    assertEquals(99, message.timestampNs());
    assertArrayEquals(new int[] {2}, message.shape());
    assertArrayEquals(edges[0], message.dimensions().get(0).boundaries());
    assertEquals("ns", message.dimensions().get(0).unit());
    assertEquals("time_of_flight", message.dimensions().get(0).label());
    assertArrayEquals(new double[] {1.5, 2}, message.data().floats());
    assertEquals("{\"id\":\"mon\"}", message.info());
  }

  @Test
  void eachHistogramTypeHasItsAxesAndOtherTypesAreRefused() {
    assertEquals(List.of("time_of_flight"), DataArrayEncoder.axes(HistogramType.HIST1D));
    assertEquals(
        List.of("time_of_flight", "detector_id"), DataArrayEncoder.axes(HistogramType.HIST2D));
    assertEquals(List.of("x", "y"), DataArrayEncoder.axes(HistogramType.DETHIST));
    assertEquals(List.of("x", "row"), DataArrayEncoder.axes(HistogramType.ROIHIST));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> DataArrayEncoder.axes(HistogramType.HISTOGRAM_TYPE_UNSPECIFIED));
    assertEquals("no histogram type: HISTOGRAM_TYPE_UNSPECIFIED", e.getMessage());
  }

  @Test
  void aHistogramWhoseShapeOrEdgesDoNotMatchItsTypeIsRefused() {
    DataArrayEncoder encoder = new DataArrayEncoder();
    IllegalArgumentException shape =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                encoder.histogram(
                    HistogramType.HIST1D,
                    "h",
                    0,
                    new int[] {1, 1},
                    new double[][] {{0, 1}},
                    new long[] {1},
                    null,
                    "{}"));
    assertEquals("HIST1D has 1 axes, got 2 extents and 1 edge arrays", shape.getMessage());
    IllegalArgumentException edges =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                encoder.histogram(
                    HistogramType.ROIHIST,
                    "h",
                    0,
                    new int[] {1, 1},
                    new double[][] {{0, 1}},
                    new long[] {1},
                    null,
                    "{}"));
    assertEquals("ROIHIST has 2 axes, got 2 extents and 1 edge arrays", edges.getMessage());
  }

  @Test
  void aRoiHistogramGoesOutOverXAndRow() throws CodecException {
    byte[] bytes =
        new DataArrayEncoder()
            .histogram(
                HistogramType.ROIHIST,
                "roi",
                3,
                new int[] {1, 2},
                new double[][] {{0, 1}, {0, 1, 2}},
                new long[] {6, 7},
                null,
                "{}");
    DataArrayMessage message = new DataArrayDecoder().decode(ByteBuffer.wrap(bytes));
    assertEquals(List.of("x", "row"), message.variable("signal").axes());
    assertArrayEquals(new long[] {6, 7}, message.variable("signal").values().integers());
    assertArrayEquals(new double[] {0, 1, 2}, message.variable("row").values().floats());
  }

  @Test
  void theHistogramDecoderRefusesADa00WithoutANumericSignal() {
    for (DataArrayMessage.Variable signal :
        List.of(
            DataArrayMessage.Variable.ofText("signal", "counts", "12"),
            DataArrayMessage.Variable.ofText("info", null, "{}"))) {
      byte[] bytes = new DataArrayEncoder().encode(new DataArrayMessage("h", 1, List.of(signal)));
      CodecException e =
          assertThrows(
              CodecException.class, () -> new HistogramDecoder().decode(ByteBuffer.wrap(bytes)));
      assertEquals("da00: no numeric variable named signal", e.getMessage());
    }
  }

  // ---------------------------------------------------------------- helpers

  private static void check(JsonNode expected, DataArrayMessage message) {
    assertEquals(expected.get("source_name").asText(), message.sourceName());
    assertEquals(expected.get("timestamp").asLong(), message.timestampNs());
    JsonNode variables = expected.get("variables");
    assertEquals(variables.size(), message.variables().size());
    for (int i = 0; i < variables.size(); i++) {
      JsonNode want = variables.get(i);
      DataArrayMessage.Variable got = message.variables().get(i);
      String name = want.get("name").asText();
      assertEquals(name, got.name());
      assertEquals(text(want.get("unit")), got.unit(), name + " unit");
      assertEquals(text(want.get("label")), got.label(), name + " label");
      assertEquals(text(want.get("source")), got.source(), name + " source");
      List<String> axes = new ArrayList<>();
      want.get("axes").forEach(a -> axes.add(a.asText()));
      assertEquals(axes, got.axes(), name + " axes");
      assertArrayEquals(FixtureTest.longs(want.get("shape")), got.shape(), name + " shape");
      Da00Type type = Da00Type.ofName(want.get("dtype").asText());
      assertEquals(type, got.type(), name + " dtype");
      if (type == Da00Type.C_STRING) {
        assertEquals(want.get("data").asText(), got.text(), name);
      } else if (type.isInteger()) {
        long[] values = new long[want.get("data").size()];
        for (int j = 0; j < values.length; j++) {
          values[j] = want.get("data").get(j).bigIntegerValue().longValue();
        }
        assertArrayEquals(values, got.values().integers(), name);
      } else {
        double[] values = new double[want.get("data").size()];
        for (int j = 0; j < values.length; j++) {
          values[j] = want.get("data").get(j).asDouble();
        }
        assertArrayEquals(values, got.values().floats(), name);
      }
    }
  }

  private static String text(JsonNode value) {
    return value == null || value.isNull() ? null : value.asText();
  }

  private static JsonNode variable(JsonNode expected, String name) {
    for (JsonNode v : expected.get("variables")) {
      if (v.get("name").asText().equals(name)) {
        return v;
      }
    }
    throw new AssertionError("no " + name);
  }

  private static DataArrayMessage.Variable signal(List<String> axes, long... values) {
    return DataArrayMessage.Variable.ofLongs(
        "signal", null, axes, new long[] {values.length}, Da00Type.INT64, values);
  }

  private static DataArrayMessage.Variable edges(String unit, long... values) {
    return DataArrayMessage.Variable.ofLongs(
        "frame_time",
        unit,
        List.of("frame_time"),
        new long[] {values.length},
        Da00Type.INT64,
        values);
  }

  private static BinnedFrame decode(FrameDecoder decoder, List<DataArrayMessage.Variable> vars)
      throws CodecException {
    byte[] bytes = new DataArrayEncoder().encode(new DataArrayMessage("mon", 5, vars));
    return decoder.decode(ByteBuffer.wrap(bytes));
  }
}
