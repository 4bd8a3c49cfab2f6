/**
 * The benchmark harness (`scripts/bench`): its own JVM, which starts a broker, the service and the
 * workloads it measures.
 */
package eu.ess.justbinit.bench;
