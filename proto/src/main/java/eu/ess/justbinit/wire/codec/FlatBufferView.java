package eu.ess.justbinit.wire.codec;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Bounds-checked reads of one FlatBuffers message in place. The generated accessors trust every
 * offset; a corrupt message would make them throw IndexOutOfBoundsException from deep inside, so
 * the decoders read through this view, which checks each offset and length against the message
 * bounds before using it and reports what is wrong as a {@link CodecException}.
 *
 * <p>It deliberately does not check a table's inline size from its vtable against the message
 * bounds: older Python flatbuffers runtimes share a vtable between tables of different sizes, and
 * such messages are valid. Only the bytes a field actually occupies are checked.
 *
 * <p>Positions are absolute indices into {@link #buffer()}. Reusable: {@link #reset} points it at
 * the next message without allocating when the buffer is already little-endian.
 */
final class FlatBufferView {
  private ByteBuffer buffer;
  private byte[] lastArray;
  private ByteBuffer arrayView;
  private int start;
  private int limit;
  private String schema = "";

  /**
   * Points the view at {@code message}'s position..limit.
   *
   * @throws CodecException when the message cannot hold a root offset and an identifier
   */
  void reset(ByteBuffer message, String what) throws CodecException {
    int remaining = message.remaining();
    if (remaining < 8) {
      throw new CodecException(
          what + " too short: " + remaining + " bytes, a FlatBuffers message needs at least 8");
    }
    int position = message.position();
    if (message.order() == ByteOrder.LITTLE_ENDIAN) {
      buffer = message;
      start = position;
    } else if (message.hasArray()) {
      // A little-endian wrap of the whole array serves for as long as the caller passes buffers
      // over the same array, so a reused big-endian heap buffer costs no allocation.
      byte[] array = message.array();
      if (array != lastArray) {
        lastArray = array;
        arrayView = ByteBuffer.wrap(array).order(ByteOrder.LITTLE_ENDIAN);
      }
      buffer = arrayView;
      start = message.arrayOffset() + position;
    } else {
      buffer = message.duplicate().clear().order(ByteOrder.LITTLE_ENDIAN);
      start = position;
    }
    limit = start + remaining;
    schema = what;
  }

  ByteBuffer buffer() {
    return buffer;
  }

  /** The four identifier bytes as a little-endian int, for comparison with {@link #id}. */
  int identifier() {
    return buffer.getInt(start + 4);
  }

  /** The identifier bytes, printable characters as they are and others as \xNN, for messages. */
  String identifierText() {
    StringBuilder text = new StringBuilder();
    for (int i = 4; i < 8; i++) {
      int b = buffer.get(start + i) & 0xff;
      if (b >= 0x20 && b < 0x7f) {
        text.append((char) b);
      } else {
        text.append(String.format("\\x%02x", b));
      }
    }
    return text.toString();
  }

  /** Names the schema in later error messages. */
  void schema(String name) {
    schema = name;
  }

  String schemaName() {
    return schema;
  }

  static int id(String identifier) {
    byte[] b = identifier.getBytes(StandardCharsets.US_ASCII);
    return (b[0] & 0xff) | (b[1] & 0xff) << 8 | (b[2] & 0xff) << 16 | (b[3] & 0xff) << 24;
  }

  /** Position of the root table. */
  int root() throws CodecException {
    return table(start, "root table");
  }

  /** Follows the uoffset at {@code position} to a table and checks its vtable. */
  private int table(int position, String what) throws CodecException {
    int table = follow(position, what);
    vtable(table, what);
    return table;
  }

  /** Position of the table's vtable, checked to lie inside the message. */
  private int vtable(int table, String what) throws CodecException {
    long vtable = (long) table - buffer.getInt(table);
    if (vtable < start || vtable + 4 > limit) {
      throw outside(what + " vtable", vtable);
    }
    int size = buffer.getShort((int) vtable) & 0xffff;
    if (size < 4 || vtable + size > limit) {
      throw new CodecException(
          schema + ": " + what + " vtable of " + size + " bytes does not fit in the message");
    }
    return (int) vtable;
  }

  /**
   * Absolute position of field {@code slot} (0-based, in declaration order; a union takes two) of
   * {@code table}, or -1 when the field is absent. The field's bytes are checked for {@code size}.
   */
  int field(int table, int slot, int size, String name) throws CodecException {
    int vtable = vtable(table, name);
    int entry = 4 + 2 * slot;
    if (entry + 2 > (buffer.getShort(vtable) & 0xffff)) {
      return -1;
    }
    int offset = buffer.getShort(vtable + entry) & 0xffff;
    if (offset == 0) {
      return -1;
    }
    long position = (long) table + offset;
    if (position + size > limit) {
      throw outside(name, position);
    }
    return (int) position;
  }

  long int64(int table, int slot, String name) throws CodecException {
    int position = field(table, slot, 8, name);
    return position < 0 ? 0 : buffer.getLong(position);
  }

  int int32(int table, int slot, String name) throws CodecException {
    int position = field(table, slot, 4, name);
    return position < 0 ? 0 : buffer.getInt(position);
  }

  int uint8(int table, int slot, String name) throws CodecException {
    int position = field(table, slot, 1, name);
    return position < 0 ? 0 : buffer.get(position) & 0xff;
  }

  /** Position of the sub-table in field {@code slot}, or -1 when absent. */
  int table(int table, int slot, String name) throws CodecException {
    int position = field(table, slot, 4, name);
    return position < 0 ? -1 : table(position, name);
  }

  /**
   * Position of the vector in field {@code slot} (its length word; elements follow), or -1 when
   * absent. The whole vector, {@code elementSize} bytes an element, is checked to fit.
   */
  int vector(int table, int slot, int elementSize, String name) throws CodecException {
    int position = field(table, slot, 4, name);
    return position < 0 ? -1 : vectorAt(position, elementSize, name);
  }

  private int vectorAt(int offsetPosition, int elementSize, String name) throws CodecException {
    int vector = follow(offsetPosition, name);
    long length = Integer.toUnsignedLong(buffer.getInt(vector));
    if (vector + 4 + length * elementSize > limit) {
      throw new CodecException(
          schema
              + ": "
              + name
              + " claims "
              + length
              + " elements, more than the "
              + (limit - vector - 4)
              + " bytes left in the message");
    }
    return vector;
  }

  /** Number of elements of the vector at {@code vector} (as returned by {@link #vector}). */
  int length(int vector) {
    return vector < 0 ? 0 : buffer.getInt(vector);
  }

  /** Position of element {@code i} of the vector of tables at {@code vector}, checked. */
  int tableElement(int vector, int i, String name) throws CodecException {
    return table(vector + 4 + 4 * i, name);
  }

  /** The string in field {@code slot}, "" when absent. */
  String string(int table, int slot, String name) throws CodecException {
    int vector = vector(table, slot, 1, name);
    if (vector < 0) {
      return "";
    }
    byte[] bytes = new byte[length(vector)];
    buffer.get(vector + 4, bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /**
   * Position of string element {@code i} of the vector of strings at {@code vector} (its length
   * word; the bytes follow), checked to fit.
   */
  int stringElement(int vector, int i, String name) throws CodecException {
    return vectorAt(vector + 4 + 4 * i, 1, name);
  }

  /** The string whose length word is at {@code string}, decoded (allocates). */
  String text(int string) {
    byte[] bytes = new byte[length(string)];
    buffer.get(string + 4, bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /** Whether the string whose length word is at {@code string} holds exactly {@code expected}. */
  boolean textEquals(int string, byte[] expected) {
    if (string < 0 || length(string) != expected.length) {
      return false;
    }
    for (int i = 0; i < expected.length; i++) {
      if (buffer.get(string + 4 + i) != expected[i]) {
        return false;
      }
    }
    return true;
  }

  /** Follows the uoffset stored at {@code position}; the target's first word must fit. */
  private int follow(int position, String what) throws CodecException {
    if (position < start || position + 4L > limit) {
      throw outside(what + " offset", position);
    }
    long target = position + Integer.toUnsignedLong(buffer.getInt(position));
    if (target + 4 > limit) {
      throw outside(what, target);
    }
    return (int) target;
  }

  CodecException missing(String field) {
    return new CodecException(schema + ": required field " + field + " is missing");
  }

  private CodecException outside(String what, long position) {
    return new CodecException(
        schema
            + ": "
            + what
            + " at byte "
            + (position - start)
            + " points outside the message of "
            + (limit - start)
            + " bytes");
  }
}
