package eu.ess.justbinit.controller.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SparePoolTest {
  @Test
  void growsToTheConfigsHistogramsUpToItsMaximumAndNeverShrinks() {
    SparePool pool = new SparePool(1, 4);

    assertEquals(1, pool.sizeAfterConfig(1, 1));
    assertEquals(3, pool.sizeAfterConfig(1, 3));
    assertEquals(4, pool.sizeAfterConfig(3, 9), "at most the maximum");
    assertEquals(3, pool.sizeAfterConfig(3, 2), "a smaller config leaves the pool as it was");
  }

  @Test
  void aFixedPoolIgnoresTheConfigs() {
    assertEquals(2, SparePool.fixed(2).sizeAfterConfig(2, 5));
    assertEquals(0, SparePool.fixed(0).sizeAfterConfig(0, 5));
  }

  @Test
  void aMaximumBelowTheMinimumIsTheMinimum() {
    assertEquals(new SparePool(3, 3), new SparePool(3, 1));
  }

  @Test
  void refusesNegativeCounts() {
    assertThrows(IllegalArgumentException.class, () -> new SparePool(-1, 4));
    assertThrows(IllegalArgumentException.class, () -> new SparePool(1, -4));
  }
}
