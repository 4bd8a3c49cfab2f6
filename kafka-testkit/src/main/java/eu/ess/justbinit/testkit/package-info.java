/**
 * A real single-node KRaft Kafka broker in its own JVM, and the test helpers around it; used by
 * tests, the demo and the benchmarks.
 */
package eu.ess.justbinit.testkit;
