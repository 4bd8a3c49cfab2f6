package eu.ess.justbinit.bench;

import eu.ess.justbinit.wire.codec.EventEncoder;
import java.util.SplittableRandom;

/**
 * The benchmark's events: a few precomputed arrays of Gaussian times of flight in [0, 1e8) ns and
 * Gaussian pixel ids in [1, 6144], encoded as ev44 with each message's own message id and reference
 * time (so every message is distinct for the service, while the producer spends no time on random
 * numbers).
 */
final class EventData {
  static final String SOURCE = "bench_detector";
  static final int TOF_MAX = 100_000_000;
  static final int PIXEL_MIN = 1;
  static final int PIXEL_MAX = 6144;

  /** Reference times of the stored workloads: 14 Hz pulses from a fixed past instant. */
  static final long FIRST_REFERENCE_NS = 1_600_000_000_000_000_000L;

  static final long PULSE_PERIOD_NS = 1_000_000_000L / 14;

  private static final int VARIANTS = 8;

  private final int[][] tof;
  private final int[][] pixelIds;

  EventData(int eventsPerMessage, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    tof = new int[VARIANTS][eventsPerMessage];
    pixelIds = new int[VARIANTS][eventsPerMessage];
    for (int v = 0; v < VARIANTS; v++) {
      for (int i = 0; i < eventsPerMessage; i++) {
        tof[v][i] = gaussian(random, 0, TOF_MAX - 1);
        pixelIds[v][i] = gaussian(random, PIXEL_MIN, PIXEL_MAX);
      }
    }
  }

  /** Centred in [min, max] with a tenth of the width as standard deviation, clamped to it. */
  private static int gaussian(SplittableRandom random, int min, int max) {
    double centre = (min + (double) max) / 2;
    double value = centre + (max - min) / 10.0 * random.nextGaussian();
    return (int) Math.max(min, Math.min(max, value));
  }

  /** Message {@code index} of a stored workload. */
  byte[] message(long index) {
    return message(index, FIRST_REFERENCE_NS + index * PULSE_PERIOD_NS);
  }

  byte[] message(long index, long referenceTimeNs) {
    int variant = (int) (index % VARIANTS);
    return EventEncoder.ev44(SOURCE, index + 1, referenceTimeNs, tof[variant], pixelIds[variant]);
  }

  static long referenceTimeNs(long index) {
    return FIRST_REFERENCE_NS + index * PULSE_PERIOD_NS;
  }
}
