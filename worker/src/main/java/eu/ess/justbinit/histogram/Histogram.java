package eu.ess.justbinit.histogram;

import eu.ess.justbinit.codec.EventMessage;

/**
 * One histogram: its binning, the source filter, the time window, the state and the statistics.
 * Single writer (the worker's loop).
 */
public final class Histogram {
  // STUB: filled in by the engine work (issue 4).
  private final Binning binning;

  public Histogram(Binning binning, String sourceOrNull, Long startMsOrNull, Long stopMsOrNull) {
    this.binning = binning;
  }

  /**
   * Offers one decoded message that arrived with Kafka timestamp {@code timestampMs}: skipped
   * before start, skipped and finishing after stop, else counted when its source matches.
   */
  public void offer(EventMessage message, long timestampMs) {
    binning.add(message.timeOfFlight(), message.pixelId());
  }
}
