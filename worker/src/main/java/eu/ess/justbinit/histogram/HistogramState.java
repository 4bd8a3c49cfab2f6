package eu.ess.justbinit.histogram;

/** The life of a histogram, as published in its info. */
public enum HistogramState {
  /** Nothing inside the time window has arrived yet. */
  INITIALISED,
  COUNTING,
  /**
   * Every partition ended (by a message after stop, or caught up with the clock past stop), or the
   * histogram was stopped.
   */
  FINISHED,
  /** Counting cannot go on; the info carries an error_message. */
  ERROR
}
