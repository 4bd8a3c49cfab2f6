package eu.ess.justbinit.worker.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.ess.justbinit.wire.rpc.EventSchema;
import eu.ess.justbinit.wire.rpc.HistogramSpec;
import eu.ess.justbinit.wire.rpc.HistogramState;
import eu.ess.justbinit.wire.rpc.HistogramType;
import eu.ess.justbinit.wire.rpc.Range;
import eu.ess.justbinit.worker.histogram.Histogram;
import eu.ess.justbinit.worker.histogram.HistogramInput;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SimulatedEventSourceTest {

  static Stream<HistogramSpec> specs() {
    Range tof = Range.newBuilder().setLow(0).setHigh(100_000_000).build();
    return Stream.of(
            HistogramSpec.newBuilder()
                .setType(HistogramType.HIST1D)
                .setTofRange(tof)
                .setTofBins(50),
            HistogramSpec.newBuilder()
                .setType(HistogramType.HIST1D)
                .setTofRange(tof)
                .setTofBins(50)
                .setDetRange(Range.newBuilder().setLow(100).setHigh(200)),
            HistogramSpec.newBuilder()
                .setType(HistogramType.HIST2D)
                .setTofRange(tof)
                .setTofBins(20)
                .setDetRange(Range.newBuilder().setLow(1).setHigh(6144))
                .setDetBins(30),
            HistogramSpec.newBuilder()
                .setType(HistogramType.DETHIST)
                .setDetRange(Range.newBuilder().setLow(1).setHigh(6144))
                .setWidth(32)
                .setHeight(192),
            HistogramSpec.newBuilder()
                .setType(HistogramType.ROIHIST)
                .addLeftEdges(3)
                .addLeftEdges(103)
                .addLeftEdges(203)
                .setWidth(16),
            HistogramSpec.newBuilder()
                .setType(HistogramType.HIST1D)
                .setInputSchema(EventSchema.DA00)
                .setTofRange(tof)
                .setTofBins(50),
            HistogramSpec.newBuilder()
                .setType(HistogramType.DETHIST)
                .setInputSchema(EventSchema.DA00)
                .setDetRange(Range.newBuilder().setLow(1).setHigh(6144))
                .setWidth(32)
                .setHeight(192))
        .map(spec -> spec.setId("sim").setSource("simulator").build());
  }

  @ParameterizedTest
  @MethodSource("specs")
  void everySimulatedEventFallsIntoTheHistogram(HistogramSpec spec) throws Exception {
    Histogram histogram = Histogram.forSpec(spec);
    HistogramInput input = new HistogramInput(histogram, spec.getInputSchema());
    int messages = 3;
    try (SimulatedEventSource source = new SimulatedEventSource(spec, 7)) {
      for (int i = 0; i < messages; i++) {
        for (ConsumerRecord<ByteBuffer, ByteBuffer> record : source.poll(Duration.ofSeconds(1))) {
          assertEquals(
              HistogramInput.Outcome.OFFERED, input.offer(record.value(), record.timestamp()));
        }
      }
    }
    assertEquals(HistogramState.COUNTING, histogram.state());
    assertEquals(
        (long) messages * SimulatedEventSource.EVENTS_PER_MESSAGE,
        histogram.snapshotForPublish().sum());
    long filledBins = 0;
    for (long count : histogram.binning().counts()) {
      filledBins += count > 0 ? 1 : 0;
    }
    assertTrue(filledBins > 1, "a Gaussian spreads over bins, not one");
  }
}
