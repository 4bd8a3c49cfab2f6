/**
 * In the controller: the gRPC server the workers dial into, the pool of worker JVMs with each one's
 * lifecycle state (launched, rehearsing, spare, running, released), and the supervision of each
 * histogram.
 */
package eu.ess.justbinit.controller.supervisor;
