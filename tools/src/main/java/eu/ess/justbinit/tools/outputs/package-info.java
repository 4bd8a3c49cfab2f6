/** The histogram-reading tools: follow a histogram topic and summarise what is published there. */
package eu.ess.justbinit.tools.outputs;
