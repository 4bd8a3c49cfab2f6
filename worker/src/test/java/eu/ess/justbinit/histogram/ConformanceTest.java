package eu.ess.justbinit.histogram;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import eu.ess.justbinit.codec.IntVector;
import java.io.IOException;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every case of the conformance folder, bin for bin: a new case file is picked up as it is. */
class ConformanceTest {

  static Stream<ConformanceCase> cases() throws IOException {
    return ConformanceCase.all();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void reproducesTheOriginal(ConformanceCase c) {
    Histogram histogram = Histogram.forSpec(c.spec());
    for (ConformanceCase.Message m : c.messages()) {
      histogram.offer(
          m.source, m.pulseTimeNs, IntVector.of(m.tof), IntVector.of(m.det), m.timestampMs);
    }
    HistogramSnapshot published = histogram.snapshotForPublish();
    JsonNode expected = c.expected();

    assertArrayEquals(ConformanceCase.ints(expected.get("shape")), published.shape(), "shape");
    JsonNode edges = expected.get("edges");
    assertEquals(edges.size(), published.edges().length, "axes");
    for (int axis = 0; axis < edges.size(); axis++) {
      assertArrayEquals(
          ConformanceCase.doubles(edges.get(axis)), published.edges()[axis], "edges " + axis);
    }
    assertArrayEquals(ConformanceCase.longs(expected.get("data")), published.counts(), "data");
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
