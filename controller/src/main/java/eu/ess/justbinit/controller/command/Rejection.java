package eu.ess.justbinit.controller.command;

import java.util.Optional;

/**
 * A refused command.
 *
 * @param msgId the command's msg_id when it could be read: then an ERR response is due
 * @param message why, naming the field: goes into the ERR response and the log
 */
public record Rejection(Optional<MessageId> msgId, String message) implements ParseResult {}
