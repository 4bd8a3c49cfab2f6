/**
 * In the controller: the gRPC server the workers dial into, the worker JVMs it launches and keeps
 * spare, and the supervision of each histogram.
 */
package eu.ess.justbinit.controller.supervisor;
