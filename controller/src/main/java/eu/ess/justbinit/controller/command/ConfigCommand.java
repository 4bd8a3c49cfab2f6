package eu.ess.justbinit.controller.command;

import eu.ess.justbinit.wire.rpc.HistogramSpec;
import java.util.List;
import java.util.Optional;

/**
 * {@code config}: these histograms replace the running ones, or join them when the controller adds
 * configs ({@code --config-mode add}).
 *
 * @param histograms one spec per entry of "histograms", in order, every field validated and set
 */
public record ConfigCommand(Optional<MessageId> msgId, List<HistogramSpec> histograms)
    implements Command {
  public ConfigCommand {
    histograms = List.copyOf(histograms);
  }
}
