/**
 * In a worker: the histogram itself, its binnings of events and da00 frames, and the snapshots the
 * loop publishes and checkpoints.
 */
package eu.ess.justbinit.worker.histogram;
