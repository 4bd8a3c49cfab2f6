package eu.ess.justbinit.wire.codec;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * A da00 DataArray held in its own memory: what {@link DataArrayDecoder} reads and what {@link
 * DataArrayEncoder} writes. Immutable; any thread. For the hot loop, {@link FrameDecoder} reads
 * frames in place instead.
 */
public final class DataArrayMessage {
  private final String sourceName;
  private final long timestampNs;
  private final List<Variable> variables;

  public DataArrayMessage(String sourceName, long timestampNs, List<Variable> variables) {
    this.sourceName = sourceName;
    this.timestampNs = timestampNs;
    this.variables = List.copyOf(variables);
  }

  public String sourceName() {
    return sourceName;
  }

  /** ns since epoch (the wire's unsigned value as its bit pattern). */
  public long timestampNs() {
    return timestampNs;
  }

  /** The variables in wire order. */
  public List<Variable> variables() {
    return variables;
  }

  /** The first variable named {@code name}, or null. */
  public Variable variable(String name) {
    for (Variable variable : variables) {
      if (variable.name().equals(name)) {
        return variable;
      }
    }
    return null;
  }

  /**
   * One da00_Variable: its elements as little-endian bytes in row-major order, read through the
   * typed accessors. unit, label and source are null when the message leaves them out.
   */
  public static final class Variable {
    private final String name;
    private final String unit;
    private final String label;
    private final String source;
    private final Da00Type type;
    private final List<String> axes;
    private final long[] shape;
    private final byte[] data;

    public Variable(
        String name,
        String unit,
        String label,
        String source,
        Da00Type type,
        List<String> axes,
        long[] shape,
        byte[] data) {
      this.name = name;
      this.unit = unit;
      this.label = label;
      this.source = source;
      this.type = type;
      this.axes = List.copyOf(axes);
      this.shape = shape.clone();
      this.data = data.clone();
    }

    /** Integers of {@code type} (int8 ... uint64), truncated to its width. */
    public static Variable ofLongs(
        String name, String unit, List<String> axes, long[] shape, Da00Type type, long[] values) {
      byte[] array = new byte[values.length * type.size()];
      ByteBuffer bytes = ByteBuffer.wrap(array).order(ByteOrder.LITTLE_ENDIAN);
      for (long v : values) {
        switch (type.size()) {
          case 1 -> bytes.put((byte) v);
          case 2 -> bytes.putShort((short) v);
          case 4 -> bytes.putInt((int) v);
          default -> bytes.putLong(v);
        }
      }
      return new Variable(name, unit, null, null, type, axes, shape, array);
    }

    /** Floating-point values as float32 or float64. */
    public static Variable ofDoubles(
        String name, String unit, List<String> axes, long[] shape, Da00Type type, double[] values) {
      byte[] array = new byte[values.length * type.size()];
      ByteBuffer bytes = ByteBuffer.wrap(array).order(ByteOrder.LITTLE_ENDIAN);
      for (double v : values) {
        if (type == Da00Type.FLOAT32) {
          bytes.putFloat((float) v);
        } else {
          bytes.putDouble(v);
        }
      }
      return new Variable(name, unit, null, null, type, axes, shape, array);
    }

    /** A c_string: UTF-8 without terminator, no axes, its shape the byte count. */
    public static Variable ofText(String name, String unit, String text) {
      byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
      return new Variable(
          name, unit, null, null, Da00Type.C_STRING, List.of(), new long[] {bytes.length}, bytes);
    }

    public String name() {
      return name;
    }

    public String unit() {
      return unit;
    }

    public String label() {
      return label;
    }

    public String source() {
      return source;
    }

    public Da00Type type() {
      return type;
    }

    public List<String> axes() {
      return axes;
    }

    /** The shape as the message holds it (a copy). */
    public long[] shape() {
      return shape.clone();
    }

    /** The raw element bytes (a copy). */
    public byte[] data() {
      return data.clone();
    }

    /** Number of elements the data holds. */
    public int length() {
      return type.size() == 0 ? 0 : data.length / type.size();
    }

    /** The elements: integers exact (uint64 as its bit pattern), floats widened. */
    public NumericArray values() {
      if (!type.isNumeric()) {
        throw new IllegalStateException(name + " is " + type.wireName() + ", not numbers");
      }
      ByteBuffer bytes = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
      int n = length();
      if (type.isInteger()) {
        long[] values = new long[n];
        for (int i = 0; i < n; i++) {
          values[i] = type.longAt(bytes, 0, i);
        }
        return NumericArray.ofIntegers(type.wireName(), values);
      }
      double[] values = new double[n];
      for (int i = 0; i < n; i++) {
        values[i] = type.doubleAt(bytes, 0, i);
      }
      return NumericArray.ofFloats(type.wireName(), values);
    }

    /** A c_string's text. */
    public String text() {
      return new String(data, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
      return name + " " + type.wireName() + " " + axes + " " + Arrays.toString(shape);
    }
  }
}
