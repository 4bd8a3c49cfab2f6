/**
 * In the controller: the running service, which reads commands, checks topics, answers and hands
 * histograms to the supervisor.
 */
package eu.ess.justbinit.controller.service;
