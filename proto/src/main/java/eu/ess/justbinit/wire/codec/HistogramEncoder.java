package eu.ess.justbinit.wire.codec;

import com.google.flatbuffers.FlatBufferBuilder;
import eu.ess.justbinit.wire.codec.fbs.hs01.Array;
import eu.ess.justbinit.wire.codec.fbs.hs01.ArrayDouble;
import eu.ess.justbinit.wire.codec.fbs.hs01.ArrayLong;
import eu.ess.justbinit.wire.codec.fbs.hs01.DimensionMetaData;
import eu.ess.justbinit.wire.codec.fbs.hs01.EventHistogram;
import eu.ess.justbinit.wire.rpc.HistogramSchema;
import java.nio.ByteBuffer;

/**
 * Encodes histograms as hs01 or hs00 the way the original just-bin-it does: source "just-bin-it",
 * timestamp, current_shape, one dim_metadata per dimension (length and bin_boundaries as doubles),
 * the counts as 64-bit integers (ArrayLong; hs00 ArrayULong), or as doubles (ArrayDouble) for a
 * floating histogram, and the info string.
 *
 * <p>hs00 and hs01 have the same wire layout: the same fields in the same slots with scalars of the
 * same widths (hs00's unsigned, hs01's signed), and the union members numbered alike (hs00's
 * ArrayULong and hs01's ArrayLong are both 2, ArrayDouble both 3). So one writer serves both and
 * only the file identifier differs; the tests read hs00 output back with the generated hs00
 * classes.
 *
 * <p>Reuses one builder, so its buffer grows to the largest histogram once and is then reused. Not
 * thread-safe: one encoder per publishing thread.
 */
public final class HistogramEncoder {
  /** The source name the original writes into every histogram. */
  public static final String SOURCE = "just-bin-it";

  private final FlatBufferBuilder builder = new FlatBufferBuilder(1024);

  /**
   * Encodes one histogram; the returned bytes are the caller's.
   *
   * @param shape bins per dimension ({@code shape.length == edges.length})
   * @param edges per dimension, its {@code shape[i] + 1} bin boundaries
   * @param counts the row-major counts, as many as the product of {@code shape}
   */
  public byte[] encode(
      HistogramSchema schema,
      long timestampNs,
      int[] shape,
      double[][] edges,
      long[] counts,
      String info) {
    return encode(schema, timestampNs, shape, edges, counts, null, info);
  }

  /**
   * Encodes one histogram, with {@code values} as ArrayDouble when not null, else {@code counts} as
   * ArrayLong; the returned bytes are the caller's.
   */
  public byte[] encode(
      HistogramSchema schema,
      long timestampNs,
      int[] shape,
      double[][] edges,
      long[] counts,
      double[] values,
      String info) {
    String identifier = identifier(schema);
    if (shape.length != edges.length) {
      throw new IllegalArgumentException(
          shape.length + " dimensions in shape but " + edges.length + " edge arrays");
    }
    builder.clear();
    int source = builder.createString(SOURCE);
    int infoOffset = builder.createString(info);
    int[] dimensions = new int[shape.length];
    for (int i = 0; i < shape.length; i++) {
      int boundaries = ArrayDouble.createArrayDouble(builder, doubles(edges[i]));
      dimensions[i] =
          DimensionMetaData.createDimensionMetaData(
              builder, shape[i], 0, 0, Array.ArrayDouble, boundaries);
    }
    int dimMetadata = EventHistogram.createDimMetadataVector(builder, dimensions);
    int currentShape = EventHistogram.createCurrentShapeVector(builder, shape);
    int data =
        values != null
            ? ArrayDouble.createArrayDouble(builder, doubles(values))
            : ArrayLong.createArrayLong(builder, longs(counts));
    EventHistogram.startEventHistogram(builder);
    EventHistogram.addSource(builder, source);
    EventHistogram.addTimestamp(builder, timestampNs);
    EventHistogram.addDimMetadata(builder, dimMetadata);
    EventHistogram.addCurrentShape(builder, currentShape);
    EventHistogram.addDataType(builder, values != null ? Array.ArrayDouble : Array.ArrayLong);
    EventHistogram.addData(builder, data);
    EventHistogram.addInfo(builder, infoOffset);
    builder.finish(EventHistogram.endEventHistogram(builder), identifier);
    return builder.sizedByteArray();
  }

  private static String identifier(HistogramSchema schema) {
    return switch (schema) {
      case HS00 -> "hs00";
      case HS01 -> "hs01";
      default -> throw new IllegalArgumentException("no histogram schema: " + schema);
    };
  }

  // Bulk copies: a million elements through addLong one by one would cost far more.
  private int longs(long[] values) {
    ByteBuffer vector = builder.createUnintializedVector(Long.BYTES, values.length, Long.BYTES);
    vector.asLongBuffer().put(values);
    return builder.endVector();
  }

  private int doubles(double[] values) {
    ByteBuffer vector = builder.createUnintializedVector(Double.BYTES, values.length, Long.BYTES);
    vector.asDoubleBuffer().put(values);
    return builder.endVector();
  }
}
