/** The send-command tool: one JSON command to the command topic, and the service's response. */
package eu.ess.justbinit.tools.sendcommand;
