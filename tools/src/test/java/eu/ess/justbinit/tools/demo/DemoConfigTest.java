package eu.ess.justbinit.tools.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import eu.ess.justbinit.controller.command.CommandParser;
import eu.ess.justbinit.controller.command.ConfigCommand;
import eu.ess.justbinit.controller.command.ParseResult;
import eu.ess.justbinit.wire.rpc.EventSchema;
import eu.ess.justbinit.wire.rpc.HistogramSchema;
import eu.ess.justbinit.wire.rpc.HistogramSpec;
import eu.ess.justbinit.wire.rpc.HistogramType;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

class DemoConfigTest {
  @Test
  void isAValidConfigOfOneHistogramOfEachType() {
    ParseResult result =
        new CommandParser(Clock.systemUTC())
            .parse(
                DemoConfig.json("127.0.0.1:9092", "events", "histograms")
                    .getBytes(StandardCharsets.UTF_8));

    ConfigCommand config = assertInstanceOf(ConfigCommand.class, result, result.toString());
    List<HistogramSpec> histograms = config.histograms();
    assertEquals(
        List.of(
            HistogramType.HIST1D,
            HistogramType.HIST2D,
            HistogramType.DETHIST,
            HistogramType.ROIHIST),
        histograms.stream().map(HistogramSpec::getType).toList());
    for (HistogramSpec histogram : histograms) {
      assertEquals(EventSchema.EV44, histogram.getInputSchema());
      assertEquals(HistogramSchema.HS01, histogram.getOutputSchema());
      assertEquals(List.of("events"), histogram.getDataTopicsList());
      assertEquals("histograms", histogram.getOutputTopic());
    }
    // The region: 30 rows of 30 pixels in the middle of the generator's 100 × 100 detector.
    assertEquals(30, histograms.get(3).getLeftEdgesCount());
    assertEquals(3535, histograms.get(3).getLeftEdges(0));
    assertEquals(30, histograms.get(3).getWidth());
    // The live page is told each histogram's type, by the id the config gives it.
    for (HistogramSpec histogram : histograms) {
      assertEquals(
          histogram.getType().name(),
          DemoConfig.kinds().of(histogram.getId(), null).name(),
          histogram.getId());
    }
  }
}
