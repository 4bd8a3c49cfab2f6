package eu.ess.justbinit.wire.codec;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import eu.ess.justbinit.wire.rpc.HistogramSpec;

/**
 * The info JSON published with every histogram: what NICOS filters on (id), shows (state, rate,
 * error_message) and what the original's statistics carried; {@code "num events"}, the same as
 * {@code sum}, is where SINQ's NICOS reads the count. Written by the workers, and by the controller
 * for a histogram whose worker could not be kept alive.
 */
public final class HistogramInfo {
  private static final ObjectMapper JSON = new ObjectMapper();

  private HistogramInfo() {}

  /**
   * The info of one publish of {@code spec}'s histogram.
   *
   * @param state the state's name, e.g. "COUNTING"
   * @param errorMessage written in state "ERROR", and in any other when not empty (a publish the
   *     broker refused)
   */
  public static String json(
      HistogramSpec spec,
      String state,
      long lastPulseTimeNs,
      long sum,
      long diff,
      double rate,
      long skippedMessages,
      String errorMessage) {
    ObjectNode info = head(spec, state, lastPulseTimeNs);
    info.put("sum", sum);
    // SINQ's NICOS reads the count under this name.
    info.put("num events", sum);
    info.put("diff", diff);
    return tail(info, rate, skippedMessages, state, errorMessage);
  }

  /**
   * The info of one publish of a floating histogram (one holding fractions): sum and diff are
   * doubles.
   */
  public static String jsonFloating(
      HistogramSpec spec,
      String state,
      long lastPulseTimeNs,
      double sum,
      double diff,
      double rate,
      long skippedMessages,
      String errorMessage) {
    ObjectNode info = head(spec, state, lastPulseTimeNs);
    info.put("sum", sum);
    info.put("num events", sum);
    info.put("diff", diff);
    return tail(info, rate, skippedMessages, state, errorMessage);
  }

  private static ObjectNode head(HistogramSpec spec, String state, long lastPulseTimeNs) {
    ObjectNode info = JSON.createObjectNode();
    info.put("id", spec.getId());
    if (spec.hasStartMs()) {
      info.put("start", spec.getStartMs());
    }
    if (spec.hasStopMs()) {
      info.put("stop", spec.getStopMs());
    }
    info.put("state", state);
    info.put("last_pulse_time", lastPulseTimeNs);
    return info;
  }

  private static String tail(
      ObjectNode info, double rate, long skippedMessages, String state, String errorMessage) {
    info.put("rate", rate);
    info.put("skipped_messages", skippedMessages);
    if (state.equals("ERROR") || !errorMessage.isEmpty()) {
      info.put("error_message", errorMessage);
    }
    return info.toString();
  }
}
