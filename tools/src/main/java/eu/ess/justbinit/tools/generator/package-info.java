/** The event generator tool: fake ev44/ev42 events and da00 frames written to a topic. */
package eu.ess.justbinit.tools.generator;
