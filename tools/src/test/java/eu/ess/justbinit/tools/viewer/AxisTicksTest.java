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
  void labelsAreShort() {
    assertEquals("20", AxisTicks.label(20, 20));
    assertEquals("6144", AxisTicks.label(6144, 1000));
    assertEquals("0.5", AxisTicks.label(0.5, 0.5));
    assertEquals("0.25", AxisTicks.label(0.25, 0.05));
    assertEquals("100 M", AxisTicks.label(100_000_000, 20_000_000));
    assertEquals("1.5 M", AxisTicks.label(1_500_000, 500_000));
    assertEquals("200 k", AxisTicks.label(200_000, 100_000));
    assertEquals("0 k", AxisTicks.label(0, 100_000));
  }
}
