/**
 * In the controller: the state directory, where each histogram's spec and last checkpoint survive a
 * restart of the service.
 */
package eu.ess.justbinit.controller.state;
