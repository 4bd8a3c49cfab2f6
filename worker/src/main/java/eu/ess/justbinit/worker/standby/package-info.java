/**
 * In a worker waiting as a spare: the rehearsal that warms its loops and its Kafka clients before
 * it is given a histogram.
 */
package eu.ess.justbinit.worker.standby;
