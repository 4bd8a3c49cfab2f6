/**
 * The shared picocli set-up of the command-line tools (`jbi-*` and `scripts/`), each its own JVM.
 */
package eu.ess.justbinit.tools.cli;
