package eu.ess.justbinit.controller.supervisor;

import eu.ess.justbinit.wire.rpc.EventSchema;
import eu.ess.justbinit.wire.rpc.HistogramSpec;
import eu.ess.justbinit.wire.rpc.HistogramType;

/**
 * What decides which of a worker's loops a histogram runs: the decoder of its input schema and the
 * binning of its type (hist1d with or without det_range takes different paths). A worker whose
 * histogram ended is warm for histograms of its kind only: a roihist caught up 20-40 % slower in a
 * JVM that had just run hist1d ones than in a fresh spare (docs/benchmarks-worker-memory.md).
 */
record HistogramKind(EventSchema input, HistogramType type, boolean detectorRange) {
  static HistogramKind of(HistogramSpec spec) {
    return new HistogramKind(spec.getInputSchema(), spec.getType(), spec.hasDetRange());
  }
}
