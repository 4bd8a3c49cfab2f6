package eu.ess.justbinit.worker;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import eu.ess.justbinit.histogram.HistogramSnapshot;
import eu.ess.justbinit.histogram.HistogramState;
import eu.ess.justbinit.rpc.HistogramSpec;

/**
 * The info JSON published with every histogram: what NICOS filters on (id), shows (state, rate,
 * error_message) and what the original's statistics carried.
 */
final class HistogramInfo {
  private static final ObjectMapper JSON = new ObjectMapper();

  private HistogramInfo() {}

  static String of(HistogramSpec spec, HistogramSnapshot snapshot, long skippedMessages) {
    ObjectNode info = JSON.createObjectNode();
    info.put("id", spec.getId());
    if (spec.hasStartMs()) {
      info.put("start", spec.getStartMs());
    }
    if (spec.hasStopMs()) {
      info.put("stop", spec.getStopMs());
    }
    info.put("state", snapshot.state().name());
    info.put("last_pulse_time", snapshot.lastPulseTimeNs());
    info.put("sum", snapshot.sum());
    info.put("diff", snapshot.diff());
    info.put("rate", snapshot.rate());
    info.put("skipped_messages", skippedMessages);
    if (snapshot.state() == HistogramState.ERROR) {
      info.put("error_message", snapshot.errorMessage());
    }
    return info.toString();
  }
}
