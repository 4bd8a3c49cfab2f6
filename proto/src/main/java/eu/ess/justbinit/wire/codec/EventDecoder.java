package eu.ess.justbinit.wire.codec;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Decodes ev44 and ev42 messages, chosen by the file identifier at bytes 4..8, into one reused
 * {@link EventMessage}. Not thread-safe: one decoder per consuming thread.
 *
 * <p>Allocation-free per message when the buffer is little-endian, or a heap buffer over the same
 * array as last time, and the source name equals the previous message's; otherwise it allocates one
 * little-endian view of the bytes and/or one String. The vectors are never copied.
 *
 * <p>ev44 pulse time: the original just-bin-it takes {@code reference_time[0]} and fails on a
 * message without reference times; so does this decoder (CodecException), so such messages are
 * skipped exactly as the original skips them.
 */
public final class EventDecoder {
  private static final int EV44 = FlatBufferView.id("ev44");
  private static final int EV42 = FlatBufferView.id("ev42");

  private final EventMessage message = new EventMessage();
  private final FlatBufferView view = new FlatBufferView();
  private byte[] lastSourceBytes = new byte[0];
  private String lastSource = "";

  /** Whether {@code buffer} (position..limit) carries the ev44 or ev42 file identifier. */
  public static boolean isEvents(ByteBuffer buffer) {
    if (buffer.remaining() < 8) {
      return false;
    }
    int p = buffer.position() + 4;
    return buffer.get(p) == 'e'
        && buffer.get(p + 1) == 'v'
        && buffer.get(p + 2) == '4'
        && (buffer.get(p + 3) == '4' || buffer.get(p + 3) == '2');
  }

  /**
   * Decodes {@code buffer} (position..limit is the message) without copying its vectors. The
   * buffer's position, limit and order are left as they are.
   *
   * @return the decoder's one EventMessage, valid until the next call
   * @throws CodecException when the bytes are not a valid ev44 or ev42 message
   */
  public EventMessage decode(ByteBuffer buffer) throws CodecException {
    view.reset(buffer, "event message");
    int identifier = view.identifier();
    if (identifier == EV44) {
      view.schema("ev44");
      decodeEv44();
    } else if (identifier == EV42) {
      view.schema("ev42");
      decodeEv42();
    } else {
      throw new CodecException(
          "unknown identifier \"" + view.identifierText() + "\": not an ev44 or ev42 message");
    }
    return message;
  }

  private void decodeEv44() throws CodecException {
    int root = view.root();
    String source = source(root);
    if (source == null) {
      throw view.missing("source_name");
    }
    long messageId = view.int64(root, 1, "message_id");
    int referenceTime = view.vector(root, 2, 8, "reference_time");
    if (referenceTime < 0) {
      throw view.missing("reference_time");
    }
    if (view.length(referenceTime) == 0) {
      throw new CodecException("ev44: reference_time is empty, the message has no pulse time");
    }
    int referenceTimeIndex = view.vector(root, 3, 4, "reference_time_index");
    if (referenceTimeIndex < 0) {
      throw view.missing("reference_time_index");
    }
    events(root, 4, "time_of_flight", 5, "pixel_id");
    message.ev44(view.buffer(), source, messageId, referenceTime, referenceTimeIndex);
  }

  private void decodeEv42() throws CodecException {
    int root = view.root();
    String source = source(root);
    long messageId = view.int64(root, 1, "message_id");
    long pulseTime = view.int64(root, 2, "pulse_time");
    events(root, 3, "time_of_flight", 4, "detector_id");
    message.ev42(source == null ? "" : source, messageId, pulseTime);
  }

  private void events(int root, int tofSlot, String tofName, int pixelSlot, String pixelName)
      throws CodecException {
    int tof = view.vector(root, tofSlot, 4, tofName);
    int pixel = view.vector(root, pixelSlot, 4, pixelName);
    int tofLength = view.length(tof);
    int pixelLength = view.length(pixel);
    if (tofLength != 0 && pixelLength != 0 && tofLength != pixelLength) {
      throw new CodecException(
          view.schemaName()
              + ": "
              + tofName
              + " has "
              + tofLength
              + " elements but "
              + pixelName
              + " has "
              + pixelLength);
    }
    message.timeOfFlight().wrap(view.buffer(), Math.max(tof + 4, 0), tofLength);
    message.pixelId().wrap(view.buffer(), Math.max(pixel + 4, 0), pixelLength);
  }

  /** The source name (slot 0), the previous String when its bytes are the same; null if absent. */
  private String source(int root) throws CodecException {
    int vector = view.vector(root, 0, 1, "source_name");
    if (vector < 0) {
      return null;
    }
    ByteBuffer bytes = view.buffer();
    int length = view.length(vector);
    if (length == lastSourceBytes.length && sameBytes(bytes, vector + 4, lastSourceBytes)) {
      return lastSource;
    }
    byte[] copy = new byte[length];
    bytes.get(vector + 4, copy);
    lastSourceBytes = copy;
    lastSource = new String(copy, StandardCharsets.UTF_8);
    return lastSource;
  }

  private static boolean sameBytes(ByteBuffer buffer, int position, byte[] expected) {
    for (int i = 0; i < expected.length; i++) {
      if (buffer.get(position + i) != expected[i]) {
        return false;
      }
    }
    return true;
  }
}
