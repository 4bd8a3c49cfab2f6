package eu.ess.justbinit.worker.histogram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.ess.justbinit.wire.codec.CodecException;
import eu.ess.justbinit.wire.codec.Da00Type;
import eu.ess.justbinit.wire.codec.DataArrayEncoder;
import eu.ess.justbinit.wire.codec.DataArrayMessage;
import eu.ess.justbinit.wire.codec.EventEncoder;
import eu.ess.justbinit.wire.codec.HistogramEncoder;
import eu.ess.justbinit.wire.rpc.EventSchema;
import eu.ess.justbinit.wire.rpc.HistogramSchema;
import eu.ess.justbinit.wire.rpc.HistogramSpec;
import eu.ess.justbinit.wire.rpc.HistogramState;
import eu.ess.justbinit.wire.rpc.HistogramType;
import eu.ess.justbinit.wire.rpc.Range;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which messages reach a histogram by its input schema, and what becomes of the others. */
class HistogramInputTest {
  private static final ByteBuffer EVENTS =
      ByteBuffer.wrap(EventEncoder.ev44("mon", 1, 5, new int[] {5}, new int[] {1}));
  private static final ByteBuffer FRAME =
      ByteBuffer.wrap(
          new DataArrayEncoder()
              .encode(
                  new DataArrayMessage(
                      "mon",
                      7,
                      List.of(
                          DataArrayMessage.Variable.ofLongs(
                              "signal",
                              null,
                              List.of("frame_time"),
                              new long[] {2},
                              Da00Type.INT32,
                              new long[] {1, 2}),
                          DataArrayMessage.Variable.ofLongs(
                              "frame_time",
                              "ns",
                              List.of("frame_time"),
                              new long[] {3},
                              Da00Type.INT32,
                              new long[] {0, 10, 20})))));
  private static final ByteBuffer HISTOGRAM =
      ByteBuffer.wrap(
          new HistogramEncoder()
              .encode(
                  HistogramSchema.HS01,
                  0,
                  new int[] {1},
                  new double[][] {{0, 1}},
                  new long[] {1},
                  "{}"));

  private static Histogram histogram(HistogramType type) {
    return Histogram.forSpec(
        HistogramSpec.newBuilder()
            .setType(type)
            .setTofRange(Range.newBuilder().setLow(0).setHigh(20))
            .setDetRange(Range.newBuilder().setLow(0).setHigh(2))
            .setTofBins(2)
            .setDetBins(2)
            .setWidth(1)
            .setHeight(1)
            .build());
  }

  @Test
  void aDa00HistogramIgnoresEventsAndRefusesOtherSchemas() throws CodecException {
    Histogram histogram = histogram(HistogramType.HIST1D);
    HistogramInput input = new HistogramInput(histogram, EventSchema.DA00);
    assertEquals(HistogramInput.Outcome.IGNORED, input.offer(EVENTS, 0));
    assertEquals(HistogramState.INITIALISED, histogram.state(), "events change nothing");
    assertThrows(CodecException.class, () -> input.offer(HISTOGRAM, 0));
    assertEquals(HistogramInput.Outcome.OFFERED, input.offer(FRAME, 0));
    assertEquals(3, histogram.snapshotForPublish().sum());
  }

  @Test
  void anEventHistogramIgnoresFramesAndTakesBothEventSchemas() throws CodecException {
    for (EventSchema schema : List.of(EventSchema.EV42, EventSchema.EV44)) {
      Histogram histogram = histogram(HistogramType.HIST1D);
      HistogramInput input = new HistogramInput(histogram, schema);
      assertEquals(HistogramInput.Outcome.IGNORED, input.offer(FRAME, 0));
      assertEquals(HistogramState.INITIALISED, histogram.state());
      assertThrows(CodecException.class, () -> input.offer(HISTOGRAM, 0));
      assertEquals(HistogramInput.Outcome.OFFERED, input.offer(EVENTS, 0));
      ByteBuffer ev42 =
          ByteBuffer.wrap(EventEncoder.ev42("mon", 2, 6, new int[] {15}, new int[] {2}));
      assertEquals(HistogramInput.Outcome.OFFERED, input.offer(ev42, 0));
      assertEquals(2, histogram.snapshotForPublish().sum());
    }
  }

  @Test
  void aFrameATypeCannotUseIsUnusableWithTheReason() throws CodecException {
    HistogramInput map = new HistogramInput(histogram(HistogramType.DETHIST), EventSchema.DA00);
    assertEquals(HistogramInput.Outcome.OFFERED, map.offer(FRAME, 0), "1 column, 1 x 1 pixels");
    Histogram wide =
        Histogram.forSpec(
            HistogramSpec.newBuilder()
                .setType(HistogramType.DETHIST)
                .setDetRange(Range.newBuilder().setLow(1).setHigh(2))
                .setWidth(2)
                .setHeight(3)
                .build());
    HistogramInput input = new HistogramInput(wide, EventSchema.DA00);
    assertEquals(HistogramInput.Outcome.UNUSABLE, input.offer(FRAME, 0));
    assertTrue(input.unusableReason().contains("1 columns"), input.unusableReason());
    assertEquals(0, wide.snapshotForPublish().lastPulseTimeNs());
  }

  @Test
  void aFrameAfterStopEndsOnlyItsOwnPartition() throws CodecException {
    Histogram histogram =
        Histogram.forSpec(
            HistogramSpec.newBuilder()
                .setType(HistogramType.HIST1D)
                .setTofRange(Range.newBuilder().setLow(0).setHigh(20))
                .setTofBins(2)
                .setStopMs(100)
                .build());
    histogram.readPartitions(2);
    HistogramInput input = new HistogramInput(histogram, EventSchema.DA00);
    assertEquals(HistogramInput.Outcome.OFFERED, input.offer(0, FRAME, 101));
    assertTrue(histogram.hasEnded(0));
    assertEquals(HistogramState.INITIALISED, histogram.state());
    input.offer(0, FRAME, 50);
    input.offer(1, FRAME, 50);
    assertEquals(3, histogram.snapshotForPublish().sum(), "the ended partition took nothing");
    input.offer(1, FRAME, 101);
    assertEquals(HistogramState.FINISHED, histogram.state());
  }
}
