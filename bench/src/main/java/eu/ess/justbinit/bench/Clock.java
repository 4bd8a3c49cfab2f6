package eu.ess.justbinit.bench;

import java.time.Instant;

/** Wall-clock ns since epoch: the one clock the benchmark, the broker and the workers share. */
final class Clock {
  private Clock() {}

  static long nowNs() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }
}
