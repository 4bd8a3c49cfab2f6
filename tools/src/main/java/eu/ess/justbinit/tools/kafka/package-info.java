/** The broker options every tool accepts, and reading a topic's records. */
package eu.ess.justbinit.tools.kafka;
