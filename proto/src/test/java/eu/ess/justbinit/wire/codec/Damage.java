package eu.ess.justbinit.wire.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;

/** Damages valid messages in every way and checks that decoding says so with a CodecException. */
final class Damage {
  /** A decoder under test, with what it read turned into a comparable value. */
  interface Decoding {
    Object decode(ByteBuffer message) throws CodecException;
  }

  private Damage() {}

  /**
   * Every truncation of {@code message} is a CodecException with a message, except cuts through the
   * alignment padding at the end, which must decode to what the whole message does.
   */
  static void truncations(byte[] message, Decoding decoding) throws CodecException {
    Object whole = decoding.decode(ByteBuffer.wrap(message));
    int decodable = 0;
    for (int length = 0; length < message.length; length++) {
      try {
        assertEquals(whole, decoding.decode(ByteBuffer.wrap(message, 0, length)), "cut " + length);
        decodable++;
      } catch (CodecException rejected) {
        assertFalse(rejected.getMessage().isEmpty());
      }
    }
    assertTrue(decodable <= 3, "only alignment padding may be cut: " + decodable);
  }

  /** Overwriting any byte gives a CodecException or a decoded message, never another exception. */
  static void corruptions(byte[] message, Decoding decoding) {
    for (int i = 0; i < message.length; i++) {
      for (int value : new int[] {0x7f, 0xff, 0x80, 0x01}) {
        byte[] corrupt = message.clone();
        corrupt[i] = (byte) value;
        try {
          decoding.decode(ByteBuffer.wrap(corrupt));
        } catch (CodecException rejected) {
          assertFalse(rejected.getMessage().isEmpty());
        }
      }
    }
  }
}
