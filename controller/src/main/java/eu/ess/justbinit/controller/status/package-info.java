/**
 * In the controller: what the service says about itself, the x5f2 heartbeat, the Graphite
 * statistics and the software version.
 */
package eu.ess.justbinit.controller.status;
