package eu.ess.justbinit.worker;

import eu.ess.justbinit.histogram.HistogramSnapshot;
import eu.ess.justbinit.rpc.HistogramSpec;

/**
 * The info JSON of a snapshot, in the form {@link eu.ess.justbinit.codec.HistogramInfo} writes for
 * the workers and the controller alike.
 */
final class HistogramInfo {
  private HistogramInfo() {}

  static String of(HistogramSpec spec, HistogramSnapshot snapshot, long skippedMessages) {
    if (snapshot.floating()) {
      return eu.ess.justbinit.codec.HistogramInfo.jsonFloating(
          spec,
          snapshot.state().name(),
          snapshot.lastPulseTimeNs(),
          snapshot.sum() + snapshot.fractionalSum(),
          snapshot.floatingDiff(),
          snapshot.rate(),
          skippedMessages,
          snapshot.errorMessage());
    }
    return eu.ess.justbinit.codec.HistogramInfo.json(
        spec,
        snapshot.state().name(),
        snapshot.lastPulseTimeNs(),
        snapshot.sum(),
        snapshot.diff(),
        snapshot.rate(),
        skippedMessages,
        snapshot.errorMessage());
  }
}
