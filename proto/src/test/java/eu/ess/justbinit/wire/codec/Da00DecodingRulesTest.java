package eu.ess.justbinit.wire.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.ess.justbinit.wire.codec.RawMessages.Da00Variable;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The reading rules of docs/da00.md, rule by rule: what {@link FrameDecoder} takes from a da00
 * DataArray (every element type, the first variable of each name, every unit) and the exact reason
 * it gives for each frame it refuses; and the refusals of {@link DataArrayDecoder} for messages
 * that are not da00 DataArrays.
 */
class Da00DecodingRulesTest {
  private static final List<String> TIME = List.of("frame_time");

  // ---------------------------------------------------------------- what a frame is read as

  static Stream<Arguments> integerSignals() {
    return Stream.of(
        Arguments.of(Da00Type.INT8, new long[] {-128, 0, 127}, new long[] {-128, 0, 127}),
        Arguments.of(Da00Type.UINT8, new long[] {0, 1, 255}, new long[] {0, 1, 255}),
        Arguments.of(Da00Type.INT16, new long[] {-32768, 5, 32767}, new long[] {-32768, 5, 32767}),
        Arguments.of(Da00Type.UINT16, new long[] {0, 7, 65535}, new long[] {0, 7, 65535}),
        Arguments.of(
            Da00Type.INT32,
            new long[] {Integer.MIN_VALUE, 9, Integer.MAX_VALUE},
            new long[] {Integer.MIN_VALUE, 9, Integer.MAX_VALUE}),
        Arguments.of(
            Da00Type.UINT32, new long[] {0, 11, 4294967295L}, new long[] {0, 11, 4294967295L}),
        Arguments.of(
            Da00Type.INT64,
            new long[] {Long.MIN_VALUE, 13, Long.MAX_VALUE},
            new long[] {Long.MIN_VALUE, 13, Long.MAX_VALUE}),
        // A value that does not fit the type is truncated to its width when written.
        Arguments.of(Da00Type.UINT8, new long[] {256, 257, -1}, new long[] {0, 1, 255}),
        Arguments.of(Da00Type.INT16, new long[] {65535, 32768, 0}, new long[] {-1, -32768, 0}));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("integerSignals")
  void anIntegerSignalOfEveryWidthIsReadExactly(Da00Type type, long[] written, long[] read)
      throws CodecException {
    byte[] bytes =
        encode(
            DataArrayMessage.Variable.ofLongs("signal", "A", TIME, new long[] {3}, type, written),
            edges("ns", 0, 10, 20, 30));
    BinnedFrame frame = new FrameDecoder().decode(ByteBuffer.wrap(bytes));
    assertEquals(type, frame.signalType());
    assertTrue(frame.integerSignal());
    for (int b = 0; b < 3; b++) {
      assertEquals(read[b], frame.count(b, 0), "count of bin " + b);
      assertEquals((double) read[b], frame.value(b, 0), "value of bin " + b);
    }
    DataArrayMessage.Variable signal =
        new DataArrayDecoder().decode(ByteBuffer.wrap(bytes)).variable("signal");
    assertEquals(type, signal.type());
    assertEquals(3, signal.length());
    assertArrayEquals(read, signal.values().integers());
    assertEquals(type.wireName(), signal.values().elementType());
  }

  @Test
  void aUint64SignalCountsItsBitPatternAndIsValuedUnsigned() throws CodecException {
    long[] written = {0, 15, 1L << 63, -1};
    byte[] bytes =
        encode(
            DataArrayMessage.Variable.ofLongs(
                "signal", null, TIME, new long[] {4}, Da00Type.UINT64, written),
            edges("ns", 1, 2, 3, 4));
    BinnedFrame frame = new FrameDecoder().decode(ByteBuffer.wrap(bytes));
    assertTrue(frame.integerSignal());
    assertEquals(15, frame.count(1, 0));
    assertEquals(1L << 63, frame.count(2, 0));
    assertEquals(-1, frame.count(3, 0));
    assertEquals(0.0, frame.value(0, 0));
    assertEquals(15.0, frame.value(1, 0));
    assertEquals(Math.scalb(1.0, 63), frame.value(2, 0));
    assertEquals(new BigInteger("18446744073709551615").doubleValue(), frame.value(3, 0));
    assertArrayEquals(
        written,
        new DataArrayDecoder()
            .decode(ByteBuffer.wrap(bytes))
            .variable("signal")
            .values()
            .integers());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"FLOAT32", "FLOAT64"})
  void aFloatingSignalIsValuedExactlyAndCountsTruncatedTowardZero(Da00Type type)
      throws CodecException {
    double[] written = {-1.5, 0.25, 3.75, 1e30};
    byte[] bytes =
        encode(
            DataArrayMessage.Variable.ofDoubles("signal", "A", TIME, new long[] {4}, type, written),
            edges("ns", 0, 1, 2, 3, 4));
    BinnedFrame frame = new FrameDecoder().decode(ByteBuffer.wrap(bytes));
    assertEquals(type, frame.signalType());
    assertFalse(frame.integerSignal());
    double[] read = new double[4];
    long[] counts = new long[4];
    for (int b = 0; b < 4; b++) {
      read[b] = frame.value(b, 0);
      counts[b] = frame.count(b, 0);
    }
    double big = type == Da00Type.FLOAT32 ? (double) 1e30f : 1e30;
    assertArrayEquals(new double[] {-1.5, 0.25, 3.75, big}, read);
    assertArrayEquals(new long[] {-1, 0, 3, Long.MAX_VALUE}, counts);
    DataArrayMessage.Variable signal =
        new DataArrayDecoder().decode(ByteBuffer.wrap(bytes)).variable("signal");
    assertEquals(type.size() * 4, signal.data().length);
    assertArrayEquals(new double[] {-1.5, 0.25, 3.75, big}, signal.values().floats());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"ns, 1", "us, 1000", "usec, 1000", "ms, 1000000", "s, 1000000000"})
  void eachUnitScalesTheEdgesToNanoseconds(String unit, long factor) throws CodecException {
    BinnedFrame frame = decode(signal(4, 5), edges(unit, 2, 3));
    assertEquals(0, frame.edge(0));
    assertEquals(2.0 * factor, frame.edge(1));
    assertEquals(3.0 * factor, frame.edge(2));
  }

  @Test
  void edgesOfSmallIntegerTypesAndFloat32AreScaledAsDocumented() throws CodecException {
    BinnedFrame bytes =
        decode(
            signal(1, 2),
            DataArrayMessage.Variable.ofLongs(
                "frame_time",
                "ms",
                TIME,
                new long[] {3},
                Da00Type.UINT8,
                new long[] {0, 200, 255}));
    assertEquals(255e6, bytes.edge(2));
    // float32 edges scale as a float32 product, as numpy does: 0.1f * 1e6f, not 0.1 * 1e6.
    BinnedFrame floats =
        decode(
            signal(1),
            DataArrayMessage.Variable.ofDoubles(
                "frame_time", "ms", TIME, new long[] {1}, Da00Type.FLOAT32, new double[] {0.1}));
    assertEquals((double) (0.1f * 1e6f), floats.edge(1));
  }

  @Test
  void theFirstVariableOfEachNameIsReadAndTheOthersIgnored() throws CodecException {
    BinnedFrame frame =
        decode(
            DataArrayMessage.Variable.ofText("reference_time", null, "ignored"),
            signal(1, 2),
            edges("ns", 0, 10, 20),
            signal(7, 8, 9),
            edges("ps", 5));
    assertEquals("mon", frame.sourceName());
    assertEquals(5, frame.timestampNs());
    assertEquals(2, frame.bins());
    assertEquals(2, frame.count(1, 0));
    assertEquals(20, frame.edge(2));
    BinnedFrame timeFirst = decode(edges("us", 1, 2), edges("ns", 3, 4), signal(5, 6));
    assertEquals(2000, timeFirst.edge(2));
  }

  @Test
  void aVariableWithoutANameIsIgnoredByTheFrameReaderAndRefusedByTheFullReader()
      throws CodecException {
    byte[] bytes =
        RawMessages.da00(
            "mon",
            List.of(
                raw(null, Da00Type.INT64, TIME, new long[] {1}, int64s(99)),
                raw("signal", Da00Type.INT64, TIME, new long[] {1}, int64s(4)),
                raw("frame_time", Da00Type.INT64, TIME, new long[] {1}, int64s(10), "ns")));
    BinnedFrame frame = new FrameDecoder().decode(ByteBuffer.wrap(bytes));
    assertEquals(4, frame.count(0, 0));
    assertEquals(10, frame.edge(1));
    assertDecoderRefuses("da00: required field name is missing", bytes);
  }

  @Test
  void aFrameDecoderIsReusedAcrossFramesOfOtherSourcesAndSizes() throws CodecException {
    FrameDecoder decoder = new FrameDecoder();
    BinnedFrame first =
        decoder.decode(ByteBuffer.wrap(encode("a", signal(1, 2, 3), edges("ns", 0, 1, 2, 3))));
    assertEquals("a", first.sourceName());
    assertEquals(3, first.edge(3));
    BinnedFrame second = decoder.decode(ByteBuffer.wrap(encode("b", signal(4), edges("ns", 7))));
    assertEquals("b", second.sourceName());
    assertEquals(1, second.bins());
    assertEquals(7, second.edge(1));
    assertEquals(4, second.count(0, 0));
    String source = second.sourceName();
    BinnedFrame third = decoder.decode(ByteBuffer.wrap(encode("b", signal(6), edges("ns", 8))));
    assertSame(source, third.sourceName(), "the same source name is not allocated again");
    assertEquals(6, third.count(0, 0));
  }

  // ---------------------------------------------------------------- what a frame is refused for

  @Test
  void framesBreakingTheRulesAreRefusedWithTheReason() {
    assertRefused("da00: no variable named signal", edges("ns", 0, 10, 20));
    assertRefused("da00: no variable named frame_time", signal(1, 2));
    assertRefused(
        "da00: signal has no frame_time axis",
        DataArrayMessage.Variable.ofLongs(
            "signal", null, List.of("tof"), new long[] {2}, Da00Type.INT64, new long[] {1, 2}),
        edges("ns", 0, 10, 20));
    assertRefused(
        "da00: frame_time unit \"ps\" is not ns, us, usec, ms or s",
        signal(1, 2),
        edges("ps", 0, 10, 20));
    assertRefused(
        "da00: frame_time unit \"NS\" is not ns, us, usec, ms or s",
        signal(1, 2),
        edges("NS", 0, 10, 20));
    assertRefused("da00: frame_time has no unit", signal(1, 2), edges(null, 0, 10, 20));
    assertRefused(
        "da00: frame_time edges must be strictly increasing, edge 1 is 10.0 ns and edge 2 is 10.0"
            + " ns",
        signal(1, 2),
        edges("ns", 0, 10, 10));
    assertRefused(
        "da00: frame_time edges must be strictly increasing, edge 0 is 0.0 ns and edge 1 is 0.0 ns",
        signal(1, 2),
        edges("ns", 0, 10));
    assertRefused(
        "da00: frame_time has 4 values for 2 bins, it needs 3 edges or 2 upper edges",
        signal(1, 2),
        edges("ns", 0, 10, 20, 30));
    assertRefused(
        "da00: frame_time has 1 values for 2 bins, it needs 3 edges or 2 upper edges",
        signal(1, 2),
        edges("ns", 10));
    assertRefused(
        "da00: signal must be numeric, its data_type is c_string",
        DataArrayMessage.Variable.ofText("signal", null, "12"),
        edges("ns", 0, 10, 20));
    assertRefused(
        "da00: frame_time must be numeric, its data_type is c_string",
        signal(1),
        DataArrayMessage.Variable.ofText("frame_time", "ns", "0 10"));
    assertRefused(
        "da00: signal has 0 axes for 1 dimensions, it needs one axis per dimension",
        DataArrayMessage.Variable.ofLongs(
            "signal", null, List.of(), new long[] {1}, Da00Type.INT64, new long[] {7}),
        edges("ns", 0, 10));
    assertRefused(
        "da00: frame_time must be one-dimensional, it has 2 dimensions",
        signal(1, 2),
        DataArrayMessage.Variable.ofLongs(
            "frame_time", "ns", TIME, new long[] {1, 3}, Da00Type.INT64, new long[] {0, 1, 2}));
  }

  @Test
  void aSignalWhoseShapeDoesNotFitItsDataIsRefused() {
    assertRefused(
        "da00: signal holds 16 bytes, its shape needs 24",
        DataArrayMessage.Variable.ofLongs(
            "signal", null, TIME, new long[] {3}, Da00Type.INT64, new long[] {1, 2}),
        edges("ns", 0, 1, 2, 3));
    assertRefused(
        "da00: frame_time holds 8 bytes, its shape needs 16",
        signal(1),
        DataArrayMessage.Variable.ofLongs(
            "frame_time", "ns", TIME, new long[] {2}, Da00Type.INT64, new long[] {5}));
    assertRefused(
        "da00: signal shape has extent -1",
        DataArrayMessage.Variable.ofLongs(
            "signal", null, TIME, new long[] {-1}, Da00Type.INT64, new long[0]),
        edges("ns", 0));
    assertRefused(
        "da00: signal shape has extent 2147483648",
        DataArrayMessage.Variable.ofLongs(
            "signal", null, TIME, new long[] {1L << 31}, Da00Type.INT64, new long[0]),
        edges("ns", 0));
    assertRefused(
        "da00: signal shape is too large",
        DataArrayMessage.Variable.ofLongs(
            "signal",
            null,
            List.of("frame_time", "x"),
            new long[] {65536, 65536},
            Da00Type.INT8,
            new long[0]),
        edges("ns", 0));
  }

  @Test
  void edgesThatDoNotFitInNanosecondsAreRefused() {
    assertRefused(
        "da00: frame_time value 9223372036854776 overflows in ns",
        signal(1, 2),
        edges("us", 0, 1, Long.MAX_VALUE / 1000 + 1));
    assertRefused(
        "da00: frame_time value -9223372037 overflows in ns",
        signal(1, 2),
        edges("s", -9_223_372_037L, 0, 1));
    assertRefused(
        "da00: frame_time value 18446744073709551615 overflows in ns",
        signal(1, 2),
        DataArrayMessage.Variable.ofLongs(
            "frame_time", "ns", TIME, new long[] {3}, Da00Type.UINT64, new long[] {0, 1, -1}));
  }

  @Test
  void aMessageWithoutARequiredPartIsRefusedByBothReaders() {
    byte[] events = EventEncoder.ev44("mon", 1, 2, new int[0], new int[0]);
    assertBothRefuse("unknown identifier \"ev44\": not a da00 message", events);
    Da00Variable signal = raw("signal", Da00Type.INT64, TIME, new long[] {1}, int64s(1));
    assertBothRefuse(
        "da00: required field source_name is missing", RawMessages.da00(null, List.of(signal)));
    assertBothRefuse("da00: required field data is missing", RawMessages.da00("mon", null));
  }

  @Test
  void anUnknownDataTypeIsRefusedWithItsCode() {
    byte[] bytes =
        RawMessages.da00(
            "mon",
            List.of(
                raw("signal", 12, TIME, new long[] {1}, int64s(1)),
                raw("frame_time", Da00Type.INT64, TIME, new long[] {1}, int64s(10), "ns")));
    assertFrameRefused("da00: signal must be numeric, its data_type is 12", bytes);
    assertDecoderRefuses("da00: signal has unknown data_type 12", bytes);
  }

  @Test
  void aVariableWithoutDataReadsAsEmptyButIsNoSignal() throws CodecException {
    byte[] bytes =
        RawMessages.da00(
            "mon",
            List.of(
                raw("signal", Da00Type.INT64, TIME, new long[] {2}, null),
                raw("frame_time", Da00Type.INT64, TIME, new long[] {2}, int64s(10, 20), "ns")));
    DataArrayMessage.Variable signal =
        new DataArrayDecoder().decode(ByteBuffer.wrap(bytes)).variable("signal");
    assertEquals(0, signal.data().length);
    assertArrayEquals(new long[] {2}, signal.shape());
    assertArrayEquals(new long[0], signal.values().integers());
    assertFrameRefused("da00: signal holds 0 bytes, its shape needs 16", bytes);
  }

  // ---------------------------------------------------------------- identifiers and types

  @Test
  void isDa00LooksAtTheIdentifierFromThePosition() {
    byte[] da00 = encode(signal(1), edges("ns", 1));
    assertTrue(FrameDecoder.isDa00(ByteBuffer.wrap(da00)));
    assertFalse(FrameDecoder.isDa00(ByteBuffer.wrap(da00, 0, 7)));
    byte[] shifted = new byte[da00.length + 3];
    System.arraycopy(da00, 0, shifted, 3, da00.length);
    assertFalse(FrameDecoder.isDa00(ByteBuffer.wrap(shifted)));
    assertTrue(FrameDecoder.isDa00(ByteBuffer.wrap(shifted, 3, da00.length)));
    for (String other : new String[] {"xa00", "dx00", "dax0", "da0x", "ev44", "hs01"}) {
      byte[] renamed = da00.clone();
      System.arraycopy(
          other.getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, renamed, 4, 4);
      assertFalse(FrameDecoder.isDa00(ByteBuffer.wrap(renamed)), other);
    }
    assertFalse(
        FrameDecoder.isDa00(
            ByteBuffer.wrap(EventEncoder.ev44("mon", 1, 2, new int[0], new int[0]))));
  }

  @Test
  void elementTypesAreNamedByTheirWireCodesAndNames() {
    for (Da00Type type : Da00Type.values()) {
      assertEquals(type, Da00Type.ofCode(type.code()));
      assertEquals(type, Da00Type.ofName(type.wireName()));
    }
    assertNull(Da00Type.ofCode(-1));
    assertNull(Da00Type.ofCode(12));
    assertEquals(8, Da00Type.UINT64.size());
    assertEquals(1, Da00Type.C_STRING.size());
    IllegalArgumentException unknown =
        assertThrows(IllegalArgumentException.class, () -> Da00Type.ofName("float16"));
    assertEquals("no da00 element type \"float16\"", unknown.getMessage());
    ByteBuffer bytes = ByteBuffer.allocate(8);
    for (Da00Type type : new Da00Type[] {Da00Type.NONE, Da00Type.C_STRING}) {
      assertFalse(type.isNumeric());
      IllegalStateException none =
          assertThrows(IllegalStateException.class, () -> type.longAt(bytes, 0, 0));
      assertEquals(type.wireName() + " has no numbers", none.getMessage());
    }
  }

  @Test
  void aTextVariableHasNoNumbersAndNamesItself() {
    DataArrayMessage.Variable info = DataArrayMessage.Variable.ofText("info", null, "{\"a\":1}");
    IllegalStateException e = assertThrows(IllegalStateException.class, info::values);
    assertEquals("info is c_string, not numbers", e.getMessage());
    assertEquals("info c_string [] [7]", info.toString());
    assertEquals("frame_time int64 [frame_time] [2]", edges("ns", 1, 2).toString());
    assertEquals(
        0,
        new DataArrayMessage.Variable(
                "n", null, null, null, Da00Type.NONE, List.of(), new long[0], new byte[3])
            .length());
  }

  // ---------------------------------------------------------------- helpers

  private static DataArrayMessage.Variable signal(long... values) {
    return DataArrayMessage.Variable.ofLongs(
        "signal", "A", TIME, new long[] {values.length}, Da00Type.INT64, values);
  }

  private static DataArrayMessage.Variable edges(String unit, long... values) {
    return DataArrayMessage.Variable.ofLongs(
        "frame_time", unit, TIME, new long[] {values.length}, Da00Type.INT64, values);
  }

  private static Da00Variable raw(
      String name, Da00Type type, List<String> axes, long[] shape, byte[] data) {
    return raw(name, type.code(), axes, shape, data);
  }

  private static Da00Variable raw(
      String name, Da00Type type, List<String> axes, long[] shape, byte[] data, String unit) {
    return new Da00Variable(name, type.code(), axes, shape, data, unit);
  }

  private static Da00Variable raw(
      String name, int code, List<String> axes, long[] shape, byte[] data) {
    return new Da00Variable(name, code, axes, shape, data, null);
  }

  /** {@code values} as little-endian int64s. */
  private static byte[] int64s(long... values) {
    return DataArrayMessage.Variable.ofLongs(
            "x", null, List.of(), new long[0], Da00Type.INT64, values)
        .data();
  }

  private static byte[] encode(DataArrayMessage.Variable... variables) {
    return encode("mon", variables);
  }

  private static byte[] encode(String source, DataArrayMessage.Variable... variables) {
    return new DataArrayEncoder()
        .encode(new DataArrayMessage(source, 5, new ArrayList<>(Arrays.asList(variables))));
  }

  private static BinnedFrame decode(DataArrayMessage.Variable... variables) throws CodecException {
    return new FrameDecoder().decode(ByteBuffer.wrap(encode(variables)));
  }

  private static void assertRefused(String reason, DataArrayMessage.Variable... variables) {
    assertFrameRefused(reason, encode(variables));
  }

  private static void assertFrameRefused(String reason, byte[] bytes) {
    CodecException e =
        assertThrows(CodecException.class, () -> new FrameDecoder().decode(ByteBuffer.wrap(bytes)));
    assertEquals(reason, e.getMessage());
  }

  private static void assertDecoderRefuses(String reason, byte[] bytes) {
    CodecException e =
        assertThrows(
            CodecException.class, () -> new DataArrayDecoder().decode(ByteBuffer.wrap(bytes)));
    assertEquals(reason, e.getMessage());
  }

  private static void assertBothRefuse(String reason, byte[] bytes) {
    assertFrameRefused(reason, bytes);
    assertDecoderRefuses(reason, bytes);
  }
}
