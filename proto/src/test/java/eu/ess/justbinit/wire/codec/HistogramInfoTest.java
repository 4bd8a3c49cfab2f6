package eu.ess.justbinit.wire.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import eu.ess.justbinit.wire.rpc.HistogramSpec;
import org.junit.jupiter.api.Test;

class HistogramInfoTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void carriesWhatNicosReadsAndTheStatistics() throws Exception {
    HistogramSpec spec =
        HistogramSpec.newBuilder().setId("det").setStartMs(1000).setStopMs(2000).build();

    JsonNode info = JSON.readTree(HistogramInfo.json(spec, "COUNTING", 123, 40, 4, 2.5, 1, ""));

    assertEquals("det", info.path("id").asText());
    assertEquals(1000, info.path("start").asLong());
    assertEquals(2000, info.path("stop").asLong());
    assertEquals("COUNTING", info.path("state").asText());
    assertEquals(123, info.path("last_pulse_time").asLong());
    assertEquals(40, info.path("sum").asLong());
    assertEquals(40, info.path("num events").asLong(), "where SINQ's NICOS reads the count");
    assertEquals(4, info.path("diff").asLong());
    assertEquals(2.5, info.path("rate").asDouble());
    assertEquals(1, info.path("skipped_messages").asLong());
    assertFalse(info.has("error_message"), "no error, no error_message");
  }

  @Test
  void writesAnErrorMessageOutsideErrorWhenThereIsOne() throws Exception {
    HistogramSpec spec = HistogramSpec.newBuilder().setId("h").build();

    JsonNode info =
        JSON.readTree(
            HistogramInfo.json(spec, "COUNTING", 0, 0, 0, 0, 0, "publish failed: too large"));

    assertEquals("COUNTING", info.path("state").asText());
    assertEquals("publish failed: too large", info.path("error_message").asText());
  }

  @Test
  void writesTheErrorMessageInErrorAndLeavesOutAnAbsentWindow() throws Exception {
    HistogramSpec spec = HistogramSpec.newBuilder().setId("h").build();

    JsonNode info = JSON.readTree(HistogramInfo.json(spec, "ERROR", 0, 0, 0, 0, 0, "too old"));

    assertEquals("too old", info.path("error_message").asText());
    assertFalse(info.has("start"));
    assertFalse(info.has("stop"));
  }

  @Test
  void aFloatingHistogramsSumAndDiffAreDoubles() throws Exception {
    HistogramSpec spec = HistogramSpec.newBuilder().setId("mon").build();

    JsonNode info =
        JSON.readTree(
            HistogramInfo.jsonFloating(spec, "COUNTING", 5, 41.75, 0.5, 7.0, 0, "ignored"));

    assertTrue(info.path("sum").isDouble());
    assertEquals(41.75, info.path("sum").doubleValue());
    assertEquals(0.5, info.path("diff").doubleValue());
    assertEquals(7.0, info.path("rate").doubleValue());
    assertEquals(5, info.path("last_pulse_time").asLong());
    assertTrue(
        JSON.readTree(HistogramInfo.json(spec, "COUNTING", 5, 41, 1, 7, 0, ""))
            .path("sum")
            .isIntegralNumber());
  }
}
