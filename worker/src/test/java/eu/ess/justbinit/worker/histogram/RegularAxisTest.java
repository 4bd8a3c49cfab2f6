package eu.ess.justbinit.worker.histogram;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RegularAxisTest {

  /** The definition: bin i holds [edge i, edge i+1), the last bin also its upper edge. */
  private static int reference(double[] edges, int x) {
    int n = edges.length - 1;
    if (x < edges[0] || x > edges[n]) {
      return -1;
    }
    if (x == edges[n]) {
      return n - 1;
    }
    int low = 0;
    int high = n - 1;
    while (low < high) { // the last i with edges[i] <= x
      int mid = (low + high + 1) >>> 1;
      if (edges[mid] <= x) {
        low = mid;
      } else {
        high = mid - 1;
      }
    }
    return low;
  }

  private static void assertAgreesWithEdges(RegularAxis axis, int x) {
    assertAgreesWithEdges(axis, axis.edges(), x);
  }

  private static void assertAgreesWithEdges(RegularAxis axis, double[] edges, int x) {
    int expected = reference(edges, x);
    int actual = axis.indexOrMinusOne(x);
    if (expected != actual) {
      assertEquals(expected, actual, "x = " + x);
    }
  }

  /** Every int around every edge, and the extremes. */
  private static void assertAgreesAroundEdges(RegularAxis axis) {
    double[] edges = axis.edges();
    for (double edge : edges) {
      long e = (long) Math.floor(edge);
      for (long x = e - 2; x <= e + 2; x++) {
        if (x >= Integer.MIN_VALUE && x <= Integer.MAX_VALUE) {
          assertAgreesWithEdges(axis, edges, (int) x);
        }
      }
    }
    assertAgreesWithEdges(axis, Integer.MIN_VALUE);
    assertAgreesWithEdges(axis, Integer.MAX_VALUE);
    assertAgreesWithEdges(axis, 0);
    assertAgreesWithEdges(axis, -1);
  }

  @Test
  void edgesAreLoPlusITimesRangeOverN() {
    RegularAxis axis = new RegularAxis("tof_range", 0, 7, 3);
    assertArrayEquals(new double[] {0, 7.0 / 3, 14.0 / 3, 7}, axis.edges());
    assertArrayEquals(
        new double[] {3.0, 5.333333333333334, 7.666666666666667, 10.0},
        new RegularAxis("tof_range", 3, 10, 3).edges());
  }

  @Test
  void integerEdgesUseTheMultiplyShiftPath() {
    RegularAxis axis = new RegularAxis("tof_range", 0, 100, 10);
    assertTrue(axis.uniform());
    assertEquals(-1, axis.indexOrMinusOne(-1));
    assertEquals(0, axis.indexOrMinusOne(0));
    assertEquals(0, axis.indexOrMinusOne(9));
    assertEquals(1, axis.indexOrMinusOne(10));
    assertEquals(9, axis.indexOrMinusOne(99));
    assertEquals(9, axis.indexOrMinusOne(100));
    assertEquals(-1, axis.indexOrMinusOne(101));
    assertEquals(-1, axis.indexOrMinusOne(Integer.MAX_VALUE));
    assertEquals(-1, axis.indexOrMinusOne(Integer.MIN_VALUE));
    assertAgreesAroundEdges(axis);
  }

  @Test
  void fractionalEdgesSmallSpanUseATable() {
    RegularAxis axis = new RegularAxis("det_range", 1, 6144, 100);
    assertFalse(axis.uniform());
    assertTrue(axis.table() != null);
    double[] edges = axis.edges();
    for (int x = -5; x < 6150; x++) {
      assertAgreesWithEdges(axis, edges, x);
    }
  }

  @Test
  void fractionalEdgesLargeSpanSearchFromTheEstimate() {
    RegularAxis axis = new RegularAxis("tof_range", 0, 1e8, 7);
    assertFalse(axis.uniform());
    assertEquals(null, axis.table());
    assertAgreesAroundEdges(axis);
    assertEquals(3, axis.searchIndex(50_000_000));
  }

  @Test
  void binsNarrowerThanOneLeaveEmptyBins() {
    RegularAxis axis = new RegularAxis("tof_range", 0, 3, 10);
    assertAgreesAroundEdges(axis);
    RegularAxis searched = new RegularAxis("tof_range", -0.5, 200_000.5, 1_000_003);
    assertEquals(null, searched.table());
    assertAgreesAroundEdges(searched);
    double[] edges = searched.edges();
    for (int x = -2; x < 1000; x++) {
      assertAgreesWithEdges(searched, edges, x);
    }
  }

  @Test
  void negativeAndHugeRanges() {
    assertAgreesAroundEdges(new RegularAxis("tof_range", -1000, -10, 33));
    assertAgreesAroundEdges(new RegularAxis("tof_range", -1e12, 1e12, 1000));
    assertAgreesAroundEdges(new RegularAxis("tof_range", Integer.MIN_VALUE, Integer.MAX_VALUE, 1));
    assertAgreesAroundEdges(
        new RegularAxis("tof_range", Integer.MIN_VALUE, Integer.MAX_VALUE + 1.0, 1 << 16));
    RegularAxis wide = new RegularAxis("tof_range", -(1 << 30), (1 << 30) - 2048, 1 << 10);
    assertTrue(wide.uniform());
    assertAgreesAroundEdges(wide);
    RegularAxis tooWideForMultiplyShift = new RegularAxis("tof_range", -(1L << 31), 1L << 31, 4);
    assertFalse(tooWideForMultiplyShift.uniform());
    assertAgreesAroundEdges(tooWideForMultiplyShift);
  }

  @Test
  void randomAxesAgreeWithTheirEdges() {
    SplittableRandom random = new SplittableRandom(7);
    for (int round = 0; round < 400; round++) {
      double lo =
          random.nextInt(-100_000, 100_000) + (random.nextBoolean() ? 0 : random.nextDouble());
      double hi = lo + 1 + random.nextInt(1 << random.nextInt(1, 29));
      if (random.nextBoolean()) {
        hi += random.nextDouble();
      }
      int bins = 1 + random.nextInt(random.nextBoolean() ? 64 : 5000);
      RegularAxis axis = new RegularAxis("tof_range", lo, hi, bins);
      assertAgreesAroundEdges(axis);
      double[] edges = axis.edges();
      for (int k = 0; k < 200; k++) {
        assertAgreesWithEdges(axis, edges, (int) (lo - 10 + random.nextDouble() * (hi - lo + 20)));
      }
    }
  }

  @Test
  void multiplyShiftDividesExactlyUpTo2To31() {
    for (long w : new long[] {1, 2, 3, 7, 10, 1000, 99_991, 1 << 20, (1L << 31) - 1}) {
      int l = 64 - Long.numberOfLeadingZeros(w - 1);
      int shift = 31 + l;
      long magic = -Math.floorDiv(-(1L << shift), w);
      for (long d : new long[] {0, 1, w - 1, w, w + 1, (1L << 31) - 1, (1L << 31) - 2, 12345678}) {
        if (d < (1L << 31)) {
          assertEquals(
              Math.min(d / w, Integer.MAX_VALUE - 1),
              RegularAxis.uniformIndex(d, magic, shift, Integer.MAX_VALUE - 1),
              "d = " + d + ", w = " + w);
        }
      }
    }
  }

  @Test
  void refusesBadRanges() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new RegularAxis("tof_range", 5, 5, 3));
    assertTrue(e.getMessage().startsWith("tof_range: "), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new RegularAxis("tof_range", 0, 10, 0));
    assertThrows(
        IllegalArgumentException.class, () -> new RegularAxis("tof_range", Double.NaN, 10, 1));
    assertThrows(
        IllegalArgumentException.class,
        () -> new RegularAxis("tof_range", 0, Double.POSITIVE_INFINITY, 1));
  }
}
