package eu.ess.justbinit.wire.codec;

import java.nio.ByteBuffer;

/**
 * One decoded event message (ev44 or ev42). A flyweight: {@link EventDecoder} refills the same
 * instance for every message, and its vectors point into the message buffer, so nothing here is
 * valid after the next decode or once the buffer is reused.
 *
 * <p>ev42 carries one pulse time; it appears as one reference time at event index 0, so callers can
 * treat both schemas alike.
 */
public final class EventMessage {
  private final IntVector timeOfFlight = new IntVector();
  private final IntVector pixelId = new IntVector();
  private String schema = "";
  private String sourceName = "";
  private long messageId;
  private ByteBuffer buffer;
  private int referenceTimes;
  private int referenceTimeCount;
  private int referenceTimeIndexes;
  private int referenceTimeIndexCount;
  private long pulseTimeNs;

  /** "ev44" or "ev42". */
  public String schema() {
    return schema;
  }

  /** Times of flight (ns); empty when the message carries none. */
  public IntVector timeOfFlight() {
    return timeOfFlight;
  }

  /**
   * Pixel (detector) ids; empty when the message carries none (monitor data). ev42's unsigned ids
   * above 2^31-1 read as negative ints.
   */
  public IntVector pixelId() {
    return pixelId;
  }

  /** Number of events: the length of whichever of the two vectors is present. */
  public int eventCount() {
    return Math.max(timeOfFlight.length(), pixelId.length());
  }

  /** The message's source name ("" when an ev42 message has none). */
  public String sourceName() {
    return sourceName;
  }

  /** The message id (ev42's unsigned id as its bit pattern). */
  public long messageId() {
    return messageId;
  }

  /**
   * The pulse time (ns since epoch): ev42's pulse_time, ev44's first reference_time, as the
   * original just-bin-it takes it ({@code reference_time[0]}). The decoder rejects ev44 messages
   * with no reference time, as the original does.
   */
  public long pulseTimeNs() {
    return pulseTimeNs;
  }

  /** Number of reference (pulse) times: ev44's reference_time length, 1 for ev42. */
  public int referenceTimeCount() {
    return referenceTimeCount;
  }

  /** Reference time {@code i} (ns since epoch), 0 <= i < referenceTimeCount(). */
  public long referenceTimeNs(int i) {
    return buffer == null ? pulseTimeNs : buffer.getLong(referenceTimes + 8 * i);
  }

  /**
   * Index of the first event of reference time {@code i}; 0 where ev44's reference_time_index is
   * shorter than its reference_time.
   */
  public int referenceTimeIndex(int i) {
    return buffer == null || i >= referenceTimeIndexCount
        ? 0
        : buffer.getInt(referenceTimeIndexes + 4 * i);
  }

  void ev44(
      ByteBuffer buffer,
      String sourceName,
      long messageId,
      int referenceTimeVector,
      int referenceTimeIndexVector) {
    this.schema = "ev44";
    this.sourceName = sourceName;
    this.messageId = messageId;
    this.buffer = buffer;
    this.referenceTimes = referenceTimeVector + 4;
    this.referenceTimeCount = buffer.getInt(referenceTimeVector);
    this.referenceTimeIndexes = referenceTimeIndexVector + 4;
    this.referenceTimeIndexCount = buffer.getInt(referenceTimeIndexVector);
    this.pulseTimeNs = buffer.getLong(referenceTimes);
  }

  void ev42(String sourceName, long messageId, long pulseTimeNs) {
    this.schema = "ev42";
    this.sourceName = sourceName;
    this.messageId = messageId;
    this.buffer = null;
    this.referenceTimeCount = 1;
    this.referenceTimeIndexCount = 0;
    this.pulseTimeNs = pulseTimeNs;
  }
}
