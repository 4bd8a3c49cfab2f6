package eu.ess.justbinit.worker.io;

import eu.ess.justbinit.wire.codec.Da00Type;
import eu.ess.justbinit.wire.codec.DataArrayEncoder;
import eu.ess.justbinit.wire.codec.DataArrayMessage;
import eu.ess.justbinit.wire.codec.EventEncoder;
import eu.ess.justbinit.wire.rpc.EventSchema;
import eu.ess.justbinit.wire.rpc.HistogramSpec;
import eu.ess.justbinit.wire.rpc.HistogramType;
import eu.ess.justbinit.wire.rpc.PartitionOffset;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;

/**
 * Simulation mode: a steady stream of ev44 messages of Gaussian events that fall into the histogram
 * (time of flight within tof_range, pixels within det_range, the detector map or the ROI rows),
 * handed to the loop as if read from Kafka so that they take the same decode and offer path. A
 * histogram whose input is da00 gets the same events as pre-binned frames instead: hist1d 100 bins
 * over tof_range, dethist one bin per pixel.
 */
public final class SimulatedEventSource implements RecordSource {
  static final int EVENTS_PER_MESSAGE = 1000;

  /** 20 messages a second: 20,000 events/s, enough to watch a histogram fill. */
  static final long MESSAGE_PERIOD_MS = 50;

  private static final String TOPIC = "simulation";
  private static final TopicPartition PARTITION = new TopicPartition(TOPIC, 0);
  private static final Range DEFAULT_TOF = new Range(0, 100_000_000);
  private static final Range DEFAULT_DETECTOR = new Range(1, 512);

  private final HistogramSpec spec;
  private final String sourceName;
  private final SplittableRandom random;
  private final int[] timeOfFlight = new int[EVENTS_PER_MESSAGE];
  private final int[] pixelId = new int[EVENTS_PER_MESSAGE];
  private long nextMessageMs;
  private long messageId;
  private boolean stopped;

  public SimulatedEventSource(HistogramSpec spec, long seed) {
    this.spec = spec;
    this.sourceName = spec.hasSource() ? spec.getSource() : "simulator";
    this.random = new SplittableRandom(seed);
    this.nextMessageMs = System.currentTimeMillis();
  }

  @Override
  public ConsumerRecords<ByteBuffer, ByteBuffer> poll(Duration timeout) {
    if (stopped) {
      pause(timeout.toMillis());
      return ConsumerRecords.empty();
    }
    long waitMs = nextMessageMs - System.currentTimeMillis();
    if (waitMs > timeout.toMillis()) {
      pause(timeout.toMillis());
      return ConsumerRecords.empty();
    }
    pause(waitMs);
    long nowMs = System.currentTimeMillis();
    nextMessageMs = Math.max(nextMessageMs + MESSAGE_PERIOD_MS, nowMs);
    byte[] message = nextMessage(nowMs);
    ConsumerRecord<ByteBuffer, ByteBuffer> record =
        new ConsumerRecord<>(
            TOPIC,
            0,
            messageId,
            nowMs,
            TimestampType.CREATE_TIME,
            -1,
            message.length,
            null,
            ByteBuffer.wrap(message),
            new RecordHeaders(),
            Optional.empty());
    return new ConsumerRecords<>(Map.of(PARTITION, List.of(record)), Map.of());
  }

  /** One ev44 message of events that fit the histogram, or one da00 frame of them. */
  public byte[] nextMessage(long nowMs) {
    if (spec.getInputSchema() == EventSchema.DA00) {
      return nextFrame(nowMs);
    }
    switch (spec.getType()) {
      case DETHIST:
        fillDetectorMap();
        break;
      case ROIHIST:
        fillRegionOfInterest();
        break;
      default:
        fillTimeOfFlightAndPixel();
        break;
    }
    messageId++;
    return EventEncoder.ev44(sourceName, messageId, nowMs * 1_000_000L, timeOfFlight, pixelId);
  }

  /** The events of one message, binned as the EFU would send them. */
  private byte[] nextFrame(long nowMs) {
    messageId++;
    long[] signal;
    long[] frameTime;
    List<String> axes;
    long[] shape;
    if (spec.getType() == HistogramType.DETHIST) {
      fillDetectorMap();
      int first = spec.hasDetRange() ? (int) spec.getDetRange().getLow() : 1;
      signal = new long[spec.getWidth() * spec.getHeight()];
      for (int id : pixelId) {
        signal[id - first]++;
      }
      Range tof = spec.hasTofRange() ? Range.of(spec.getTofRange()) : DEFAULT_TOF;
      frameTime = new long[] {(long) tof.low, (long) tof.high};
      axes = List.of("pixel", "frame_time");
      shape = new long[] {signal.length, 1};
    } else {
      fillTimeOfFlightAndPixel();
      Range tof = spec.hasTofRange() ? Range.of(spec.getTofRange()) : DEFAULT_TOF;
      int bins = 100;
      frameTime = new long[bins + 1];
      for (int i = 0; i <= bins; i++) {
        frameTime[i] = (long) (tof.low + (tof.high - tof.low) * i / bins);
      }
      signal = new long[bins];
      for (int t : timeOfFlight) {
        signal[(int) Math.min(bins - 1, (t - tof.low) * bins / (tof.high - tof.low))]++;
      }
      axes = List.of("frame_time");
      shape = new long[] {bins};
    }
    return new DataArrayEncoder()
        .encode(
            new DataArrayMessage(
                sourceName,
                nowMs * 1_000_000L,
                List.of(
                    DataArrayMessage.Variable.ofLongs(
                        "signal", "counts", axes, shape, Da00Type.INT64, signal),
                    DataArrayMessage.Variable.ofLongs(
                        "frame_time",
                        "ns",
                        List.of("frame_time"),
                        new long[] {frameTime.length},
                        Da00Type.INT64,
                        frameTime))));
  }

  private void fillTimeOfFlightAndPixel() {
    Range tof = spec.hasTofRange() ? Range.of(spec.getTofRange()) : DEFAULT_TOF;
    Range detector = spec.hasDetRange() ? Range.of(spec.getDetRange()) : DEFAULT_DETECTOR;
    for (int i = 0; i < EVENTS_PER_MESSAGE; i++) {
      timeOfFlight[i] = gaussianIn(tof);
      pixelId[i] = gaussianIn(detector);
    }
  }

  /** dethist: det_range.low is the first pixel of a width x height detector, row by row. */
  private void fillDetectorMap() {
    int first = spec.hasDetRange() ? (int) spec.getDetRange().getLow() : 1;
    Range columns = new Range(0, spec.getWidth());
    Range rows = new Range(0, spec.getHeight());
    Range tof = spec.hasTofRange() ? Range.of(spec.getTofRange()) : DEFAULT_TOF;
    for (int i = 0; i < EVENTS_PER_MESSAGE; i++) {
      timeOfFlight[i] = gaussianIn(tof);
      pixelId[i] = first + gaussianIn(rows) * spec.getWidth() + gaussianIn(columns);
    }
  }

  /** roihist: row r holds the pixels left_edges[r] .. left_edges[r] + width - 1. */
  private void fillRegionOfInterest() {
    Range columns = new Range(0, spec.getWidth());
    Range rows = new Range(0, spec.getLeftEdgesCount());
    Range tof = spec.hasTofRange() ? Range.of(spec.getTofRange()) : DEFAULT_TOF;
    for (int i = 0; i < EVENTS_PER_MESSAGE; i++) {
      timeOfFlight[i] = gaussianIn(tof);
      pixelId[i] = spec.getLeftEdges(gaussianIn(rows)) + gaussianIn(columns);
    }
  }

  /** A Gaussian value centred in [low, high), five standard deviations to either side. */
  private int gaussianIn(Range range) {
    double centre = (range.low + range.high) / 2;
    double sigma = (range.high - range.low) / 10;
    if (range.high - range.low < 1) {
      return (int) Math.floor(range.low);
    }
    while (true) {
      double value = Math.floor(centre + sigma * random.nextGaussian());
      if (value >= range.low && value < range.high) {
        return (int) value;
      }
    }
  }

  private static void pause(long millis) {
    if (millis <= 0) {
      return;
    }
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public List<TopicPartition> partitions() {
    return List.of(PARTITION);
  }

  @Override
  public boolean isCaughtUp() {
    return true;
  }

  @Override
  public boolean isCaughtUp(int partition) {
    return true;
  }

  /** Makes no more messages. */
  @Override
  public void stopReading(int partition) {
    stopped = true;
  }

  @Override
  public List<PartitionOffset> nextOffsets() {
    return List.of();
  }

  @Override
  public void close() {}

  private record Range(double low, double high) {
    static Range of(eu.ess.justbinit.wire.rpc.Range range) {
      return new Range(range.getLow(), range.getHigh());
    }
  }
}
