package eu.ess.justbinit.worker.histogram;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import eu.ess.justbinit.wire.codec.CodecException;
import eu.ess.justbinit.wire.codec.EventDecoder;
import eu.ess.justbinit.wire.codec.EventEncoder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every case of the conformance folder, bin for bin: a new case file is picked up as it is. The
 * messages go through the real codec (ev44 encoded, then decoded zero-copy) into {@link
 * Histogram#offer}.
 */
class ConformanceTest {

  static Stream<ConformanceCase> cases() throws IOException {
    return ConformanceCase.all();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void reproducesTheOriginal(ConformanceCase c) throws CodecException {
    Histogram histogram = Histogram.forSpec(c.spec());
    EventDecoder decoder = new EventDecoder();
    long messageId = 0;
    for (ConformanceCase.Message m : c.messages()) {
      byte[] ev44 = EventEncoder.ev44(m.source, messageId++, m.pulseTimeNs, m.tof, m.det);
      histogram.offer(decoder.decode(ByteBuffer.wrap(ev44)), m.timestampMs);
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
    assertArrayEquals(
        ConformanceCase.array(expected.get("data"), long[].class), published.counts(), "data");
    assertEquals(expected.get("sum").asLong(), published.sum(), "sum");
    assertEquals(expected.get("state").asText(), published.state().name(), "state");
    assertEquals(
        expected.get("last_pulse_time").asLong(), published.lastPulseTimeNs(), "last_pulse_time");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void sumIsTheSumOfTheData(ConformanceCase c) {
    long sum = 0;
    for (JsonNode v : c.expected().get("data")) {
      sum += v.asLong();
    }
    assertEquals(c.expected().get("sum").asLong(), sum);
    assertTrue(sum >= 0);
  }
}
