package eu.ess.justbinit.wire.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.flatbuffers.FlatBufferBuilder;
import eu.ess.justbinit.wire.codec.fbs.hs00.ArrayULong;
import eu.ess.justbinit.wire.codec.fbs.hs00.EventHistogram;
import eu.ess.justbinit.wire.codec.fbs.hs01.Array;
import eu.ess.justbinit.wire.codec.fbs.hs01.ArrayDouble;
import eu.ess.justbinit.wire.codec.fbs.hs01.ArrayFloat;
import eu.ess.justbinit.wire.codec.fbs.hs01.ArrayInt;
import eu.ess.justbinit.wire.codec.fbs.hs01.ArrayLong;
import eu.ess.justbinit.wire.codec.fbs.hs01.DimensionMetaData;
import eu.ess.justbinit.wire.rpc.HistogramSchema;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class HistogramCodecTest {
  private static final int[] SHAPE = {2, 3};
  private static final double[][] EDGES = {{0, 0.5, 1}, {10, 20, 30, 40}};
  private static final long[] COUNTS = {1, 2, 3, 4, 5, Long.MAX_VALUE};

  private final HistogramEncoder encoder = new HistogramEncoder();
  private final HistogramDecoder decoder = new HistogramDecoder();

  @ParameterizedTest
  @EnumSource(
      value = HistogramSchema.class,
      names = {"HS00", "HS01"})
  void floatingValuesGoOutAsArrayDouble(HistogramSchema schema) throws CodecException {
    double[] values = {0.5, 1, 2.25, 3, 4, 5};
    byte[] bytes = encoder.encode(schema, 1, SHAPE, EDGES, COUNTS, values, "{}");
    HistogramMessage message = decoder.decode(ByteBuffer.wrap(bytes));
    assertEquals("float64", message.data().elementType());
    assertArrayEquals(values, message.data().floats());
  }

  @ParameterizedTest
  @EnumSource(
      value = HistogramSchema.class,
      names = {"HS00", "HS01"})
  void roundTrip(HistogramSchema schema) throws CodecException {
    byte[] bytes = encoder.encode(schema, 1_700_000_000_500_000_000L, SHAPE, EDGES, COUNTS, "{}");
    HistogramMessage message = decoder.decode(ByteBuffer.wrap(bytes));
    String name = schema == HistogramSchema.HS00 ? "hs00" : "hs01";
    assertEquals(name, new String(bytes, 4, 4, java.nio.charset.StandardCharsets.US_ASCII));
    assertEquals(name, message.schema());
    assertEquals("just-bin-it", message.source());
    assertEquals(1_700_000_000_500_000_000L, message.timestampNs());
    assertArrayEquals(SHAPE, message.shape());
    assertEquals(2, message.dimensions().size());
    for (int i = 0; i < 2; i++) {
      assertEquals(SHAPE[i], message.dimensions().get(i).length());
      assertArrayEquals(EDGES[i], message.dimensions().get(i).boundaries());
      assertEquals("", message.dimensions().get(i).unit());
      assertEquals("", message.dimensions().get(i).label());
    }
    assertEquals(name.equals("hs00") ? "uint64" : "int64", message.data().elementType());
    assertTrue(message.data().isInteger());
    assertArrayEquals(COUNTS, message.data().integers());
    assertNull(message.errors());
    assertEquals("{}", message.info());
  }

  @Test
  void hs00OutputReadsBackWithTheGeneratedHs00Classes() {
    byte[] bytes = encoder.encode(HistogramSchema.HS00, 5, SHAPE, EDGES, COUNTS, "i");
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    assertTrue(EventHistogram.EventHistogramBufferHasIdentifier(buffer));
    EventHistogram histogram = EventHistogram.getRootAsEventHistogram(buffer);
    assertEquals(5, histogram.timestamp());
    assertEquals(3, histogram.currentShape(1));
    assertEquals(eu.ess.justbinit.wire.codec.fbs.hs00.Array.ArrayULong, histogram.dataType());
    ArrayULong data = (ArrayULong) histogram.data(new ArrayULong());
    assertEquals(COUNTS.length, data.valueLength());
    assertEquals(4, data.value(3));
    assertEquals(3, histogram.dimMetadata(0).length() + 1);
  }

  @Test
  void reusedEncoderWritesEachHistogramOnItsOwn() throws CodecException {
    long[] big = new long[1_000_000];
    Arrays.fill(big, 7);
    double[][] edges = {new double[big.length + 1]};
    encoder.encode(HistogramSchema.HS01, 1, new int[] {big.length}, edges, big, "big");
    byte[] small = encoder.encode(HistogramSchema.HS01, 2, SHAPE, EDGES, COUNTS, "small");
    HistogramMessage message = decoder.decode(ByteBuffer.wrap(small));
    assertArrayEquals(COUNTS, message.data().integers());
    assertEquals("small", message.info());
  }

  @Test
  void rejectsUnspecifiedSchemaAndMismatchedDimensions() {
    assertThrows(
        IllegalArgumentException.class,
        () ->
            encoder.encode(
                HistogramSchema.HISTOGRAM_SCHEMA_UNSPECIFIED, 1, SHAPE, EDGES, COUNTS, ""));
    assertThrows(
        IllegalArgumentException.class,
        () -> encoder.encode(HistogramSchema.HS01, 1, new int[] {2}, EDGES, COUNTS, ""));
  }

  @Test
  void acceptsEveryArrayMember() throws CodecException {
    HistogramMessage ints =
        decoder.decode(ByteBuffer.wrap(hs01(Array.ArrayInt, Array.ArrayFloat, "hs01")));
    assertEquals("int32", ints.data().elementType());
    assertArrayEquals(new long[] {-1, 2}, ints.data().integers());
    assertArrayEquals(new double[] {-1, 2, 3}, ints.dimensions().get(0).boundaries());
    assertEquals("float32", ints.errors().elementType());

    HistogramMessage floats =
        decoder.decode(ByteBuffer.wrap(hs01(Array.ArrayFloat, Array.ArrayInt, "hs01")));
    assertEquals("float32", floats.data().elementType());
    assertFalse(floats.data().isInteger());
    assertArrayEquals(new double[] {0.5, 1.5}, floats.data().floats());
    assertArrayEquals(new double[] {-1, 2, 3}, floats.dimensions().get(0).boundaries());

    HistogramMessage doubles =
        decoder.decode(ByteBuffer.wrap(hs01(Array.ArrayDouble, Array.ArrayLong, "hs01")));
    assertEquals("float64", doubles.data().elementType());
    assertArrayEquals(new double[] {0.25, 0.75}, doubles.data().toDoubles());
    assertArrayEquals(new double[] {-1, 2, 3}, doubles.dimensions().get(0).boundaries());
    assertEquals("int64", doubles.errors().elementType());
    assertArrayEquals(new double[] {-1, 2, 3}, doubles.errors().toDoubles());

    // hs00 reads the same layout with unsigned members
    HistogramMessage unsigned =
        decoder.decode(ByteBuffer.wrap(hs01(Array.ArrayInt, Array.ArrayLong, "hs00")));
    assertEquals("uint32", unsigned.data().elementType());
    assertArrayEquals(new long[] {0xffff_ffffL, 2}, unsigned.data().integers());
    assertEquals("uint64", unsigned.errors().elementType());
  }

  @Test
  void wrongAccessorSaysWhatTheArrayHolds() throws CodecException {
    NumericArray data =
        decoder.decode(ByteBuffer.wrap(hs01(Array.ArrayInt, Array.ArrayFloat, "hs01"))).data();
    IllegalStateException e = assertThrows(IllegalStateException.class, data::floats);
    assertTrue(e.getMessage().contains("int32"));
    NumericArray errors =
        decoder.decode(ByteBuffer.wrap(hs01(Array.ArrayInt, Array.ArrayFloat, "hs01"))).errors();
    assertThrows(IllegalStateException.class, errors::integers);
  }

  @Test
  void rejectsBadMessages() {
    assertRejected(
        "unknown identifier \"ev44\"", EventEncoder.ev44("a", 1, 2, new int[0], new int[0]));
    assertRejected("too short", new byte[3]);
    assertRejected("unknown array type 9", hs01((byte) 9, Array.ArrayInt, "hs01"));
    assertRejected("required field data", hs01(Array.NONE, Array.ArrayInt, "hs01"));
    assertRejected("required field current_shape", withoutShape());
  }

  @Test
  void everyTruncationIsACodecExceptionUnlessOnlyPaddingWasCut() throws CodecException {
    byte[] message = encoder.encode(HistogramSchema.HS01, 3, SHAPE, EDGES, COUNTS, "info");
    Damage.truncations(message, b -> describe(decoder.decode(b)));
  }

  @Test
  void corruptBytesAreCodecExceptionsOrDecode() {
    byte[] message = encoder.encode(HistogramSchema.HS01, 3, SHAPE, EDGES, COUNTS, "info");
    Damage.corruptions(message, decoder::decode);
  }

  private static String describe(HistogramMessage m) {
    return m.schema()
        + m.source()
        + m.timestampNs()
        + Arrays.toString(m.shape())
        + Arrays.toString(m.data().integers())
        + m.dimensions().stream().map(d -> Arrays.toString(d.boundaries())).toList()
        + m.info();
  }

  private void assertRejected(String expected, byte[] bytes) {
    CodecException e =
        assertThrows(CodecException.class, () -> decoder.decode(ByteBuffer.wrap(bytes)));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }

  /**
   * An hs01-layout histogram of shape [2] with data of member {@code dataType} (NONE: no data),
   * boundaries and errors of member {@code otherType}, under {@code identifier}.
   */
  private static byte[] hs01(byte dataType, byte otherType, String identifier) {
    FlatBufferBuilder builder = new FlatBufferBuilder(256);
    int boundaries = array(builder, otherType, new double[] {-1, 2, 3});
    int dimension =
        DimensionMetaData.createDimensionMetaData(builder, 2, 0, 0, otherType, boundaries);
    int dims =
        eu.ess.justbinit.wire.codec.fbs.hs01.EventHistogram.createDimMetadataVector(
            builder, new int[] {dimension});
    int shape =
        eu.ess.justbinit.wire.codec.fbs.hs01.EventHistogram.createCurrentShapeVector(
            builder, new int[] {2});
    int data =
        dataType == Array.NONE
            ? 0
            : array(
                builder,
                dataType,
                dataType == Array.ArrayInt ? new double[] {-1, 2} : new double[] {0.5, 1.5});
    if (dataType == Array.ArrayDouble) {
      data =
          ArrayDouble.createArrayDouble(
              builder, ArrayDouble.createValueVector(builder, new double[] {0.25, 0.75}));
    }
    int errors = array(builder, otherType, new double[] {-1, 2, 3});
    builder.startTable(11);
    eu.ess.justbinit.wire.codec.fbs.hs01.EventHistogram.addCurrentShape(builder, shape);
    eu.ess.justbinit.wire.codec.fbs.hs01.EventHistogram.addDimMetadata(builder, dims);
    if (data != 0) {
      eu.ess.justbinit.wire.codec.fbs.hs01.EventHistogram.addDataType(builder, dataType);
      eu.ess.justbinit.wire.codec.fbs.hs01.EventHistogram.addData(builder, data);
    }
    eu.ess.justbinit.wire.codec.fbs.hs01.EventHistogram.addErrorsType(builder, otherType);
    eu.ess.justbinit.wire.codec.fbs.hs01.EventHistogram.addErrors(builder, errors);
    builder.finish(builder.endTable(), identifier);
    return builder.sizedByteArray();
  }

  /** An array table of member {@code type} (an unknown type is written as ArrayInt). */
  private static int array(FlatBufferBuilder builder, byte type, double[] values) {
    switch (type) {
      case Array.ArrayLong -> {
        long[] longs = Arrays.stream(values).mapToLong(v -> (long) v).toArray();
        return ArrayLong.createArrayLong(builder, ArrayLong.createValueVector(builder, longs));
      }
      case Array.ArrayDouble -> {
        return ArrayDouble.createArrayDouble(
            builder, ArrayDouble.createValueVector(builder, values));
      }
      case Array.ArrayFloat -> {
        float[] floats = new float[values.length];
        for (int i = 0; i < values.length; i++) {
          floats[i] = (float) values[i];
        }
        return ArrayFloat.createArrayFloat(builder, ArrayFloat.createValueVector(builder, floats));
      }
      default -> {
        int[] ints = Arrays.stream(values).mapToInt(v -> (int) v).toArray();
        return ArrayInt.createArrayInt(builder, ArrayInt.createValueVector(builder, ints));
      }
    }
  }

  private static byte[] withoutShape() {
    FlatBufferBuilder builder = new FlatBufferBuilder(64);
    int data = array(builder, Array.ArrayLong, new double[] {1});
    builder.startTable(11);
    eu.ess.justbinit.wire.codec.fbs.hs01.EventHistogram.addDataType(builder, Array.ArrayLong);
    eu.ess.justbinit.wire.codec.fbs.hs01.EventHistogram.addData(builder, data);
    builder.finish(builder.endTable(), "hs01");
    return builder.sizedByteArray();
  }
}
