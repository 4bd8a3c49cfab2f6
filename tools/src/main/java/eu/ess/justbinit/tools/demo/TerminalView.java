package eu.ess.justbinit.tools.demo;

import eu.ess.justbinit.tools.outputs.HistogramSummary;
import eu.ess.justbinit.tools.viewer.HistogramBoard;
import java.util.ArrayList;
import java.util.List;

/** The demo's terminal lines: one per histogram with its state, sum and rate. */
final class TerminalView {
  private TerminalView() {}

  static List<String> lines(List<HistogramBoard.Entry> entries) {
    List<String> lines = new ArrayList<>();
    lines.add(String.format("%-22s %-12s %14s %14s", "histogram", "state", "sum", "rate"));
    if (entries.isEmpty()) {
      lines.add("(no histogram published yet)");
    }
    for (HistogramBoard.Entry entry : entries) {
      HistogramSummary summary = entry.summary();
      String line =
          String.format(
              "%-22s %-12s %14s %14s",
              summary.id(),
              summary.state(),
              summary.totalText(),
              summary.rate().map(rate -> String.format("%.1f/s", rate)).orElse("-"));
      lines.add(summary.errorMessage().map(message -> line + "  " + message).orElse(line));
    }
    return lines;
  }
}
