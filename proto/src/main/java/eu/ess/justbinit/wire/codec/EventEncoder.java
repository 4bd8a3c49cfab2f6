package eu.ess.justbinit.wire.codec;

import com.google.flatbuffers.FlatBufferBuilder;
import eu.ess.justbinit.wire.codec.fbs.ev42.EventMessage;
import eu.ess.justbinit.wire.codec.fbs.ev44.Event44Message;

/**
 * Encodes ev44 and ev42 event messages (for the event generator and the tests). Writes source_name
 * and every ev44 vector, even when empty: the Python readers fail otherwise.
 */
public final class EventEncoder {
  private EventEncoder() {}

  /**
   * An ev44 message with one reference time at event index 0.
   *
   * @param pixelIds the same length as {@code tof}, or empty (monitor data); {@code tof} may be
   *     empty when there are pixel ids
   */
  public static byte[] ev44(
      String source, long messageId, long referenceTimeNs, int[] tof, int[] pixelIds) {
    FlatBufferBuilder builder = new FlatBufferBuilder(64 + 4 * (tof.length + pixelIds.length));
    int sourceOffset = builder.createString(source);
    int referenceTime =
        Event44Message.createReferenceTimeVector(builder, new long[] {referenceTimeNs});
    int referenceTimeIndex = Event44Message.createReferenceTimeIndexVector(builder, new int[] {0});
    int tofOffset = Event44Message.createTimeOfFlightVector(builder, tof);
    int pixelOffset = Event44Message.createPixelIdVector(builder, pixelIds);
    int root =
        Event44Message.createEvent44Message(
            builder,
            sourceOffset,
            messageId,
            referenceTime,
            referenceTimeIndex,
            tofOffset,
            pixelOffset);
    Event44Message.finishEvent44MessageBuffer(builder, root);
    return builder.sizedByteArray();
  }

  /** An ev42 message; {@code detectorIds} are unsigned on the wire. */
  public static byte[] ev42(
      String source, long messageId, long pulseTimeNs, int[] tof, int[] detectorIds) {
    FlatBufferBuilder builder = new FlatBufferBuilder(64 + 4 * (tof.length + detectorIds.length));
    int sourceOffset = builder.createString(source);
    int tofOffset = uintVector(builder, tof);
    int detectorOffset = uintVector(builder, detectorIds);
    EventMessage.startEventMessage(builder);
    EventMessage.addSourceName(builder, sourceOffset);
    EventMessage.addMessageId(builder, messageId);
    EventMessage.addPulseTime(builder, pulseTimeNs);
    EventMessage.addTimeOfFlight(builder, tofOffset);
    EventMessage.addDetectorId(builder, detectorOffset);
    EventMessage.finishEventMessageBuffer(builder, EventMessage.endEventMessage(builder));
    return builder.sizedByteArray();
  }

  /** A [uint] vector from the bit patterns of {@code values}, without widening to long[]. */
  private static int uintVector(FlatBufferBuilder builder, int[] values) {
    builder.startVector(Integer.BYTES, values.length, Integer.BYTES);
    for (int i = values.length - 1; i >= 0; i--) {
      builder.addInt(values[i]);
    }
    return builder.endVector();
  }
}
