package eu.ess.justbinit.tools.viewer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class AxisTicksTest {
  @Test
  void ticksAreRoundStepsInsideTheRange() {
    assertArrayEquals(new double[] {0, 20, 40, 60, 80, 100}, AxisTicks.linear(0, 100, 5), 1e-9);
    assertArrayEquals(new double[] {2, 4, 6, 8}, AxisTicks.linear(1.5, 9, 4), 1e-9);
    assertArrayEquals(new double[] {0, 0.5, 1}, AxisTicks.linear(0, 1, 2), 1e-9);
    assertArrayEquals(new double[] {0, 1, 10, 100}, AxisTicks.logCounts(999), 1e-9);
  }

  @Test
  void labelsAreShortAndInOneUnitPerAxis() {
    assertArrayEquals(
        new String[] {"0", "20", "40"}, AxisTicks.labels(new double[] {0, 20, 40}, 20));
    assertArrayEquals(
        new String[] {"0", "0.5", "1.0"}, AxisTicks.labels(new double[] {0, 0.5, 1}, 0.5));
    assertArrayEquals(
        new String[] {"0", "50 M", "100 M"}, AxisTicks.labels(new double[] {0, 5e7, 1e8}, 5e7));
    assertArrayEquals(
        new String[] {"0.5 M", "1.0 M", "1.5 M"},
        AxisTicks.labels(new double[] {5e5, 1e6, 1.5e6}, 5e5));
    assertArrayEquals(
        new String[] {"2000", "4000", "6144"},
        AxisTicks.labels(new double[] {2000, 4000, 6144}, 1));
    assertEquals("100 k", AxisTicks.label(1e5, 1e5, 1e5));
    assertEquals("1,326,000", AxisTicks.count(1_326_000));
  }
}
