package eu.ess.justbinit.worker.histogram;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import eu.ess.justbinit.wire.codec.CodecException;
import eu.ess.justbinit.wire.codec.HistogramDecoder;
import eu.ess.justbinit.wire.codec.HistogramEncoder;
import eu.ess.justbinit.wire.codec.HistogramMessage;
import eu.ess.justbinit.wire.rpc.HistogramSchema;
import eu.ess.justbinit.wire.rpc.HistogramType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every case of the da00 conformance folder: the messages, encoded by our ev44 and da00 encoders,
 * go through {@link HistogramInput} (routing, decoding, skipping) into the histogram, which is then
 * published as hs01 and read back. Integer results must match exactly and go out as ArrayLong;
 * floating ones within 1e-9 relative and as ArrayDouble.
 */
class Da00ConformanceTest {
  private static final double TOLERANCE = 1e-9;

  static Stream<Da00Case> cases() throws IOException {
    return Da00Case.all();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void reproducesTheNewest(Da00Case c) throws CodecException {
    Histogram histogram = Histogram.forSpec(c.spec());
    HistogramInput input = new HistogramInput(histogram, c.schema());
    long skipped = 0;
    boolean floatingFrame = false;
    for (Da00Case.Message m : c.messages()) {
      try {
        HistogramInput.Outcome outcome = input.offer(m.value(), m.timestampMs());
        if (outcome == HistogramInput.Outcome.UNUSABLE) {
          skipped++;
        } else if (outcome == HistogramInput.Outcome.OFFERED && m.frame()) {
          floatingFrame |= m.floatingSignal();
        }
      } catch (CodecException e) {
        skipped++;
      }
    }
    HistogramSnapshot published = histogram.snapshotForPublish();
    JsonNode expected = c.expected();

    assertArrayEquals(
        ConformanceCase.array(expected.get("shape"), int[].class), published.shape(), "shape");
    JsonNode edges = expected.get("edges");
    assertEquals(edges.size(), published.edges().length, "axes");
    for (int axis = 0; axis < edges.size(); axis++) {
      assertArrayEquals(
          ConformanceCase.array(edges.get(axis), double[].class),
          published.edges()[axis],
          "edges " + axis);
    }
    assertEquals(expected.get("state").asText(), published.state().name(), "state");
    assertEquals(
        expected.get("last_pulse_time").asLong(), published.lastPulseTimeNs(), "last_pulse_time");
    assertEquals(expected.get("skipped_messages").asLong(), skipped, "skipped_messages");

    HistogramMessage hs01 =
        new HistogramDecoder()
            .decode(
                ByteBuffer.wrap(
                    new HistogramEncoder()
                        .encode(
                            HistogramSchema.HS01,
                            0,
                            published.shape(),
                            published.edges(),
                            published.counts(),
                            published.values(),
                            "{}")));
    boolean integerExpected = expected.get("dtype").asText().equals("int64");
    // The newest holds every dethist in float64; ours stays integer until a floating frame.
    boolean mayStayInteger = c.spec().getType() == HistogramType.DETHIST && !floatingFrame;
    if (integerExpected || (mayStayInteger && !published.floating())) {
      assertEquals("int64", hs01.data().elementType(), "array type");
      long[] data = hs01.data().integers();
      double[] want = ConformanceCase.array(expected.get("data"), double[].class);
      for (int i = 0; i < want.length; i++) {
        assertEquals((long) want[i], data[i], "data " + i);
        assertEquals(want[i], (double) (long) want[i], "expected data " + i + " is integral");
      }
      assertEquals(expected.get("sum").asDouble(), (double) published.sum(), "sum");
      assertEquals(0, published.fractionalSum(), "fractional sum");
    } else {
      assertEquals("float64", hs01.data().elementType(), "array type");
      double[] want = ConformanceCase.array(expected.get("data"), double[].class);
      double[] data = hs01.data().floats();
      assertEquals(want.length, data.length, "bins");
      for (int i = 0; i < want.length; i++) {
        assertClose(want[i], data[i], "data " + i);
      }
      assertClose(
          expected.get("sum").asDouble(), published.sum() + published.fractionalSum(), "sum");
    }
    assertTrue(skipped >= 0);
  }

  private static void assertClose(double expected, double actual, String what) {
    double allowed = TOLERANCE * Math.max(1, Math.abs(expected));
    assertTrue(
        Math.abs(actual - expected) <= allowed,
        what + ": expected " + expected + " within " + allowed + ", got " + actual);
  }
}
