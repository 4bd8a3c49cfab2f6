package eu.ess.justbinit.wire.codec;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes hs00 and hs01 histograms, chosen by the file identifier, accepting every array member of
 * the union for data, errors and bin_boundaries; and histograms published as da00 (a {@code
 * signal}, a bin-edge coordinate named after each of its axes, an {@code info} c_string), read into
 * the same form. Copies the values out (histograms are read by tools and tests, not in the hot
 * loop). Not thread-safe: one decoder per thread.
 */
public final class HistogramDecoder {
  private static final int HS00 = FlatBufferView.id("hs00");
  private static final int HS01 = FlatBufferView.id("hs01");

  // EventHistogram and DimensionMetaData field slots, the same in hs00 and hs01.
  private static final int SOURCE = 0;
  private static final int TIMESTAMP = 1;
  private static final int DIM_METADATA = 2;
  private static final int CURRENT_SHAPE = 4;
  private static final int DATA_TYPE = 6;
  private static final int ERRORS_TYPE = 8;
  private static final int INFO = 10;
  private static final int DIM_LENGTH = 0;
  private static final int DIM_UNIT = 1;
  private static final int DIM_LABEL = 2;
  private static final int DIM_BOUNDARIES_TYPE = 3;

  private final FlatBufferView view = new FlatBufferView();
  private final DataArrayDecoder dataArrays = new DataArrayDecoder();
  private boolean unsigned;

  /**
   * Decodes {@code buffer} (position..limit is the message); the buffer is left as it is.
   *
   * @throws CodecException when the bytes are not a valid hs00 or hs01 message
   */
  public HistogramMessage decode(ByteBuffer buffer) throws CodecException {
    view.reset(buffer, "histogram message");
    int identifier = view.identifier();
    if (identifier == Da00Slots.ID) {
      return fromDataArray(dataArrays.decode(buffer));
    }
    String schema;
    if (identifier == HS01) {
      schema = "hs01";
    } else if (identifier == HS00) {
      schema = "hs00";
    } else {
      throw new CodecException(
          "unknown identifier \""
              + view.identifierText()
              + "\": not an hs00, hs01 or da00 message");
    }
    view.schema(schema);
    unsigned = identifier == HS00;
    int root = view.root();
    int shapeVector = view.vector(root, CURRENT_SHAPE, 4, "current_shape");
    if (shapeVector < 0) {
      throw view.missing("current_shape");
    }
    int[] shape = new int[view.length(shapeVector)];
    for (int i = 0; i < shape.length; i++) {
      shape[i] = view.buffer().getInt(shapeVector + 4 + 4 * i);
    }
    NumericArray data = array(root, DATA_TYPE, "data");
    if (data == null) {
      throw view.missing("data");
    }
    return new HistogramMessage(
        schema,
        view.string(root, SOURCE, "source"),
        view.int64(root, TIMESTAMP, "timestamp"),
        shape,
        dimensions(root),
        data,
        array(root, ERRORS_TYPE, "errors"),
        view.string(root, INFO, "info"));
  }

  private static HistogramMessage fromDataArray(DataArrayMessage message) throws CodecException {
    DataArrayMessage.Variable signal = message.variable("signal");
    if (signal == null || !signal.type().isNumeric()) {
      throw new CodecException("da00: no numeric variable named signal");
    }
    long[] extents = signal.shape();
    int[] shape = new int[extents.length];
    List<HistogramMessage.Dimension> dimensions = new ArrayList<>(shape.length);
    for (int i = 0; i < shape.length; i++) {
      shape[i] = (int) extents[i];
      String axis = i < signal.axes().size() ? signal.axes().get(i) : "";
      DataArrayMessage.Variable edges = message.variable(axis);
      boolean numeric = edges != null && edges.type().isNumeric();
      dimensions.add(
          new HistogramMessage.Dimension(
              shape[i],
              numeric ? edges.values().toDoubles() : new double[0],
              numeric && edges.unit() != null ? edges.unit() : "",
              axis));
    }
    DataArrayMessage.Variable errors = message.variable("errors");
    DataArrayMessage.Variable info = message.variable("info");
    return new HistogramMessage(
        "da00",
        message.sourceName(),
        message.timestampNs(),
        shape,
        dimensions,
        signal.values(),
        errors != null && errors.type().isNumeric() ? errors.values() : null,
        info != null && info.type() == Da00Type.C_STRING ? info.text() : "");
  }

  private List<HistogramMessage.Dimension> dimensions(int root) throws CodecException {
    int vector = view.vector(root, DIM_METADATA, 4, "dim_metadata");
    int count = view.length(vector);
    List<HistogramMessage.Dimension> dimensions = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int dimension = view.tableElement(vector, i, "dim_metadata");
      NumericArray boundaries = array(dimension, DIM_BOUNDARIES_TYPE, "bin_boundaries");
      dimensions.add(
          new HistogramMessage.Dimension(
              view.int32(dimension, DIM_LENGTH, "length"),
              boundaries == null ? new double[0] : boundaries.toDoubles(),
              view.string(dimension, DIM_UNIT, "unit"),
              view.string(dimension, DIM_LABEL, "label")));
    }
    return dimensions;
  }

  /**
   * The union whose type byte is in {@code typeSlot} and whose table is in the next slot, or null
   * when absent.
   */
  private NumericArray array(int table, int typeSlot, String name) throws CodecException {
    int type = view.uint8(table, typeSlot, name + "_type");
    int array = view.table(table, typeSlot + 1, name);
    if (array < 0) {
      return null;
    }
    ByteBuffer bytes = view.buffer();
    switch (type) {
      case 1 -> {
        int vector = view.vector(array, 0, 4, name);
        long[] values = new long[view.length(vector)];
        for (int i = 0; i < values.length; i++) {
          int value = bytes.getInt(vector + 4 + 4 * i);
          values[i] = unsigned ? Integer.toUnsignedLong(value) : value;
        }
        return NumericArray.ofIntegers(unsigned ? "uint32" : "int32", values);
      }
      case 2 -> {
        int vector = view.vector(array, 0, 8, name);
        long[] values = new long[view.length(vector)];
        for (int i = 0; i < values.length; i++) {
          values[i] = bytes.getLong(vector + 4 + 8 * i);
        }
        return NumericArray.ofIntegers(unsigned ? "uint64" : "int64", values);
      }
      case 3 -> {
        int vector = view.vector(array, 0, 8, name);
        double[] values = new double[view.length(vector)];
        for (int i = 0; i < values.length; i++) {
          values[i] = bytes.getDouble(vector + 4 + 8 * i);
        }
        return NumericArray.ofFloats("float64", values);
      }
      case 4 -> {
        int vector = view.vector(array, 0, 4, name);
        double[] values = new double[view.length(vector)];
        for (int i = 0; i < values.length; i++) {
          values[i] = bytes.getFloat(vector + 4 + 4 * i);
        }
        return NumericArray.ofFloats("float32", values);
      }
      default ->
          throw new CodecException(
              view.schemaName() + ": " + name + " has unknown array type " + type);
    }
  }
}
