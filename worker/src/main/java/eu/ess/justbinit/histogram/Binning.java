package eu.ess.justbinit.histogram;

import eu.ess.justbinit.codec.IntVector;
import eu.ess.justbinit.rpc.HistogramSpec;

/**
 * How the events of one histogram type fall into bins. Single writer: only the worker's loop calls
 * {@link #add}; readers take a copy of {@link #counts()} from that same thread.
 */
public abstract class Binning {

  /** The binning a validated spec asks for. */
  public static Binning forSpec(HistogramSpec spec) {
    if (spec.getTypeValue() < 0) {
      throw new IllegalArgumentException("stub");
    }
    return null;
  }

  /**
   * Adds one message's events. A type that needs a vector the message lacks (empty) adds nothing.
   *
   * @return the number of events that fell into a bin
   */
  public abstract long add(IntVector timeOfFlight, IntVector pixelId);

  /** The live counts, row-major over {@link #shape()}: index = x * ny + y. */
  public abstract long[] counts();

  /** The histogram's current_shape. */
  public abstract int[] shape();

  /** Bin boundaries per axis, length shape[i] + 1 each. */
  public abstract double[][] edges();

  /** Zeroes the counts. */
  public abstract void clear();
}
