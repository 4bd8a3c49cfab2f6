/**
 * The controller process's command line: the `just-bin-it` picocli command, its options file and
 * start-up errors.
 */
package eu.ess.justbinit.controller.cli;
