/**
 * In a worker: its Kafka consumer of the data topics and its producer of histograms, and a
 * simulated source for tests and benchmarks.
 */
package eu.ess.justbinit.worker.io;
