/**
 * Log set-up and logged fire-and-forget futures, used by every process of the project: controller,
 * workers and tools.
 */
package eu.ess.justbinit.common.logging;
