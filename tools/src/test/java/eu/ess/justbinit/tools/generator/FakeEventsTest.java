package eu.ess.justbinit.tools.generator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FakeEventsTest {
  private final FakeEvents events = new FakeEvents(new SplittableRandom(7));

  @Test
  void drawsTheOriginalsGaussians() {
    int[] tof = new int[100_000];
    int[] pixels = new int[100_000];

    events.fill(tof, pixels, false);

    assertEquals(50_000_000, mean(tof), 100_000);
    assertEquals(10_000_000, standardDeviation(tof), 100_000);
    // The original centres detector ids on half the width of 1..10000: 4999, sd 999.
    assertEquals(4_999, mean(pixels), 10);
    assertEquals(999, standardDeviation(pixels), 10);
  }

  @Test
  void laysADetectorMapOutRowByRow() {
    int[] tof = new int[20_000];
    int[] pixels = new int[20_000];

    events.fill(tof, pixels, true);

    int[] perRow = new int[FakeEvents.DET_HEIGHT];
    int[] columns = new int[pixels.length];
    for (int i = 0; i < pixels.length; i++) {
      perRow[pixels[i] / FakeEvents.DET_WIDTH]++;
      columns[i] = pixels[i] % FakeEvents.DET_WIDTH;
    }
    for (int row = 0; row < FakeEvents.DET_HEIGHT; row++) {
      assertEquals(200, perRow[row], "events in row " + row);
    }
    // int() truncates: the mean column is 49.5.
    assertEquals(49.5, mean(columns), 0.3);
    assertEquals(10, standardDeviation(columns), 0.5);
  }

  private static double mean(int[] values) {
    double sum = 0;
    for (int value : values) {
      sum += value;
    }
    return sum / values.length;
  }

  private static double standardDeviation(int[] values) {
    double mean = mean(values);
    double squares = 0;
    for (int value : values) {
      squares += (value - mean) * (value - mean);
    }
    return Math.sqrt(squares / values.length);
  }
}
