package eu.ess.justbinit.controller.command;

import java.util.Optional;

/**
 * {@code stop}: the histogram named by {@code hist_id} (or {@code id}), else every histogram,
 * publishes its final state FINISHED; its worker says Finished and waits as a spare for another
 * histogram.
 *
 * @param target the one histogram to stop; empty for every histogram
 */
public record StopCommand(Optional<MessageId> msgId, Optional<HistogramTarget> target)
    implements Command {
  /** A stop of every histogram. */
  public StopCommand(Optional<MessageId> msgId) {
    this(msgId, Optional.empty());
  }
}
