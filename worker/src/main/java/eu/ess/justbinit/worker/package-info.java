/**
 * The worker process's entry point: one JVM per histogram, started by the controller with the
 * controller's address only.
 */
package eu.ess.justbinit.worker;
