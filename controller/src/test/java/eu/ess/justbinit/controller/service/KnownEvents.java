package eu.ess.justbinit.controller.service;

import eu.ess.justbinit.wire.codec.EventEncoder;
import java.util.SplittableRandom;

/**
 * ev44 messages of random times of flight, and the counts that {@link #HIST1D}'s histogram of them
 * must hold: 10 bins of 100 over [0, 1000], worked out here by plain integer division.
 */
final class KnownEvents {
  /** A hist1d over these events; format with brokers, data topic, output topic and id. */
  static final String HIST1D =
      """
      {"type": "hist1d", "data_brokers": ["%s"], "data_topics": ["%s"], "tof_range": [0, 1000],
       "num_bins": 10, "topic": "%s", "id": "%s"}""";

  private static final int BINS = 10;
  private static final int BIN_WIDTH = 100;

  private final SplittableRandom random;
  private final long[] expected = new long[BINS];
  private long messageId;

  KnownEvents(long seed) {
    this.random = new SplittableRandom(seed);
  }

  /**
   * One message of {@code events} events; about a tenth of them lie outside the range (below 0 or
   * above 1000) and must not count. 1000 itself, the closed right edge, is never made.
   */
  synchronized byte[] next(int events) {
    return make(events, false);
  }

  /** As {@link #next}, in ev42 (what a config without input_schema reads). */
  synchronized byte[] nextEv42(int events) {
    return make(events, true);
  }

  private byte[] make(int events, boolean ev42) {
    int[] tof = new int[events];
    int[] pixels = new int[events];
    for (int i = 0; i < events; i++) {
      int t = random.nextInt(-50, 1050);
      tof[i] = t == 1000 ? 999 : t;
      pixels[i] = 1 + random.nextInt(100);
      if (tof[i] >= 0 && tof[i] < 1000) {
        expected[tof[i] / BIN_WIDTH]++;
      }
    }
    messageId++;
    return ev42
        ? EventEncoder.ev42("detector", messageId, messageId * 1_000_000L, tof, pixels)
        : EventEncoder.ev44("detector", messageId, messageId * 1_000_000L, tof, pixels);
  }

  /** The counts of every event made so far. */
  synchronized long[] expected() {
    return expected.clone();
  }

  synchronized long expectedSum() {
    long sum = 0;
    for (long count : expected) {
      sum += count;
    }
    return sum;
  }
}
