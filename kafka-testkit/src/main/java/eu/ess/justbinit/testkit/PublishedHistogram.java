package eu.ess.justbinit.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import eu.ess.justbinit.wire.codec.CodecException;
import eu.ess.justbinit.wire.codec.DataArrayDecoder;
import eu.ess.justbinit.wire.codec.DataArrayMessage;
import eu.ess.justbinit.wire.codec.FrameDecoder;
import eu.ess.justbinit.wire.codec.HistogramDecoder;
import eu.ess.justbinit.wire.codec.HistogramMessage;
import eu.ess.justbinit.wire.codec.NumericArray;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * One histogram as the service published it (hs00, hs01 or da00), decoded: its info JSON and its
 * values. Immutable; any thread may read it.
 */
public final class PublishedHistogram {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final JsonNode info;
  private final NumericArray values;
  private final long timestampNs;

  private PublishedHistogram(JsonNode info, NumericArray values, long timestampNs) {
    this.info = info;
    this.values = values;
    this.timestampNs = timestampNs;
  }

  /** Decodes one message of a histogram output topic; fails the test when it is none. */
  public static PublishedHistogram decode(byte[] value) {
    try {
      if (FrameDecoder.isDa00(ByteBuffer.wrap(value))) {
        DataArrayMessage message = new DataArrayDecoder().decode(ByteBuffer.wrap(value));
        return new PublishedHistogram(
            JSON.readTree(message.variable("info").text()),
            message.variable("signal").values(),
            message.timestampNs());
      }
      HistogramMessage message = new HistogramDecoder().decode(ByteBuffer.wrap(value));
      return new PublishedHistogram(
          JSON.readTree(message.info()), message.data(), message.timestampNs());
    } catch (CodecException | IOException | RuntimeException e) {
      throw new AssertionError("Not a histogram on the output topic", e);
    }
  }

  /** The info JSON the service wrote with the histogram. */
  public JsonNode info() {
    return info;
  }

  /** The info's {@code id}. */
  public String id() {
    return info.path("id").asText();
  }

  /** The info's {@code state}, e.g. COUNTING or FINISHED. */
  public String state() {
    return info.path("state").asText();
  }

  /** The element type of the values, e.g. "int64" or "float64". */
  public String elementType() {
    return values.elementType();
  }

  /** A copy of the counts; only for integer histograms. */
  public long[] counts() {
    return values.integers().clone();
  }

  /** A copy of every value as a double. */
  public double[] values() {
    return values.toDoubles();
  }

  /** The sum of the counts (of the values, rounded down, for floating-point histograms). */
  public long sum() {
    if (values.isInteger()) {
      long sum = 0;
      for (long count : values.integers()) {
        sum += count;
      }
      return sum;
    }
    double sum = 0;
    for (double value : values.floats()) {
      sum += value;
    }
    return (long) sum;
  }

  /** The message's timestamp in nanoseconds. */
  public long timestampNs() {
    return timestampNs;
  }

  @Override
  public String toString() {
    return info.toString();
  }
}
