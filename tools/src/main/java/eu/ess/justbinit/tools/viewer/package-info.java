/** The live viewer tool: a small web server that plots the histograms published on a topic. */
package eu.ess.justbinit.tools.viewer;
