package eu.ess.justbinit.worker;

import eu.ess.justbinit.histogram.HistogramSnapshot;
import eu.ess.justbinit.rpc.HistogramSpec;

/**
 * The info JSON of a snapshot, in the form {@link eu.ess.justbinit.codec.HistogramInfo} writes for
 * the workers and the controller alike.
 */
final class HistogramInfo {
  private HistogramInfo() {}

  /**
   * @param publishRefusal why the last publish did not reach the broker, empty when it did: the
   *     info's error_message when the histogram has none of its own
   */
  static String of(
      HistogramSpec spec, HistogramSnapshot snapshot, long skippedMessages, String publishRefusal) {
    String errorMessage =
        snapshot.errorMessage().isEmpty() ? publishRefusal : snapshot.errorMessage();
    if (snapshot.floating()) {
      return eu.ess.justbinit.codec.HistogramInfo.jsonFloating(
          spec,
          snapshot.state().name(),
          snapshot.lastPulseTimeNs(),
          snapshot.sum() + snapshot.fractionalSum(),
          snapshot.floatingDiff(),
          snapshot.rate(),
          skippedMessages,
          errorMessage);
    }
    return eu.ess.justbinit.codec.HistogramInfo.json(
        spec,
        snapshot.state().name(),
        snapshot.lastPulseTimeNs(),
        snapshot.sum(),
        snapshot.diff(),
        snapshot.rate(),
        skippedMessages,
        errorMessage);
  }
}
