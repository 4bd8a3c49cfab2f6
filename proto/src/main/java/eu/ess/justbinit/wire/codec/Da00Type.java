package eu.ess.justbinit.wire.codec;

import java.nio.ByteBuffer;

/**
 * The element types of a da00 variable ({@code da00_dtype}), with the byte that names each on the
 * wire and its size. Immutable; any thread.
 */
public enum Da00Type {
  NONE(0, 0, "none"),
  INT8(1, 1, "int8"),
  UINT8(2, 1, "uint8"),
  INT16(3, 2, "int16"),
  UINT16(4, 2, "uint16"),
  INT32(5, 4, "int32"),
  UINT32(6, 4, "uint32"),
  INT64(7, 8, "int64"),
  UINT64(8, 8, "uint64"),
  FLOAT32(9, 4, "float32"),
  FLOAT64(10, 8, "float64"),
  C_STRING(11, 1, "c_string");

  private static final Da00Type[] BY_CODE = values();

  private final int code;
  private final int size;
  private final String wireName;

  Da00Type(int code, int size, String wireName) {
    this.code = code;
    this.size = size;
    this.wireName = wireName;
  }

  /** The type a code names, or null for a code the schema does not define. */
  public static Da00Type ofCode(int code) {
    return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
  }

  /** The type of a schema name ("int32", "c_string", ...). */
  public static Da00Type ofName(String name) {
    for (Da00Type type : BY_CODE) {
      if (type.wireName.equals(name)) {
        return type;
      }
    }
    throw new IllegalArgumentException("no da00 element type \"" + name + "\"");
  }

  /** The byte that names this type on the wire. */
  public int code() {
    return code;
  }

  /** Bytes per element. */
  public int size() {
    return size;
  }

  /** The schema's name for this type, as the reference library writes it. */
  public String wireName() {
    return wireName;
  }

  /** An integer type (int8 ... uint64). */
  public boolean isInteger() {
    return code >= INT8.code && code <= UINT64.code;
  }

  /** A number type: an integer or a floating-point type. */
  public boolean isNumeric() {
    return code >= INT8.code && code <= FLOAT64.code;
  }

  /** Element {@code i} as a long (float types truncated; uint64 as its bit pattern). */
  long longAt(ByteBuffer buffer, int data, int i) {
    return switch (this) {
      case INT8 -> buffer.get(data + i);
      case UINT8 -> buffer.get(data + i) & 0xff;
      case INT16 -> buffer.getShort(data + 2 * i);
      case UINT16 -> buffer.getShort(data + 2 * i) & 0xffff;
      case INT32 -> buffer.getInt(data + 4 * i);
      case UINT32 -> Integer.toUnsignedLong(buffer.getInt(data + 4 * i));
      case INT64, UINT64 -> buffer.getLong(data + 8 * i);
      case FLOAT32 -> (long) buffer.getFloat(data + 4 * i);
      case FLOAT64 -> (long) buffer.getDouble(data + 8 * i);
      default -> throw new IllegalStateException(wireName + " has no numbers");
    };
  }

  /** Element {@code i} as a double (uint64 unsigned). */
  double doubleAt(ByteBuffer buffer, int data, int i) {
    return switch (this) {
      case FLOAT32 -> buffer.getFloat(data + 4 * i);
      case FLOAT64 -> buffer.getDouble(data + 8 * i);
      case UINT64 -> unsignedToDouble(buffer.getLong(data + 8 * i));
      default -> longAt(buffer, data, i);
    };
  }

  private static double unsignedToDouble(long bits) {
    double value = (double) (bits >>> 1) * 2.0 + (bits & 1);
    return bits >= 0 ? bits : value;
  }
}
