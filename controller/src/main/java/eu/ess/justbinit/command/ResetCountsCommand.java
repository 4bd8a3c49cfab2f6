package eu.ess.justbinit.command;

import java.util.Optional;

/** {@code reset_counts}: every histogram restarts from zero, keeping its settings. */
public record ResetCountsCommand(Optional<MessageId> msgId) implements Command {}
