/**
 * In a worker: the one loop (poll, decode, bin, publish) that runs one histogram, and its start and
 * end.
 */
package eu.ess.justbinit.worker.engine;
