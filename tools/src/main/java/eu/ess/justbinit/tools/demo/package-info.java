/** The demo tool: a broker, the service, an event generator and a live view in one command. */
package eu.ess.justbinit.tools.demo;
