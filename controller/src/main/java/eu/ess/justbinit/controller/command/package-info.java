/**
 * In the controller: the JSON commands read from the command topic, parsed into typed commands or
 * one precise refusal, and the responses.
 */
package eu.ess.justbinit.controller.command;
