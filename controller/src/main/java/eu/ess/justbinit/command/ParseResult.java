package eu.ess.justbinit.command;

/** What {@link CommandParser#parse} makes of a message on the command topic. */
public sealed interface ParseResult permits Command, Rejection {}
