package eu.ess.justbinit.controller.command;

/** What {@link CommandParser#parse} makes of a message on the command topic. */
public sealed interface ParseResult permits Command, Rejection {}
