/**
 * The benchmark harness (`scripts/bench`): its own JVM, which starts a broker, the service and the
 * workloads it measures, with `BenchOptions` saying what to measure and one class per phase
 * measuring it.
 */
package eu.ess.justbinit.bench;
