package eu.ess.justbinit.controller.supervisor;

import java.time.Duration;

/**
 * The delay before the next restart: doubles with every failed start, up to a ceiling. Not
 * thread-safe: its owner (a supervised histogram, or the pool for its spares) uses it under its own
 * lock.
 */
final class Backoff {
  private final Duration first;
  private final Duration max;
  private Duration next;

  Backoff(Duration first, Duration max) {
    this.first = first;
    this.max = max;
    this.next = first;
  }

  /** The delay for this restart; the next one will be twice as long (at most the ceiling). */
  Duration grow() {
    Duration now = next;
    Duration doubled = next.multipliedBy(2);
    next = doubled.compareTo(max) > 0 ? max : doubled;
    return now;
  }

  /** The delay for this restart, without growing: the worker had got running. */
  Duration current() {
    return next;
  }

  /** Back to the first delay. */
  void reset() {
    next = first;
  }
}
