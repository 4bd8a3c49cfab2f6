package eu.ess.justbinit.controller.supervisor;

import eu.ess.justbinit.wire.rpc.HistogramState;
import eu.ess.justbinit.wire.rpc.Statistics;

/**
 * What the controller knows of one histogram's worker.
 *
 * @param histogramId the histogram's id (may be empty)
 * @param index its slot: its position in the config, or, for a histogram added beside running ones
 *     ({@code --config-mode add}), the slot of the one it replaced by id, else the lowest none of
 *     them held
 * @param pid the worker's process id; -1 while none runs
 * @param state the histogram's last known state; unspecified before the worker reported
 * @param restarts how many times a worker was started again for this histogram
 * @param statistics the last reported statistics
 * @param errorMessage why the histogram is in ERROR, else empty
 */
public record WorkerInfo(
    String histogramId,
    int index,
    long pid,
    HistogramState state,
    int restarts,
    Statistics statistics,
    String errorMessage) {}
