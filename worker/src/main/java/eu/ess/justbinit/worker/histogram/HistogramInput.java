package eu.ess.justbinit.worker.histogram;

import eu.ess.justbinit.wire.codec.BinnedFrame;
import eu.ess.justbinit.wire.codec.CodecException;
import eu.ess.justbinit.wire.codec.EventDecoder;
import eu.ess.justbinit.wire.codec.FrameDecoder;
import eu.ess.justbinit.wire.rpc.EventSchema;
import java.nio.ByteBuffer;

/**
 * What one histogram takes from its data topics, by its input schema: a da00 histogram only da00
 * frames, an ev42 or ev44 histogram only ev42 and ev44 messages. A message of the other kind is
 * ignored (a topic may carry both); any other message is decoded by the histogram's own decoder and
 * so refused. Single writer: the worker's loop.
 */
public final class HistogramInput {
  /** What became of a message. */
  public enum Outcome {
    /** Offered to the histogram (which applies its time window and source filter). */
    OFFERED,
    /** Of the other kind: it changes nothing and is not a skipped message. */
    IGNORED,
    /** Decoded, but the histogram cannot use it: see {@link #unusableReason()}. */
    UNUSABLE
  }

  private final Histogram histogram;
  private final boolean takesEvents;
  private final boolean takesFrames;
  private final EventDecoder events = new EventDecoder();
  private final FrameDecoder frames = new FrameDecoder();
  private String unusableReason = "";

  /**
   * @param schema the histogram's effective input schema; EVENT_SCHEMA_UNSPECIFIED takes both kinds
   */
  public HistogramInput(Histogram histogram, EventSchema schema) {
    this.histogram = histogram;
    this.takesEvents = schema != EventSchema.DA00;
    this.takesFrames = schema != EventSchema.EV42 && schema != EventSchema.EV44;
  }

  /**
   * Offers one message that arrived with Kafka timestamp {@code timestampMs}.
   *
   * @throws CodecException when the message is of this histogram's kind (or of no known kind) and
   *     cannot be decoded
   */
  public Outcome offer(ByteBuffer value, long timestampMs) throws CodecException {
    return offer(0, value, timestampMs);
  }

  /**
   * Offers one message of partition number {@code partition} (see {@link Histogram#readPartitions})
   * that arrived with Kafka timestamp {@code timestampMs}.
   *
   * @throws CodecException when the message is of this histogram's kind (or of no known kind) and
   *     cannot be decoded
   */
  public Outcome offer(int partition, ByteBuffer value, long timestampMs) throws CodecException {
    if (FrameDecoder.isDa00(value)) {
      if (!takesFrames) {
        return Outcome.IGNORED;
      }
      BinnedFrame frame = frames.decode(value);
      if (!histogram.offer(partition, frame, timestampMs)) {
        unusableReason = unusable(frame);
        return Outcome.UNUSABLE;
      }
      return Outcome.OFFERED;
    }
    if (!takesEvents) {
      if (EventDecoder.isEvents(value)) {
        return Outcome.IGNORED;
      }
      frames.decode(value);
    }
    histogram.offer(partition, events.decode(value), timestampMs);
    return Outcome.OFFERED;
  }

  /** Why the last {@link Outcome#UNUSABLE} frame could not be used. */
  public String unusableReason() {
    return unusableReason;
  }

  private String unusable(BinnedFrame frame) {
    Binning binning = histogram.binning();
    if (binning instanceof DetectorMapBinning) {
      return "the frame has "
          + frame.columns()
          + " columns, the detector map width x height "
          + binning.size();
    }
    return "this histogram type has no da00 path";
  }
}
