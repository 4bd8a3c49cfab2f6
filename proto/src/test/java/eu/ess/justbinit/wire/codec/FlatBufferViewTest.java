package eu.ess.justbinit.wire.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.flatbuffers.FlatBufferBuilder;
import eu.ess.justbinit.wire.codec.fbs.x5f2.Status;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The bounds checks of FlatBufferView at their edges: the last byte of a message, short vtables.
 */
class FlatBufferViewTest {
  private final EventDecoder events = new EventDecoder();

  @Test
  void idIsTheIdentifierBytesReadLittleEndian() {
    for (String identifier : new String[] {"ev44", "ev42", "hs00", "hs01", "x5f2", " ~\u007f!"}) {
      byte[] bytes = identifier.getBytes(StandardCharsets.US_ASCII);
      int expected = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getInt();
      assertEquals(expected, FlatBufferView.id(identifier), identifier);
    }
  }

  @Test
  void unknownIdentifierQuotesPrintableBytesAndEscapesTheOthers() {
    byte[] bytes = EventEncoder.ev44("a", 1, 2, new int[0], new int[0]);
    bytes[4] = ' ';
    bytes[5] = '~';
    bytes[6] = 0x7f;
    bytes[7] = 0x1f;
    CodecException e =
        assertThrows(CodecException.class, () -> events.decode(ByteBuffer.wrap(bytes)));
    assertTrue(e.getMessage().contains("\" ~\\x7f\\x1f\""), e.getMessage());
  }

  @Test
  void eightBytesAreLongEnoughToBeReadAsAMessage() {
    byte[] bytes = Arrays.copyOf(EventEncoder.ev44("a", 1, 2, new int[0], new int[0]), 8);
    CodecException e =
        assertThrows(CodecException.class, () -> events.decode(ByteBuffer.wrap(bytes)));
    assertFalse(e.getMessage().contains("too short"), e.getMessage());
  }

  @Test
  void scalarFieldInTheLastBytesOfTheMessageIsRead() throws CodecException {
    // The first object built lies at the end of the buffer: here the root table, whose only field
    // is process_id.
    FlatBufferBuilder builder = new FlatBufferBuilder(64);
    Status.startStatus(builder);
    Status.addProcessId(builder, 42);
    Status.finishStatusBuffer(builder, Status.endStatus(builder));
    byte[] bytes = builder.sizedByteArray();
    assertEquals(
        42, ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getInt(bytes.length - 4));

    assertEquals(
        new StatusMessage("", "", "", "", 42, 0, ""), StatusCodec.decode(ByteBuffer.wrap(bytes)));
    for (int cut = 1; cut <= 3; cut++) {
      ByteBuffer truncated = ByteBuffer.wrap(bytes, 0, bytes.length - cut);
      assertThrows(CodecException.class, () -> StatusCodec.decode(truncated), "cut " + cut);
    }
  }

  @Test
  void emptyVectorInTheLastBytesOfTheMessageIsRead() throws CodecException {
    FlatBufferBuilder builder = new FlatBufferBuilder(128);
    int pixels = RawMessages.ints(builder, new int[0]);
    int source = builder.createString("s");
    int times = RawMessages.longs(builder, new long[] {5});
    int indexes = RawMessages.ints(builder, new int[] {0});
    int tof = RawMessages.ints(builder, new int[0]);
    builder.startTable(6);
    builder.addOffset(0, source, 0);
    builder.addOffset(2, times, 0);
    builder.addOffset(3, indexes, 0);
    builder.addOffset(4, tof, 0);
    builder.addOffset(5, pixels, 0);
    builder.finish(builder.endTable(), "ev44");
    byte[] bytes = builder.sizedByteArray();
    assertEquals(0, ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getInt(bytes.length - 4));

    EventMessage message = events.decode(ByteBuffer.wrap(bytes));
    assertEquals(0, message.eventCount());
    assertEquals(5, message.pulseTimeNs());
  }

  @Test
  void tableWithoutFieldsReadsAsDefaults() throws CodecException {
    FlatBufferBuilder builder = new FlatBufferBuilder(64);
    Status.startStatus(builder);
    Status.finishStatusBuffer(builder, Status.endStatus(builder));
    assertEquals(
        new StatusMessage("", "", "", "", 0, 0, ""),
        StatusCodec.decode(ByteBuffer.wrap(builder.sizedByteArray())));
  }

  @Test
  void fieldsBeyondAShortVtableAreAbsent() throws CodecException {
    // FlatBuffers trims a vtable after its last present field.
    FlatBufferBuilder builder = new FlatBufferBuilder(64);
    int name = builder.createString("n");
    Status.startStatus(builder);
    Status.addSoftwareName(builder, name);
    Status.finishStatusBuffer(builder, Status.endStatus(builder));
    assertEquals(
        new StatusMessage("n", "", "", "", 0, 0, ""),
        StatusCodec.decode(ByteBuffer.wrap(builder.sizedByteArray())));
  }

  @Test
  void vtableStartingInTheLastBytesIsOutside() {
    byte[] bytes = StatusCodec.encode(new StatusMessage("a", "b", "c", "d", 1, 2, "{}"));
    ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    int root = buffer.getInt(0);
    for (int fromEnd = 1; fromEnd <= 3; fromEnd++) {
      buffer.putInt(root, root - (bytes.length - fromEnd));
      CodecException e =
          assertThrows(CodecException.class, () -> StatusCodec.decode(ByteBuffer.wrap(bytes)));
      assertTrue(e.getMessage().contains("root table vtable at byte"), e.getMessage());
    }
  }

  @Test
  void vtableInTheLastBytesOfTheMessageIsRead() throws CodecException {
    // A vtable of 4 bytes (no fields): the root table reads as empty.
    assertEquals(
        new StatusMessage("", "", "", "", 0, 0, ""),
        StatusCodec.decode(ByteBuffer.wrap(withRootVtableAtTheEnd((short) 4))));
  }

  @Test
  void vtableLongerThanTheBytesLeftIsRejected() {
    // A vtable of 8 bytes (one field) in the last 4 bytes of the message.
    byte[] bytes = withRootVtableAtTheEnd((short) 8);
    CodecException e =
        assertThrows(CodecException.class, () -> StatusCodec.decode(ByteBuffer.wrap(bytes)));
    assertTrue(e.getMessage().contains("vtable of 8 bytes does not fit"), e.getMessage());
  }

  /** An x5f2 message with 4 bytes appended, the root table's vtable, of {@code size} bytes. */
  private static byte[] withRootVtableAtTheEnd(short size) {
    byte[] message = StatusCodec.encode(new StatusMessage("a", "b", "c", "d", 1, 2, "{}"));
    byte[] bytes = Arrays.copyOf(message, message.length + 4);
    ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    buffer.putShort(message.length, size).putShort(message.length + 2, (short) 4);
    int root = buffer.getInt(0);
    buffer.putInt(root, root - message.length);
    return bytes;
  }

  @Test
  void positionsInMessagesCountFromTheStartOfTheMessage() {
    byte[] message = EventEncoder.ev44("source", 1, 2, new int[] {1, 2, 3}, new int[] {4, 5, 6});
    int outside = 0;
    for (int length = 8; length < message.length - 4; length++) {
      byte[] embedded = new byte[length + 10];
      System.arraycopy(message, 0, embedded, 5, length);
      String alone = rejection(ByteBuffer.wrap(message, 0, length));
      assertEquals(alone, rejection(ByteBuffer.wrap(embedded, 5, length)), "length " + length);
      if (alone.contains("points outside")) {
        assertTrue(alone.endsWith("outside the message of " + length + " bytes"), alone);
        outside++;
      }
    }
    assertTrue(outside > 0);
  }

  @Test
  void vectorClaimingTooManyElementsSaysHowManyBytesAreLeft() {
    int marker = 0x1234_5678;
    byte[] bytes = EventEncoder.ev44("s", 1, 2, new int[] {marker, 1}, new int[] {0, 0});
    ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    int vector = -1;
    for (int i = 0; i + 4 <= bytes.length; i++) {
      if (buffer.getInt(i) == marker) {
        vector = i - 4;
      }
    }
    assertEquals(2, buffer.getInt(vector));
    buffer.putInt(vector, 1000);
    String rejection = rejection(ByteBuffer.wrap(bytes));
    assertTrue(
        rejection.endsWith(
            "time_of_flight claims 1000 elements, more than the "
                + (bytes.length - vector - 4)
                + " bytes left in the message"),
        rejection);
  }

  private String rejection(ByteBuffer message) {
    return assertThrows(CodecException.class, () -> events.decode(message)).getMessage();
  }
}
