package eu.ess.justbinit.worker.histogram;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.ess.justbinit.wire.codec.IntVector;
import eu.ess.justbinit.wire.rpc.HistogramSpec;
import eu.ess.justbinit.wire.rpc.HistogramType;
import eu.ess.justbinit.wire.rpc.Range;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class BinningTest {
  private static final IntVector NONE = IntVector.of();

  private static Range range(double low, double high) {
    return Range.newBuilder().setLow(low).setHigh(high).build();
  }

  private static HistogramSpec.Builder hist1d(double lo, double hi, int bins) {
    return HistogramSpec.newBuilder()
        .setType(HistogramType.HIST1D)
        .setTofRange(range(lo, hi))
        .setTofBins(bins);
  }

  private static HistogramSpec.Builder hist2d(Range tof, int tofBins, Range det, int detBins) {
    return HistogramSpec.newBuilder()
        .setType(HistogramType.HIST2D)
        .setTofRange(tof)
        .setTofBins(tofBins)
        .setDetRange(det)
        .setDetBins(detBins);
  }

  private static HistogramSpec.Builder dethist(double first, int width, int height) {
    return HistogramSpec.newBuilder()
        .setType(HistogramType.DETHIST)
        .setDetRange(range(first, first + 1))
        .setWidth(width)
        .setHeight(height);
  }

  private static HistogramSpec.Builder roihist(int width, Integer... leftEdges) {
    return HistogramSpec.newBuilder()
        .setType(HistogramType.ROIHIST)
        .setWidth(width)
        .addAllLeftEdges(Arrays.asList(leftEdges));
  }

  private static String refusal(HistogramSpec.Builder spec) {
    return assertThrows(IllegalArgumentException.class, () -> Binning.forSpec(spec.build()))
        .getMessage();
  }

  @Test
  void hist1dBinsValuesOnEdgesAndDropsOutside() {
    Binning b = Binning.forSpec(hist1d(0, 100, 10).build());
    assertInstanceOf(TofBinning.class, b);
    long added =
        b.add(
            IntVector.of(
                -1, 0, 1, 9, 10, 11, 50, 99, 100, 101, Integer.MAX_VALUE, Integer.MIN_VALUE),
            NONE);
    assertEquals(8, added);
    assertArrayEquals(new long[] {3, 2, 0, 0, 0, 1, 0, 0, 0, 2}, b.counts());
    assertArrayEquals(new int[] {10}, b.shape());
    assertEquals(10, b.size());
    assertEquals(0, b.add(NONE, IntVector.of(1, 2)));
  }

  @Test
  void hist1dFractionalEdgesAndLargeSpanSearch() {
    Binning b = Binning.forSpec(hist1d(0, 7, 3).build());
    assertEquals(8, b.add(IntVector.of(-2, -1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9), NONE));
    assertArrayEquals(new long[] {3, 2, 3}, b.counts());
    Binning wide = Binning.forSpec(hist1d(0, 1e8, 7).build());
    assertEquals(3, wide.add(IntVector.of(0, 14_285_714, 14_285_715, -1, 100_000_001), NONE));
    assertArrayEquals(new long[] {2, 1, 0, 0, 0, 0, 0}, wide.counts());
  }

  @Test
  void hist1dWithDetRangeKeepsIdsInsideBothEndsIncluded() {
    Binning b = Binning.forSpec(hist1d(0, 100, 2).setDetRange(range(10, 20)).build());
    assertEquals(3, b.add(IntVector.of(5, 5, 5, 5, 5, 60), IntVector.of(9, 10, 20, 21, -10, 15)));
    assertArrayEquals(new long[] {2, 1}, b.counts());
    assertEquals(0, b.add(IntVector.of(5, 5), NONE), "pixel ids are needed to filter");
    assertEquals(0, b.add(NONE, IntVector.of(10)));
    Binning fractional = Binning.forSpec(hist1d(0, 7, 3).setDetRange(range(1.5, 3.5)).build());
    assertEquals(2, fractional.add(IntVector.of(0, 0, 0, 3), IntVector.of(1, 2, 4, 3)));
    assertArrayEquals(new long[] {1, 1, 0}, fractional.counts());
  }

  @Test
  void hist2dIsRowMajorWithTofAsX() {
    Binning b = Binning.forSpec(hist2d(range(0, 30), 3, range(0, 2), 2).build());
    assertInstanceOf(TofDetectorBinning.class, b);
    assertEquals(3, b.add(IntVector.of(0, 25, 15, 31), IntVector.of(1, 0, 2, 0)));
    // x = tof bin, y = det bin, index x * 2 + y
    assertArrayEquals(new long[] {0, 1, 0, 1, 1, 0}, b.counts());
    assertArrayEquals(new int[] {3, 2}, b.shape());
    assertEquals(0, b.add(IntVector.of(1), NONE));
    assertEquals(0, b.add(NONE, IntVector.of(1)));
  }

  @Test
  void hist2dEveryAxisKindAgreesWithItsEdges() {
    Range[] tofRanges = {range(0, 1000), range(0, 1e8), range(3, 10)};
    int[] tofBins = {10, 7, 3};
    Range[] detRanges = {range(0, 100), range(2, 9), range(0, 1e6)};
    int[] detBins = {10, 4, 9};
    int[] tofs = {-1, 0, 3, 5, 8, 10, 999, 1000, 14_285_715, 100_000_000, Integer.MAX_VALUE};
    int[] ids = {-1, 0, 2, 3, 9, 10, 100, 111_112, 1_000_000, 1_000_001};
    for (int t = 0; t < tofRanges.length; t++) {
      for (int d = 0; d < detRanges.length; d++) {
        Binning b =
            Binning.forSpec(hist2d(tofRanges[t], tofBins[t], detRanges[d], detBins[d]).build());
        RegularAxis x =
            new RegularAxis("tof_range", tofRanges[t].getLow(), tofRanges[t].getHigh(), tofBins[t]);
        RegularAxis y =
            new RegularAxis("det_range", detRanges[d].getLow(), detRanges[d].getHigh(), detBins[d]);
        long[] expected = new long[tofBins[t] * detBins[d]];
        int[] tofColumn = new int[tofs.length * ids.length];
        int[] idColumn = new int[tofs.length * ids.length];
        long inside = 0;
        for (int i = 0; i < tofs.length; i++) {
          for (int j = 0; j < ids.length; j++) {
            tofColumn[i * ids.length + j] = tofs[i];
            idColumn[i * ids.length + j] = ids[j];
            int xi = x.indexOrMinusOne(tofs[i]);
            int yi = y.indexOrMinusOne(ids[j]);
            if (xi >= 0 && yi >= 0) {
              expected[xi * detBins[d] + yi]++;
              inside++;
            }
          }
        }
        assertEquals(inside, b.add(IntVector.of(tofColumn), IntVector.of(idColumn)));
        assertArrayEquals(expected, b.counts(), "tof " + t + ", det " + d);
      }
    }
  }

  @Test
  void hist2dOf4096By4096Bins() {
    Binning b = Binning.forSpec(hist2d(range(0, 1e8), 4096, range(1, 6144), 4096).build());
    assertEquals(2, b.add(IntVector.of(0, 100_000_000), IntVector.of(1, 6144)));
    long[] counts = b.counts();
    assertEquals(4096 * 4096, counts.length);
    assertEquals(1, counts[0]);
    assertEquals(1, counts[4096 * 4096 - 1]);
  }

  @Test
  void dethistMapsIdsToXAndY() {
    Binning b = Binning.forSpec(dethist(1, 4, 3).build());
    assertInstanceOf(DetectorMapBinning.class, b);
    assertEquals(
        10,
        b.add(
            NONE,
            IntVector.of(
                0,
                1,
                2,
                3,
                4,
                5,
                8,
                9,
                12,
                13,
                14,
                -1,
                1,
                1,
                Integer.MIN_VALUE,
                Integer.MAX_VALUE)));
    assertArrayEquals(new long[] {3, 1, 1, 1, 0, 0, 1, 0, 0, 1, 1, 1}, b.counts());
    assertArrayEquals(new int[] {4, 3}, b.shape());
    assertArrayEquals(new double[][] {{0, 1, 2, 3, 4}, {0, 1, 2, 3}}, b.edges());
  }

  @Test
  void dethistOfAMillionPixels() {
    Binning b = Binning.forSpec(dethist(0, 1000, 1000).build());
    assertEquals(3, b.add(NONE, IntVector.of(0, 999_999, 1000, 1_000_000)));
    long[] counts = b.counts();
    assertEquals(1, counts[0]);
    assertEquals(1, counts[999 * 1000 + 999]);
    assertEquals(1, counts[1], "id 1000 is x = 0, y = 1");
  }

  @Test
  void roihistRowsAreLeftEdgesPlusColumns() {
    Binning b = Binning.forSpec(roihist(3, 7, 12).build());
    assertInstanceOf(RegionOfInterestBinning.class, b);
    assertEquals(
        8, b.add(NONE, IntVector.of(6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 9, 14, Integer.MAX_VALUE)));
    // shape [width, rows], index = column * rows + row
    assertArrayEquals(new int[] {3, 2}, b.shape());
    assertArrayEquals(new long[] {1, 1, 1, 1, 2, 2}, b.counts());
    assertArrayEquals(new double[][] {{0, 1, 2, 3}, {0, 1, 2}}, b.edges());
  }

  @Test
  void roihistFarApartRowsSearchInsteadOfATable() {
    int far = RegionOfInterestBinning.TABLE_LIMIT + 10;
    Binning b = Binning.forSpec(roihist(2, -5, 0, far).build());
    assertEquals(
        7, b.add(NONE, IntVector.of(-6, -5, -4, -3, 0, 1, 1, 2, far - 1, far, far + 1, far + 2)));
    // index = column * 3 + row
    assertArrayEquals(new long[] {1, 1, 1, 1, 2, 1}, b.counts());
  }

  @Test
  void countsLoadBackInTheirPublishedLayout() {
    HistogramSpec[] specs = {
      hist1d(0, 10, 5).build(),
      hist2d(range(0, 10), 2, range(0, 3), 3).build(),
      dethist(1, 3, 2).build(),
      roihist(2, 1, 10, 20).build()
    };
    for (HistogramSpec spec : specs) {
      Binning b = Binning.forSpec(spec);
      long[] values = new long[b.size()];
      for (int i = 0; i < values.length; i++) {
        values[i] = 10L * i + 1;
      }
      b.load(values);
      assertArrayEquals(values, b.counts(), spec.getType().name());
      b.clear();
      assertArrayEquals(new long[values.length], b.counts());
      assertThrows(IllegalArgumentException.class, () -> b.load(new long[values.length + 1]));
    }
  }

  @Test
  void roihistSpareSlotForGapsIsNotCounted() {
    Binning b = Binning.forSpec(roihist(1, 0, 2).build());
    assertEquals(0, b.add(NONE, IntVector.of(1, 1, 1)));
    b.load(new long[] {4, 5});
    assertEquals(1, b.add(NONE, IntVector.of(1, 2)));
    assertArrayEquals(new long[] {4, 6}, b.counts());
  }

  @Test
  void refusesBadSpecsNamingTheField() {
    assertTrue(refusal(HistogramSpec.newBuilder()).startsWith("type: "));
    assertTrue(refusal(hist1d(0, 10, 0)).startsWith("num_bins: "));
    assertTrue(refusal(hist1d(10, 0, 2)).startsWith("tof_range: "));
    assertTrue(refusal(hist1d(0, 10, 2).clearTofRange()).startsWith("tof_range: "));
    assertTrue(refusal(hist1d(0, 10, 2).setDetRange(range(5, 1))).startsWith("det_range: "));
    assertTrue(
        refusal(hist2d(range(0, 1), 2, range(0, 1), 2).clearDetRange()).startsWith("det_range: "));
    assertTrue(
        refusal(hist2d(range(0, 1), 2, range(0, 1), 2).clearTofRange()).startsWith("tof_range: "));
    assertTrue(
        refusal(hist2d(range(0, 1e9), 100_000, range(0, 1e9), 100_000)).startsWith("num_bins: "));
    assertTrue(refusal(hist2d(range(0, 1), 2, range(0, 1), 0)).startsWith("num_bins: "));
    assertTrue(refusal(dethist(1, 0, 3)).startsWith("width: "));
    assertTrue(refusal(dethist(1, 3, 0)).startsWith("height: "));
    assertTrue(refusal(dethist(1.5, 3, 3)).startsWith("det_range: "));
    assertTrue(refusal(dethist(1, 3, 3).clearDetRange()).startsWith("det_range: "));
    assertTrue(refusal(roihist(3)).startsWith("left_edges: "));
    assertTrue(refusal(roihist(0, 1)).startsWith("width: "));
    String overlap = refusal(roihist(4, 10, 12));
    assertTrue(overlap.startsWith("left_edges: row 1 starts at 12, inside row 0"), overlap);
    assertTrue(refusal(roihist(2, 10, 5)).startsWith("left_edges: "));
  }
}
