package eu.ess.justbinit.bench;

/**
 * One histogram message as the benchmark saw it.
 *
 * @param receivedNs when the benchmark's consumer got it, ns since epoch
 * @param timestampNs the message's own timestamp (when the worker published it), ns since epoch
 * @param id the info's id
 * @param state the info's state
 * @param sum the info's sum
 * @param lastPulseTimeNs the info's last_pulse_time: the reference time of the last counted message
 */
record Published(
    long receivedNs, long timestampNs, String id, String state, long sum, long lastPulseTimeNs) {}
