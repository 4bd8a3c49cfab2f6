package eu.ess.justbinit.wire.codec;

import com.google.flatbuffers.FlatBufferBuilder;
import java.util.List;

/** Hand-built messages that our encoders would never write: missing or empty required fields. */
final class RawMessages {
  private RawMessages() {}

  /** An ev44 with source, tof and pixel ids, but reference_time as given (null: absent). */
  static byte[] ev44(String source, long[] referenceTime, int[] referenceTimeIndex) {
    FlatBufferBuilder builder = new FlatBufferBuilder(128);
    int sourceOffset = source == null ? 0 : builder.createString(source);
    int times = referenceTime == null ? 0 : longs(builder, referenceTime);
    int indexes = referenceTimeIndex == null ? 0 : ints(builder, referenceTimeIndex);
    int tof = ints(builder, new int[] {1});
    builder.startTable(6);
    if (sourceOffset != 0) {
      builder.addOffset(0, sourceOffset, 0);
    }
    builder.addLong(1, 7, 0);
    if (times != 0) {
      builder.addOffset(2, times, 0);
    }
    if (indexes != 0) {
      builder.addOffset(3, indexes, 0);
    }
    builder.addOffset(4, tof, 0);
    builder.finish(builder.endTable(), "ev44");
    return builder.sizedByteArray();
  }

  /** One da00 variable as its raw fields; a null name, data or unit leaves that field out. */
  static final class Da00Variable {
    final String name;
    final int dataType;
    final List<String> axes;
    final long[] shape;
    final byte[] data;
    final String unit;

    Da00Variable(
        String name, int dataType, List<String> axes, long[] shape, byte[] data, String unit) {
      this.name = name;
      this.dataType = dataType;
      this.axes = axes;
      this.shape = shape;
      this.data = data;
      this.unit = unit;
    }
  }

  /** A da00 DataArray with timestamp 5; a null source or variables leaves that field out. */
  static byte[] da00(String source, List<Da00Variable> variables) {
    FlatBufferBuilder builder = new FlatBufferBuilder(256);
    int data = 0;
    if (variables != null) {
      int[] tables = new int[variables.size()];
      for (int i = 0; i < tables.length; i++) {
        tables[i] = da00Variable(builder, variables.get(i));
      }
      builder.startVector(4, tables.length, 4);
      for (int i = tables.length - 1; i >= 0; i--) {
        builder.addOffset(tables[i]);
      }
      data = builder.endVector();
    }
    int sourceOffset = source == null ? 0 : builder.createString(source);
    builder.startTable(Da00Slots.ARRAY_FIELDS);
    if (source != null) {
      builder.addOffset(Da00Slots.SOURCE_NAME, sourceOffset, 0);
    }
    builder.addLong(Da00Slots.TIMESTAMP, 5, 0);
    if (variables != null) {
      builder.addOffset(Da00Slots.DATA, data, 0);
    }
    builder.finish(builder.endTable(), Da00Slots.IDENTIFIER);
    return builder.sizedByteArray();
  }

  private static int da00Variable(FlatBufferBuilder builder, Da00Variable v) {
    int name = v.name == null ? 0 : builder.createString(v.name);
    int unit = v.unit == null ? 0 : builder.createString(v.unit);
    int[] axisNames = new int[v.axes.size()];
    for (int i = 0; i < axisNames.length; i++) {
      axisNames[i] = builder.createString(v.axes.get(i));
    }
    builder.startVector(4, axisNames.length, 4);
    for (int i = axisNames.length - 1; i >= 0; i--) {
      builder.addOffset(axisNames[i]);
    }
    int axes = builder.endVector();
    int shape = longs(builder, v.shape);
    int data = v.data == null ? 0 : builder.createByteVector(v.data);
    builder.startTable(Da00Slots.VARIABLE_FIELDS);
    if (v.name != null) {
      builder.addOffset(Da00Slots.NAME, name, 0);
    }
    if (v.unit != null) {
      builder.addOffset(Da00Slots.UNIT, unit, 0);
    }
    builder.addByte(Da00Slots.DATA_TYPE, (byte) v.dataType, 0);
    builder.addOffset(Da00Slots.AXES, axes, 0);
    builder.addOffset(Da00Slots.SHAPE, shape, 0);
    if (v.data != null) {
      builder.addOffset(Da00Slots.VARIABLE_DATA, data, 0);
    }
    return builder.endTable();
  }

  static byte[] ev44WithoutReferenceTimes() {
    return ev44("s", new long[0], new int[0]);
  }

  static int ints(FlatBufferBuilder builder, int[] values) {
    builder.startVector(4, values.length, 4);
    for (int i = values.length - 1; i >= 0; i--) {
      builder.addInt(values[i]);
    }
    return builder.endVector();
  }

  static int longs(FlatBufferBuilder builder, long[] values) {
    builder.startVector(8, values.length, 8);
    for (int i = values.length - 1; i >= 0; i--) {
      builder.addLong(values[i]);
    }
    return builder.endVector();
  }
}
