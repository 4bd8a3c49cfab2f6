package eu.ess.justbinit.controller.command;

import java.util.Optional;

/**
 * {@code reset_counts}: the histogram named by {@code hist_id} (or {@code id}), else every
 * histogram, restarts from zero, keeping its settings.
 *
 * @param target the one histogram to reset; empty for every histogram
 */
public record ResetCountsCommand(Optional<MessageId> msgId, Optional<HistogramTarget> target)
    implements Command {
  /** A reset of every histogram. */
  public ResetCountsCommand(Optional<MessageId> msgId) {
    this(msgId, Optional.empty());
  }
}
