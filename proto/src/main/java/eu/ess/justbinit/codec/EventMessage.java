package eu.ess.justbinit.codec;

/**
 * One decoded event message (ev44 or ev42). A flyweight: {@link EventDecoder} refills the same
 * instance for every message, and its vectors point into the message buffer.
 */
public final class EventMessage {
  // STUB: filled in by the codec work (issue 2).
  private final IntVector timeOfFlight = new IntVector();
  private final IntVector pixelId = new IntVector();

  /** Times of flight (ns); empty when the message carries none. */
  public IntVector timeOfFlight() {
    return timeOfFlight;
  }

  /** Pixel (detector) ids; empty when the message carries none (monitor data). */
  public IntVector pixelId() {
    return pixelId;
  }

  /** The message's source name. */
  public String sourceName() {
    return "";
  }

  /** The message id. */
  public long messageId() {
    return 0;
  }

  /**
   * The pulse time (ns since epoch): ev42's pulse_time, ev44's first reference_time (0 when the
   * message has none).
   */
  public long pulseTimeNs() {
    return 0;
  }
}
