package eu.ess.justbinit.wire.codec;

/** A message that cannot be decoded; the message says what is wrong with it. */
public final class CodecException extends Exception {
  public CodecException(String message) {
    super(message);
  }
}
