package eu.ess.justbinit.worker.histogram;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import eu.ess.justbinit.wire.codec.IntVector;
import eu.ess.justbinit.wire.rpc.HistogramSpec;
import eu.ess.justbinit.wire.rpc.HistogramType;
import eu.ess.justbinit.wire.rpc.Range;
import java.util.function.IntBinaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Cases the other engine tests leave open (found by mutation testing, scripts/mutation-test):
 * ranges that start away from zero, on every binning path, checked against a plain search of the
 * published edges; ranges and rows at the limits of what a spec may ask.
 */
class EngineEdgeCasesTest {
  private static final IntVector NONE = IntVector.of();
  private static final int[] TOFS = {
    Integer.MIN_VALUE,
    -501,
    -500,
    -1,
    0,
    999,
    1000,
    1001,
    1002,
    1003,
    1006,
    1007,
    1099,
    1100,
    1999,
    2000,
    2001,
    Integer.MAX_VALUE
  };
  private static final int[] IDS = {-1, 0, 49, 50, 51, 52, 55, 56, 57, 59, 60, 61, 100, 120, 121};

  private static Range range(double low, double high) {
    return Range.newBuilder().setLow(low).setHigh(high).build();
  }

  /** The bin of {@code v} among {@code edges}, the last edge included in the last bin; or -1. */
  private static int search(double[] edges, long v) {
    int last = edges.length - 1;
    if (v < edges[0] || v > edges[last]) {
      return -1;
    }
    int i = 0;
    while (i < last - 1 && edges[i + 1] <= v) {
      i++;
    }
    return i;
  }

  /**
   * Adds every pair of TOFS x IDS as one message and checks the counts against {@code binOf}, the
   * expected bin of a (tof, id) pair or -1.
   */
  private static void assertBinsEveryPair(Binning b, IntBinaryOperator binOf, String what) {
    long[] expected = new long[b.size()];
    int[] tofColumn = new int[TOFS.length * IDS.length];
    int[] idColumn = new int[TOFS.length * IDS.length];
    long inside = 0;
    for (int i = 0; i < TOFS.length; i++) {
      for (int j = 0; j < IDS.length; j++) {
        tofColumn[i * IDS.length + j] = TOFS[i];
        idColumn[i * IDS.length + j] = IDS[j];
        int bin = binOf.applyAsInt(TOFS[i], IDS[j]);
        if (bin >= 0) {
          expected[bin]++;
          inside++;
        }
      }
    }
    assertEquals(inside, b.add(IntVector.of(tofColumn), IntVector.of(idColumn)), what);
    assertArrayEquals(expected, b.counts(), what);
  }

  @Test
  void hist1dOnRangesAwayFromZeroAgreesWithItsEdges() {
    Range[] tofRanges = {range(1000, 2000), range(1000, 1007), range(-500, 500)};
    int[] bins = {10, 3, 10};
    Range[] detRanges = {null, range(50, 60), range(56, 56)};
    for (int t = 0; t < tofRanges.length; t++) {
      for (Range det : detRanges) {
        HistogramSpec.Builder spec =
            HistogramSpec.newBuilder()
                .setType(HistogramType.HIST1D)
                .setTofRange(tofRanges[t])
                .setTofBins(bins[t]);
        if (det != null) {
          spec.setDetRange(det);
        }
        Binning b = Binning.forSpec(spec.build());
        double[] edges = b.edges()[0];
        assertBinsEveryPair(
            b,
            (tof, id) ->
                det == null || (id >= det.getLow() && id <= det.getHigh())
                    ? search(edges, tof)
                    : -1,
            "tof " + t + ", det " + det);
      }
    }
  }

  @Test
  void hist2dOnRangesAwayFromZeroAgreesWithItsEdges() {
    Range[] tofRanges = {range(1000, 2000), range(1000, 1007)};
    int[] tofBins = {10, 3};
    Range[] detRanges = {range(50, 60), range(50, 57)};
    int[] detBins = {10, 3};
    for (int t = 0; t < tofRanges.length; t++) {
      for (int d = 0; d < detRanges.length; d++) {
        Binning b =
            Binning.forSpec(
                HistogramSpec.newBuilder()
                    .setType(HistogramType.HIST2D)
                    .setTofRange(tofRanges[t])
                    .setTofBins(tofBins[t])
                    .setDetRange(detRanges[d])
                    .setDetBins(detBins[d])
                    .build());
        double[][] edges = b.edges();
        int rows = detBins[d];
        assertBinsEveryPair(
            b,
            (tof, id) -> {
              int x = search(edges[0], tof);
              int y = search(edges[1], id);
              return x >= 0 && y >= 0 ? x * rows + y : -1;
            },
            "tof " + t + ", det " + d);
      }
    }
  }

  @Test
  void roihistRowsMayTouch() {
    Binning b =
        Binning.forSpec(
            HistogramSpec.newBuilder()
                .setType(HistogramType.ROIHIST)
                .setWidth(3)
                .addLeftEdges(10)
                .addLeftEdges(13)
                .build());
    assertEquals(6, b.add(NONE, IntVector.of(9, 10, 11, 12, 13, 14, 15, 16)));
    // index = column * rows + row
    assertArrayEquals(new long[] {1, 1, 1, 1, 1, 1}, b.counts());
  }

  @Test
  void eventsAtThePulseTimeOfTheLastPublishHaveRateZero() {
    Histogram h =
        new Histogram(
            new TofBinning(new RegularAxis("tof_range", 0, 100, 10), null), null, null, null);
    h.offer("a", 5_000_000_000L, IntVector.of(1), NONE, 5000);
    h.snapshotForPublish();
    h.offer("a", 5_000_000_000L, IntVector.of(1, 2), NONE, 5001);
    HistogramSnapshot s = h.snapshotForPublish();
    assertEquals(2, s.diff());
    assertEquals(0.0, s.rate(), 0.0);
  }
}
