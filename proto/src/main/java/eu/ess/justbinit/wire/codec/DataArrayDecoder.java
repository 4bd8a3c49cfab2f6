package eu.ess.justbinit.wire.codec;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a whole da00 DataArray into a {@link DataArrayMessage}, every variable and element type,
 * copying the values out: for tools and tests. The counting loop reads frames in place with {@link
 * FrameDecoder}. Not thread-safe: one decoder per thread.
 */
public final class DataArrayDecoder {
  private final FlatBufferView view = new FlatBufferView();

  /**
   * Decodes {@code buffer} (position..limit is the message); the buffer is left as it is.
   *
   * @throws CodecException when the bytes are not a valid da00 message
   */
  public DataArrayMessage decode(ByteBuffer buffer) throws CodecException {
    view.reset(buffer, "da00 message");
    if (view.identifier() != Da00Slots.ID) {
      throw new CodecException(
          "unknown identifier \"" + view.identifierText() + "\": not a da00 message");
    }
    view.schema("da00");
    int root = view.root();
    int source = view.vector(root, Da00Slots.SOURCE_NAME, 1, "source_name");
    if (source < 0) {
      throw view.missing("source_name");
    }
    int data = view.vector(root, Da00Slots.DATA, 4, "data");
    if (data < 0) {
      throw view.missing("data");
    }
    List<DataArrayMessage.Variable> variables = new ArrayList<>(view.length(data));
    for (int i = 0; i < view.length(data); i++) {
      variables.add(variable(view.tableElement(data, i, "data")));
    }
    return new DataArrayMessage(
        view.text(source), view.int64(root, Da00Slots.TIMESTAMP, "timestamp"), variables);
  }

  private DataArrayMessage.Variable variable(int table) throws CodecException {
    int name = view.vector(table, Da00Slots.NAME, 1, "name");
    if (name < 0) {
      throw view.missing("name");
    }
    int code = view.uint8(table, Da00Slots.DATA_TYPE, "data_type");
    Da00Type type = Da00Type.ofCode(code);
    if (type == null) {
      throw new CodecException("da00: " + view.text(name) + " has unknown data_type " + code);
    }
    int axes = view.vector(table, Da00Slots.AXES, 4, "axes");
    List<String> axisNames = new ArrayList<>(view.length(axes));
    for (int i = 0; i < view.length(axes); i++) {
      axisNames.add(view.text(view.stringElement(axes, i, "axes")));
    }
    int shapeVector = view.vector(table, Da00Slots.SHAPE, 8, "shape");
    long[] shape = new long[view.length(shapeVector)];
    for (int i = 0; i < shape.length; i++) {
      shape[i] = view.buffer().getLong(shapeVector + 4 + 8 * i);
    }
    int dataVector = view.vector(table, Da00Slots.VARIABLE_DATA, 1, "data");
    byte[] data = new byte[view.length(dataVector)];
    if (dataVector >= 0) {
      view.buffer().get(dataVector + 4, data);
    }
    return new DataArrayMessage.Variable(
        view.text(name),
        optional(table, Da00Slots.UNIT, "unit"),
        optional(table, Da00Slots.LABEL, "label"),
        optional(table, Da00Slots.SOURCE, "source"),
        type,
        axisNames,
        shape,
        data);
  }

  private String optional(int table, int slot, String name) throws CodecException {
    int string = view.vector(table, slot, 1, name);
    return string < 0 ? null : view.text(string);
  }
}
