package eu.ess.justbinit.codec;

import java.nio.ByteBuffer;

/**
 * Decodes ev44 and ev42 messages, chosen by the file identifier at bytes 4..8, into one reused
 * {@link EventMessage}. Not thread-safe: one decoder per consuming thread.
 */
public final class EventDecoder {
  private final EventMessage message = new EventMessage();

  /**
   * Decodes {@code buffer} (position..limit is the message) without copying its vectors.
   *
   * @return the decoder's one EventMessage, valid until the next call
   * @throws CodecException when the bytes are not a valid ev44 or ev42 message
   */
  public EventMessage decode(ByteBuffer buffer) throws CodecException {
    if (buffer.remaining() < 8) {
      throw new CodecException("stub: too short");
    }
    return message;
  }
}
