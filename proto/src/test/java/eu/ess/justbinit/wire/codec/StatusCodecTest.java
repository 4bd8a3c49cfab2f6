package eu.ess.justbinit.wire.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.ess.justbinit.wire.codec.fbs.x5f2.Status;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class StatusCodecTest {
  private static final StatusMessage HEARTBEAT =
      new StatusMessage(
          "just-bin-it", "1.0", "jbi-1", "host-1", 0xffff_fffeL, 1000, "{\"message\": 1}");

  @Test
  void roundTrip() throws CodecException {
    assertEquals(HEARTBEAT, StatusCodec.decode(ByteBuffer.wrap(StatusCodec.encode(HEARTBEAT))));
  }

  @Test
  void writesEveryStringEvenWhenEmpty() throws CodecException {
    StatusMessage empty = new StatusMessage("", "", "", "", 0, 0, "");
    byte[] bytes = StatusCodec.encode(empty);
    Status status = Status.getRootAsStatus(ByteBuffer.wrap(bytes));
    assertNotNull(status.softwareName());
    assertNotNull(status.softwareVersion());
    assertNotNull(status.serviceId());
    assertNotNull(status.hostName());
    assertNotNull(status.statusJson());
    assertEquals(empty, StatusCodec.decode(ByteBuffer.wrap(bytes)));
  }

  @Test
  void rejectsNumbersOutsideUint32() {
    assertThrows(
        IllegalArgumentException.class,
        () -> StatusCodec.encode(new StatusMessage("", "", "", "", -1, 0, "")));
    assertThrows(
        IllegalArgumentException.class,
        () -> StatusCodec.encode(new StatusMessage("", "", "", "", 0, 1L << 32, "")));
  }

  @Test
  void rejectsOtherMessages() {
    CodecException e =
        assertThrows(
            CodecException.class,
            () ->
                StatusCodec.decode(
                    ByteBuffer.wrap(EventEncoder.ev42("a", 1, 2, new int[0], new int[0]))));
    assertTrue(e.getMessage().contains("\"ev42\""), e.getMessage());
  }

  @Test
  void everyTruncationIsACodecExceptionUnlessOnlyPaddingWasCut() throws CodecException {
    Damage.truncations(StatusCodec.encode(HEARTBEAT), StatusCodec::decode);
  }

  @Test
  void corruptBytesAreCodecExceptionsOrDecode() {
    Damage.corruptions(StatusCodec.encode(HEARTBEAT), StatusCodec::decode);
  }
}
