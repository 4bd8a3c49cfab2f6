package eu.ess.justbinit.wire.codec;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A read-only view of a FlatBuffers vector of little-endian int32 values, in place in the message
 * buffer: nothing is copied. Reused from message to message by {@link EventDecoder}.
 */
public final class IntVector {
  private ByteBuffer buffer;
  private int byteOffset;
  private int length;

  /** A view over a new little-endian buffer holding a copy of {@code values}. */
  public static IntVector of(int... values) {
    ByteBuffer buffer = ByteBuffer.allocate(values.length * Integer.BYTES);
    buffer.order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().put(values);
    IntVector vector = new IntVector();
    vector.wrap(buffer, 0, values.length);
    return vector;
  }

  /** Number of elements; 0 when the message does not carry this quantity. */
  public int length() {
    return length;
  }

  public boolean isEmpty() {
    return length == 0;
  }

  /** Element {@code i}, 0 <= i < length(). */
  public int get(int i) {
    return buffer.getInt(byteOffset + (i << 2));
  }

  /** The buffer the elements live in (little-endian order). */
  public ByteBuffer buffer() {
    return buffer;
  }

  /** Absolute byte position of element 0 in {@link #buffer()}. */
  public int byteOffset() {
    return byteOffset;
  }

  /** A copy of the elements (allocates: for tests and tools, not the hot loop). */
  public int[] toArray() {
    int[] values = new int[length];
    for (int i = 0; i < length; i++) {
      values[i] = get(i);
    }
    return values;
  }

  void wrap(ByteBuffer buffer, int byteOffset, int length) {
    this.buffer = buffer;
    this.byteOffset = byteOffset;
    this.length = length;
  }
}
