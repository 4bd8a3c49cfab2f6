package eu.ess.justbinit.controller.command;

import java.util.Optional;

/**
 * A refusal on the way through a command's fields: {@link CommandParser} turns it into the {@link
 * Rejection}. Thrown and caught on the thread that parses; carries no stack trace.
 */
final class Refused extends Exception {
  private final Optional<MessageId> msgId;

  Refused(String message) {
    this(message, Optional.empty());
  }

  /**
   * @param msgId the id to answer with, where the refusal is of the msg_id itself
   */
  Refused(String message, Optional<MessageId> msgId) {
    super(message, null, false, false);
    this.msgId = msgId;
  }

  Optional<MessageId> msgId() {
    return msgId;
  }
}
