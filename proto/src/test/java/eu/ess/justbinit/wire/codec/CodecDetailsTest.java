package eu.ess.justbinit.wire.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.flatbuffers.FlatBufferBuilder;
import eu.ess.justbinit.wire.codec.fbs.hs01.Array;
import eu.ess.justbinit.wire.codec.fbs.hs01.ArrayDouble;
import eu.ess.justbinit.wire.codec.fbs.hs01.ArrayLong;
import eu.ess.justbinit.wire.codec.fbs.hs01.DimensionMetaData;
import eu.ess.justbinit.wire.codec.fbs.hs01.EventHistogram;
import eu.ess.justbinit.wire.rpc.HistogramSchema;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Details the round-trip tests leave open (found by mutation testing, scripts/mutation-test). */
class CodecDetailsTest {
  private static final int[] SHAPE = {2};
  private static final double[][] EDGES = {{0, 1, 2}};
  private static final long[] COUNTS = {3, 4};

  @Test
  void rejectionsNameTheSchema() {
    byte[] ev44 = EventEncoder.ev44("a", 1, 2, new int[] {1}, new int[] {2});
    byte[] ev42 = EventEncoder.ev42("a", 1, 2, new int[] {1}, new int[] {2});
    EventDecoder events = new EventDecoder();
    assertTrue(rejection(ev44, events::decode).startsWith("ev44: "));
    assertTrue(rejection(ev42, events::decode).startsWith("ev42: "));
    byte[] mismatched = EventEncoder.ev44("a", 1, 2, new int[] {1, 2}, new int[] {1});
    assertEquals(
        "ev44: time_of_flight has 2 elements but pixel_id has 1",
        assertThrows(CodecException.class, () -> events.decode(ByteBuffer.wrap(mismatched)))
            .getMessage());

    HistogramDecoder histograms = new HistogramDecoder();
    HistogramEncoder encoder = new HistogramEncoder();
    for (HistogramSchema schema :
        new HistogramSchema[] {HistogramSchema.HS00, HistogramSchema.HS01}) {
      byte[] histogram = encoder.encode(schema, 1, SHAPE, EDGES, COUNTS, "");
      String rejection = rejection(histogram, histograms::decode);
      assertTrue(
          rejection.startsWith(schema.name().toLowerCase(java.util.Locale.ROOT) + ": "), rejection);
    }

    byte[] status = StatusCodec.encode(new StatusMessage("a", "b", "c", "d", 1, 2, "{}"));
    assertTrue(rejection(status, StatusCodec::decode).startsWith("x5f2: "));
  }

  @Test
  void dimensionUnitAndLabelAreRead() throws CodecException {
    FlatBufferBuilder builder = new FlatBufferBuilder(256);
    int boundaries =
        ArrayDouble.createArrayDouble(
            builder, ArrayDouble.createValueVector(builder, new double[] {0, 1, 2}));
    int unit = builder.createString("ns");
    int label = builder.createString("time of flight");
    int dimension =
        DimensionMetaData.createDimensionMetaData(
            builder, 2, unit, label, Array.ArrayDouble, boundaries);
    int dims = EventHistogram.createDimMetadataVector(builder, new int[] {dimension});
    int shape = EventHistogram.createCurrentShapeVector(builder, SHAPE);
    int data = ArrayLong.createArrayLong(builder, ArrayLong.createValueVector(builder, COUNTS));
    EventHistogram.startEventHistogram(builder);
    EventHistogram.addCurrentShape(builder, shape);
    EventHistogram.addDimMetadata(builder, dims);
    EventHistogram.addDataType(builder, Array.ArrayLong);
    EventHistogram.addData(builder, data);
    EventHistogram.finishEventHistogramBuffer(builder, EventHistogram.endEventHistogram(builder));

    HistogramMessage message =
        new HistogramDecoder().decode(ByteBuffer.wrap(builder.sizedByteArray()));
    assertEquals("ns", message.dimensions().get(0).unit());
    assertEquals("time of flight", message.dimensions().get(0).label());
    assertEquals(COUNTS.length, message.data().length());
  }

  @Test
  void reusedEncoderWritesTheSameBytesAsAFreshOne() {
    HistogramEncoder reused = new HistogramEncoder();
    reused.encode(
        HistogramSchema.HS01,
        1,
        new int[] {3},
        new double[][] {{0, 1, 2, 3}},
        new long[] {1, 2, 3},
        "first");
    byte[] second = reused.encode(HistogramSchema.HS01, 2, SHAPE, EDGES, COUNTS, "second");
    assertArrayEquals(
        new HistogramEncoder().encode(HistogramSchema.HS01, 2, SHAPE, EDGES, COUNTS, "second"),
        second);
  }

  @Test
  void referenceTimeWithoutAnIndexStartsAtEventZero() throws CodecException {
    byte[] bytes = RawMessages.ev44("s", new long[] {10, 20, 30}, new int[] {0});
    EventMessage message = new EventDecoder().decode(ByteBuffer.wrap(bytes));
    assertEquals(3, message.referenceTimeCount());
    assertEquals(30, message.referenceTimeNs(2));
    for (int i = 0; i < 3; i++) {
      assertEquals(0, message.referenceTimeIndex(i), "reference time " + i);
    }
  }

  @Test
  void statusCarriesTheLargestUint32() throws CodecException {
    StatusMessage status = new StatusMessage("a", "b", "c", "d", 0xffff_ffffL, 0xffff_ffffL, "{}");
    assertEquals(status, StatusCodec.decode(ByteBuffer.wrap(StatusCodec.encode(status))));
  }

  @Test
  void vectorWithElementsIsNotEmpty() {
    assertFalse(IntVector.of(0).isEmpty());
  }

  private static String rejection(byte[] message, Damage.Decoding decoding) {
    // Cut inside the last vector or string, past the root table: a field of the named schema.
    byte[] cut = Arrays.copyOf(message, message.length - 5);
    return assertThrows(CodecException.class, () -> decoding.decode(ByteBuffer.wrap(cut)))
        .getMessage();
  }
}
