package eu.ess.justbinit.wire.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EventCodecTest {
  private final EventDecoder decoder = new EventDecoder();

  @Test
  void ev44RoundTrip() throws CodecException {
    byte[] bytes =
        EventEncoder.ev44(
            "det", 42, 1_700_000_000_000_000_000L, new int[] {5, 6}, new int[] {7, 8});
    EventMessage message = decoder.decode(ByteBuffer.wrap(bytes));
    assertEquals("ev44", message.schema());
    assertEquals("det", message.sourceName());
    assertEquals(42, message.messageId());
    assertEquals(1_700_000_000_000_000_000L, message.pulseTimeNs());
    assertEquals(1, message.referenceTimeCount());
    assertEquals(1_700_000_000_000_000_000L, message.referenceTimeNs(0));
    assertEquals(0, message.referenceTimeIndex(0));
    assertArrayEquals(new int[] {5, 6}, message.timeOfFlight().toArray());
    assertArrayEquals(new int[] {7, 8}, message.pixelId().toArray());
    assertEquals(2, message.eventCount());
  }

  @Test
  void ev42RoundTripKeepsUnsignedBitPatterns() throws CodecException {
    byte[] bytes = EventEncoder.ev42("old", -1L, 123L, new int[] {1, 2, 3}, new int[] {-1, 0, 9});
    EventMessage message = decoder.decode(ByteBuffer.wrap(bytes));
    assertEquals("ev42", message.schema());
    assertEquals("old", message.sourceName());
    assertEquals(-1L, message.messageId());
    assertEquals(123L, message.pulseTimeNs());
    assertEquals(1, message.referenceTimeCount());
    assertEquals(123L, message.referenceTimeNs(0));
    assertEquals(0, message.referenceTimeIndex(0));
    assertArrayEquals(new int[] {1, 2, 3}, message.timeOfFlight().toArray());
    assertArrayEquals(new int[] {-1, 0, 9}, message.pixelId().toArray());
  }

  @Test
  void emptyVectorsMeanAbsentQuantities() throws CodecException {
    EventMessage monitor =
        decoder.decode(ByteBuffer.wrap(EventEncoder.ev44("m", 1, 2, new int[] {4}, new int[0])));
    assertEquals(1, monitor.timeOfFlight().length());
    assertTrue(monitor.pixelId().isEmpty());
    assertEquals(1, monitor.eventCount());
    EventMessage map =
        decoder.decode(ByteBuffer.wrap(EventEncoder.ev42("d", 1, 2, new int[0], new int[] {3, 4})));
    assertTrue(map.timeOfFlight().isEmpty());
    assertEquals(2, map.eventCount());
  }

  @Test
  void viewsPointIntoTheMessageAtAnyPositionWithoutCopying() throws CodecException {
    byte[] message = EventEncoder.ev44("det", 1, 2, new int[] {10, 20, 30}, new int[] {1, 2, 3});
    int tofOffset = decoder.decode(ByteBuffer.wrap(message)).timeOfFlight().byteOffset();
    for (boolean direct : new boolean[] {false, true}) {
      for (ByteOrder order : new ByteOrder[] {ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN}) {
        ByteBuffer whole = direct ? ByteBuffer.allocateDirect(300) : ByteBuffer.allocate(300);
        whole.position(37);
        whole.put(message).put(new byte[11]);
        whole.position(37).limit(37 + message.length);
        ByteBuffer slice = whole.slice();
        for (ByteBuffer input : new ByteBuffer[] {whole.order(order), slice.order(order)}) {
          int position = input.position();
          EventMessage decoded = decoder.decode(input);
          assertArrayEquals(new int[] {10, 20, 30}, decoded.timeOfFlight().toArray());
          assertArrayEquals(new int[] {1, 2, 3}, decoded.pixelId().toArray());
          assertEquals(ByteOrder.LITTLE_ENDIAN, decoded.timeOfFlight().buffer().order());
          assertEquals(position, input.position(), "position untouched");
          assertEquals(order, input.order(), "order untouched");
          // a write into the caller's bytes shows in the view: it is not a copy
          input.duplicate().order(ByteOrder.LITTLE_ENDIAN).putInt(position + tofOffset, 99);
          assertEquals(99, decoded.timeOfFlight().get(0));
          input.duplicate().order(ByteOrder.LITTLE_ENDIAN).putInt(position + tofOffset, 10);
        }
      }
    }
  }

  @Test
  void decodingAllocatesNothingPerMessage() throws CodecException {
    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    ByteBuffer heapLittleEndian =
        ByteBuffer.wrap(EventEncoder.ev44("det", 1, 2, new int[] {1}, new int[] {2}))
            .order(ByteOrder.LITTLE_ENDIAN);
    ByteBuffer heapBigEndian =
        ByteBuffer.wrap(EventEncoder.ev42("det", 1, 2, new int[] {1}, new int[] {2}));
    long sum = 0;
    for (int warmUp = 0; warmUp < 20_000; warmUp++) {
      sum += decoder.decode(heapLittleEndian).pulseTimeNs();
      sum += decoder.decode(heapBigEndian).pulseTimeNs();
    }
    long before = threads.getCurrentThreadAllocatedBytes();
    for (int i = 0; i < 100_000; i++) {
      sum += decoder.decode(heapLittleEndian).timeOfFlight().get(0);
      sum += decoder.decode(heapBigEndian).pixelId().get(0);
    }
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;
    assertTrue(allocated < 100_000, allocated + " bytes for 200000 messages (" + sum + ")");
  }

  @Test
  void intVectorOfValues() {
    IntVector vector = IntVector.of(3, -4, 5);
    assertEquals(3, vector.length());
    assertEquals(-4, vector.get(1));
    assertEquals(ByteOrder.LITTLE_ENDIAN, vector.buffer().order());
    assertEquals(0, vector.byteOffset());
    assertTrue(IntVector.of().isEmpty());
  }

  @Test
  void sameSourceNameIsReused() throws CodecException {
    String first =
        decoder
            .decode(ByteBuffer.wrap(EventEncoder.ev44("a", 1, 2, new int[0], new int[0])))
            .sourceName();
    String second =
        decoder
            .decode(ByteBuffer.wrap(EventEncoder.ev44("a", 2, 3, new int[0], new int[0])))
            .sourceName();
    assertSame(first, second);
    assertEquals(
        "b",
        decoder
            .decode(ByteBuffer.wrap(EventEncoder.ev44("b", 2, 3, new int[0], new int[0])))
            .sourceName());
  }

  @Test
  void isEventsLooksAtTheIdentifierFromThePosition() {
    byte[] ev44 = EventEncoder.ev44("a", 1, 2, new int[0], new int[0]);
    byte[] ev42 = EventEncoder.ev42("a", 1, 2, new int[0], new int[0]);
    assertTrue(EventDecoder.isEvents(ByteBuffer.wrap(ev44)));
    assertTrue(EventDecoder.isEvents(ByteBuffer.wrap(ev42)));
    assertFalse(EventDecoder.isEvents(ByteBuffer.wrap(ev44, 0, 7)));
    byte[] shifted = new byte[ev44.length + 2];
    System.arraycopy(ev44, 0, shifted, 2, ev44.length);
    assertFalse(EventDecoder.isEvents(ByteBuffer.wrap(shifted)));
    assertTrue(EventDecoder.isEvents(ByteBuffer.wrap(shifted, 2, ev44.length)));
    for (String other : new String[] {"xv44", "ex44", "evx4", "ev43", "ev4x", "da00"}) {
      byte[] renamed = ev44.clone();
      System.arraycopy(other.getBytes(StandardCharsets.US_ASCII), 0, renamed, 4, 4);
      assertFalse(EventDecoder.isEvents(ByteBuffer.wrap(renamed)), other);
    }
  }

  @Test
  void rejectsUnknownIdentifierQuotingIt() {
    byte[] bytes = EventEncoder.ev44("a", 1, 2, new int[0], new int[0]);
    bytes[4] = 'x';
    bytes[7] = 0;
    CodecException e =
        assertThrows(CodecException.class, () -> decoder.decode(ByteBuffer.wrap(bytes)));
    assertTrue(e.getMessage().contains("\"xv4\\x00\""), e.getMessage());
  }

  @Test
  void rejectsTooShort() {
    CodecException e =
        assertThrows(CodecException.class, () -> decoder.decode(ByteBuffer.wrap(new byte[7])));
    assertTrue(e.getMessage().contains("too short"), e.getMessage());
  }

  @Test
  void rejectsVectorsOfDifferentLengths() {
    byte[] bytes = EventEncoder.ev44("a", 1, 2, new int[] {1, 2}, new int[] {1});
    CodecException e =
        assertThrows(CodecException.class, () -> decoder.decode(ByteBuffer.wrap(bytes)));
    assertTrue(e.getMessage().contains("time_of_flight has 2 elements but pixel_id has 1"));
  }

  @Test
  void rejectsEv44WithoutReferenceTime() {
    byte[] bytes = RawMessages.ev44WithoutReferenceTimes();
    CodecException e =
        assertThrows(CodecException.class, () -> decoder.decode(ByteBuffer.wrap(bytes)));
    assertTrue(e.getMessage().contains("reference_time"), e.getMessage());
  }

  @Test
  void rejectsMissingRequiredFields() {
    assertMessage("required field source_name", RawMessages.ev44(null, new long[] {1}, new int[1]));
    assertMessage("required field reference_time ", RawMessages.ev44("s", null, new int[1]));
    assertMessage(
        "required field reference_time_index", RawMessages.ev44("s", new long[] {1}, null));
  }

  @Test
  void everyTruncationIsACodecExceptionUnlessOnlyPaddingWasCut() throws CodecException {
    Damage.truncations(
        EventEncoder.ev44("source", 1, 2, new int[] {1, 2, 3}, new int[] {4, 5, 6}),
        b -> describe(decoder.decode(b)));
    Damage.truncations(
        EventEncoder.ev42("source", 1, 2, new int[] {1, 2, 3}, new int[] {4, 5, 6}),
        b -> describe(decoder.decode(b)));
  }

  @Test
  void corruptBytesAreCodecExceptionsOrDecode() {
    byte[] message = EventEncoder.ev44("source", 1, 2, new int[] {1, 2, 3}, new int[] {4, 5, 6});
    Damage.corruptions(message, b -> describe(decoder.decode(b)));
  }

  private static String describe(EventMessage m) {
    return m.schema()
        + m.sourceName()
        + m.messageId()
        + m.pulseTimeNs()
        + java.util.Arrays.toString(m.timeOfFlight().toArray())
        + java.util.Arrays.toString(m.pixelId().toArray());
  }

  private void assertMessage(String expected, byte[] bytes) {
    CodecException e =
        assertThrows(CodecException.class, () -> decoder.decode(ByteBuffer.wrap(bytes)));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }
}
