package eu.ess.justbinit.worker.histogram;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.ess.justbinit.wire.codec.BinnedFrame;
import eu.ess.justbinit.wire.codec.CodecException;
import eu.ess.justbinit.wire.codec.Da00Type;
import eu.ess.justbinit.wire.codec.DataArrayEncoder;
import eu.ess.justbinit.wire.codec.DataArrayMessage;
import eu.ess.justbinit.wire.codec.FrameDecoder;
import eu.ess.justbinit.wire.codec.IntVector;
import eu.ess.justbinit.wire.rpc.HistogramSpec;
import eu.ess.justbinit.wire.rpc.HistogramType;
import eu.ess.justbinit.wire.rpc.Range;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A histogram that takes a fraction: floating from then on (events too) until reset, with a double
 * sum and diff, and restored from its snapshot exactly.
 */
class FloatingHistogramTest {
  private final FrameDecoder decoder = new FrameDecoder();

  private static Histogram hist1d() {
    return Histogram.forSpec(
        HistogramSpec.newBuilder()
            .setType(HistogramType.HIST1D)
            .setTofRange(Range.newBuilder().setLow(0).setHigh(30))
            .setTofBins(3)
            .build());
  }

  /** A frame of one column over {@code edges} (ns). */
  private BinnedFrame frame(long pulse, long[] edges, long... signal) throws CodecException {
    byte[] bytes =
        new DataArrayEncoder()
            .encode(
                new DataArrayMessage(
                    "mon",
                    pulse,
                    List.of(
                        DataArrayMessage.Variable.ofLongs(
                            "signal",
                            null,
                            List.of("frame_time"),
                            new long[] {signal.length},
                            Da00Type.INT64,
                            signal),
                        DataArrayMessage.Variable.ofLongs(
                            "frame_time",
                            "ns",
                            List.of("frame_time"),
                            new long[] {edges.length},
                            Da00Type.INT64,
                            edges))));
    return decoder.decode(ByteBuffer.wrap(bytes));
  }

  @Test
  void anAlignedIntegerFrameKeepsTheHistogramInteger() throws CodecException {
    Histogram h = hist1d();
    assertTrue(h.offer(frame(1_000_000_000L, new long[] {0, 10, 20, 30}, 1, 2, 3), 0));
    HistogramSnapshot s = h.snapshotForPublish();
    assertFalse(s.floating());
    assertNull(s.values());
    assertArrayEquals(new long[] {1, 2, 3}, s.counts());
    assertEquals(6, s.sum());
  }

  @Test
  void aFractionMakesItFloatingWithEventsAfterItUntilReset() throws CodecException {
    Histogram h = hist1d();
    h.offer(frame(1_000_000_000L, new long[] {0, 15, 30}, 3, 3), 0);
    h.offer("mon", 2_000_000_000L, IntVector.of(5, 25), IntVector.of(), 0);
    HistogramSnapshot s = h.snapshotForPublish();
    assertTrue(s.floating());
    assertArrayEquals(new double[] {3, 2, 3}, s.values(), 1e-12);
    assertEquals(8, s.sum() + s.fractionalSum(), 1e-12);
    assertEquals(8, s.floatingDiff(), 1e-12);
    assertEquals(4, s.rate(), 1e-12, "8 counts over the 2 s since pulse time 0");

    h.clear();
    assertFalse(h.snapshotForPublish().floating(), "reset_counts makes it integer again");
  }

  @Test
  void aRestoredFloatingHistogramContinuesExactly() throws CodecException {
    Histogram original = hist1d();
    original.offer(frame(1_000_000_000L, new long[] {0, 7, 30}, 5, 9), 0);
    HistogramSnapshot checkpoint = original.snapshotForPublish();
    Histogram resumed = hist1d();
    resumed.restore(checkpoint);
    for (Histogram h : List.of(original, resumed)) {
      h.offer(frame(2_000_000_000L, new long[] {0, 11, 29}, 4, 1), 0);
      h.offer("mon", 2_000_000_000L, IntVector.of(12), IntVector.of(), 0);
    }
    HistogramSnapshot a = original.snapshotForPublish();
    HistogramSnapshot b = resumed.snapshotForPublish();
    assertArrayEquals(a.counts(), b.counts());
    assertArrayEquals(a.fractions(), b.fractions());
    assertEquals(a.fractionalSum(), b.fractionalSum());
    assertEquals(a.floatingDiff(), b.floatingDiff());
    assertEquals(a.rate(), b.rate());
  }

  @Test
  void aDetectorMapKeepsFloatingPixelsWhereTheyBelong() throws CodecException {
    Histogram h =
        Histogram.forSpec(
            HistogramSpec.newBuilder()
                .setType(HistogramType.DETHIST)
                .setDetRange(Range.newBuilder().setLow(1).setHigh(6))
                .setWidth(3)
                .setHeight(2)
                .build());
    double[] signal = {0.5, 1, 2, 3, 4, 5.25};
    byte[] bytes =
        new DataArrayEncoder()
            .encode(
                new DataArrayMessage(
                    "det",
                    7,
                    List.of(
                        DataArrayMessage.Variable.ofDoubles(
                            "signal",
                            null,
                            List.of("pixel", "frame_time"),
                            new long[] {6, 1},
                            Da00Type.FLOAT64,
                            signal),
                        DataArrayMessage.Variable.ofLongs(
                            "frame_time",
                            "ns",
                            List.of("frame_time"),
                            new long[] {2},
                            Da00Type.INT64,
                            new long[] {0, 10}))));
    assertTrue(h.offer(decoder.decode(ByteBuffer.wrap(bytes)), 0));
    HistogramSnapshot s = h.snapshotForPublish();
    // [x][y]: pixel c at x = c % 3, y = c / 3.
    assertArrayEquals(new double[] {0.5, 3, 1, 4, 2, 5.25}, s.values());
    Histogram resumed =
        Histogram.forSpec(
            HistogramSpec.newBuilder()
                .setType(HistogramType.DETHIST)
                .setDetRange(Range.newBuilder().setLow(1).setHigh(6))
                .setWidth(3)
                .setHeight(2)
                .build());
    resumed.restore(s);
    assertArrayEquals(s.values(), resumed.snapshotForPublish().values());
  }
}
