package eu.ess.justbinit.controller.command;

import java.util.Optional;

/** A valid command. */
public sealed interface Command extends ParseResult
    permits ConfigCommand, StopCommand, ResetCountsCommand {
  /** The command's msg_id: when present, exactly one response is due. */
  Optional<MessageId> msgId();
}
