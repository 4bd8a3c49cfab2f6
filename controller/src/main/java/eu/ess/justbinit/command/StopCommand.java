package eu.ess.justbinit.command;

import java.util.Optional;

/** {@code stop}: every histogram publishes its final state FINISHED and its worker exits. */
public record StopCommand(Optional<MessageId> msgId) implements Command {}
