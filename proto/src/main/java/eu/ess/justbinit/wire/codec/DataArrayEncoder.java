package eu.ess.justbinit.wire.codec;

import com.google.flatbuffers.FlatBufferBuilder;
import eu.ess.justbinit.wire.rpc.HistogramType;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes da00 DataArrays the way the reference library (python-streaming-data-types) does: every
 * scalar written even when it has its default value, unit, label and source only when set, shape
 * and data always; a c_string has no axes. Writes any {@link DataArrayMessage}, and histograms in
 * the layout that kafka-to-nexus's da00 module and da00 readers take: a {@code signal} and one
 * bin-edge coordinate per axis, named after the axis, and the info JSON as a c_string.
 *
 * <p>Reuses one builder, so its buffer grows to the largest message once and is then reused. Not
 * thread-safe: one encoder per publishing thread.
 */
public final class DataArrayEncoder {
  /** Unit of the counts of a published histogram. */
  public static final String COUNTS = "counts";

  private final FlatBufferBuilder builder = new FlatBufferBuilder(1024);

  /** The axis names of a histogram type, in the order of its shape. */
  public static List<String> axes(HistogramType type) {
    return switch (type) {
      case HIST1D -> List.of("time_of_flight");
      case HIST2D -> List.of("time_of_flight", "detector_id");
      case DETHIST -> List.of("x", "y");
      case ROIHIST -> List.of("x", "row");
      default -> throw new IllegalArgumentException("no histogram type: " + type);
    };
  }

  /** The unit of an axis's bin edges: "ns" for time of flight, none for pixel axes. */
  public static String axisUnit(String axis) {
    return axis.equals("time_of_flight") ? "ns" : null;
  }

  /** Encodes {@code message}; the returned bytes are the caller's. */
  public byte[] encode(DataArrayMessage message) {
    builder.clear();
    builder.forceDefaults(true);
    List<DataArrayMessage.Variable> variables = message.variables();
    int[] tables = new int[variables.size()];
    for (int i = 0; i < tables.length; i++) {
      DataArrayMessage.Variable v = variables.get(i);
      byte[] data = v.data();
      int dataVector = bytes(data, v.type().size());
      tables[i] =
          variable(
              v.name(), v.unit(), v.label(), v.source(), v.type(), v.axes(), v.shape(), dataVector);
    }
    return finish(message.sourceName(), message.timestampNs(), tables);
  }

  /**
   * Encodes one histogram: {@code signal} (int64 {@code counts}, or float64 {@code values} when not
   * null) over the type's axes, the edges of each axis as a float64 coordinate named after it, and
   * {@code info} as the c_string {@code info}.
   *
   * @param sourceName the histogram's id
   * @param timestampNs the histogram's last pulse time
   */
  public byte[] histogram(
      HistogramType type,
      String sourceName,
      long timestampNs,
      int[] shape,
      double[][] edges,
      long[] counts,
      double[] values,
      String info) {
    List<String> axes = axes(type);
    if (shape.length != axes.size() || edges.length != axes.size()) {
      throw new IllegalArgumentException(
          type
              + " has "
              + axes.size()
              + " axes, got "
              + shape.length
              + " extents and "
              + edges.length
              + " edge arrays");
    }
    builder.clear();
    builder.forceDefaults(true);
    long[] longShape = new long[shape.length];
    for (int i = 0; i < shape.length; i++) {
      longShape[i] = shape[i];
    }
    int[] tables = new int[2 + axes.size()];
    int signalData = values != null ? doubles(values) : longs(counts);
    tables[0] =
        variable(
            "signal",
            COUNTS,
            null,
            null,
            values != null ? Da00Type.FLOAT64 : Da00Type.INT64,
            axes,
            longShape,
            signalData);
    for (int i = 0; i < axes.size(); i++) {
      String axis = axes.get(i);
      tables[1 + i] =
          variable(
              axis,
              axisUnit(axis),
              null,
              null,
              Da00Type.FLOAT64,
              List.of(axis),
              new long[] {edges[i].length},
              doubles(edges[i]));
    }
    byte[] text = info.getBytes(StandardCharsets.UTF_8);
    tables[tables.length - 1] =
        variable(
            "info",
            null,
            null,
            null,
            Da00Type.C_STRING,
            List.of(),
            new long[] {text.length},
            bytes(text, 1));
    return finish(sourceName, timestampNs, tables);
  }

  private int variable(
      String name,
      String unit,
      String label,
      String source,
      Da00Type type,
      List<String> axes,
      long[] shape,
      int dataVector) {
    int nameOffset = builder.createString(name);
    int unitOffset = unit == null ? 0 : builder.createString(unit);
    int labelOffset = label == null ? 0 : builder.createString(label);
    int sourceOffset = source == null ? 0 : builder.createString(source);
    int[] axisOffsets = new int[axes.size()];
    for (int i = 0; i < axisOffsets.length; i++) {
      axisOffsets[i] = builder.createString(axes.get(i));
    }
    builder.startVector(4, axisOffsets.length, 4);
    for (int i = axisOffsets.length - 1; i >= 0; i--) {
      builder.addOffset(axisOffsets[i]);
    }
    int axesVector = builder.endVector();
    builder.startVector(8, shape.length, 8);
    for (int i = shape.length - 1; i >= 0; i--) {
      builder.addLong(shape[i]);
    }
    int shapeVector = builder.endVector();
    builder.startTable(Da00Slots.VARIABLE_FIELDS);
    builder.addOffset(Da00Slots.NAME, nameOffset, 0);
    if (unit != null) {
      builder.addOffset(Da00Slots.UNIT, unitOffset, 0);
    }
    if (label != null) {
      builder.addOffset(Da00Slots.LABEL, labelOffset, 0);
    }
    if (source != null) {
      builder.addOffset(Da00Slots.SOURCE, sourceOffset, 0);
    }
    builder.addByte(Da00Slots.DATA_TYPE, (byte) type.code(), 0);
    builder.addOffset(Da00Slots.AXES, axesVector, 0);
    builder.addOffset(Da00Slots.SHAPE, shapeVector, 0);
    builder.addOffset(Da00Slots.VARIABLE_DATA, dataVector, 0);
    return builder.endTable();
  }

  private byte[] finish(String sourceName, long timestampNs, int[] tables) {
    builder.startVector(4, tables.length, 4);
    for (int i = tables.length - 1; i >= 0; i--) {
      builder.addOffset(tables[i]);
    }
    int data = builder.endVector();
    int source = builder.createString(sourceName);
    builder.startTable(Da00Slots.ARRAY_FIELDS);
    builder.addOffset(Da00Slots.SOURCE_NAME, source, 0);
    builder.addLong(Da00Slots.TIMESTAMP, timestampNs, 0);
    builder.addOffset(Da00Slots.DATA, data, 0);
    builder.finish(builder.endTable(), Da00Slots.IDENTIFIER);
    return builder.sizedByteArray();
  }

  // Bulk copies, aligned to the element size: a million elements one by one would cost far more.
  private int bytes(byte[] data, int alignment) {
    ByteBuffer vector = builder.createUnintializedVector(1, data.length, Math.max(1, alignment));
    vector.put(data);
    return builder.endVector();
  }

  private int longs(long[] values) {
    ByteBuffer vector = builder.createUnintializedVector(1, values.length * Long.BYTES, Long.BYTES);
    vector.asLongBuffer().put(values);
    return builder.endVector();
  }

  private int doubles(double[] values) {
    ByteBuffer vector =
        builder.createUnintializedVector(1, values.length * Double.BYTES, Double.BYTES);
    vector.asDoubleBuffer().put(values);
    return builder.endVector();
  }
}
