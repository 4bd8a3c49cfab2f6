package eu.ess.justbinit.tools.generator;

import java.util.random.RandomGenerator;

/**
 * The original's fake event data: Gaussian times of flight over 0..100,000,000 ns and Gaussian
 * detector ids over 1..10,000, each centred on half the range's width with a fifth of that as
 * standard deviation, truncated to integers (as its {@code int(x)}). For a detector map the ids lie
 * on a 100 × 100 detector, row by row, each row Gaussian around its middle column.
 */
final class FakeEvents {
  static final int TOF_MIN = 0;
  static final int TOF_MAX = 100_000_000;
  static final int DET_MIN = 1;
  static final int DET_MAX = 10_000;
  static final int DET_WIDTH = 100;
  static final int DET_HEIGHT = 100;

  private final RandomGenerator random;

  FakeEvents(RandomGenerator random) {
    this.random = random;
  }

  /** Fills both arrays (of equal length) with one message's events. */
  void fill(int[] tof, int[] pixelIds, boolean detectorMap) {
    Gaussian tofs = Gaussian.over(TOF_MIN, TOF_MAX);
    for (int i = 0; i < tof.length; i++) {
      tof[i] = tofs.sample(random);
    }
    if (detectorMap) {
      Gaussian columns = Gaussian.over(0, DET_WIDTH);
      for (int i = 0; i < pixelIds.length; i++) {
        pixelIds[i] = (i % DET_HEIGHT) * DET_WIDTH + columns.sample(random);
      }
    } else {
      Gaussian detectors = Gaussian.over(DET_MIN, DET_MAX);
      for (int i = 0; i < pixelIds.length; i++) {
        pixelIds[i] = detectors.sample(random);
      }
    }
  }

  /**
   * The original's {@code generate_fake_data} distribution for a range: its centre is half the
   * width, not the range's middle (the same for ranges that start at 0).
   */
  record Gaussian(int centre, int scale) {
    static Gaussian over(int min, int max) {
      int centre = (max - min) / 2;
      return new Gaussian(centre, centre / 5);
    }

    int sample(RandomGenerator random) {
      return (int) (centre + scale * random.nextGaussian());
    }
  }
}
