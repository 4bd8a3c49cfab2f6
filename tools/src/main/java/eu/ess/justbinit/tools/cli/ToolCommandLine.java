package eu.ess.justbinit.tools.cli;

import picocli.CommandLine;

/** The command line of every tool: a failure prints one line naming the cause, no stack trace. */
public final class ToolCommandLine {
  private ToolCommandLine() {}

  public static CommandLine of(Object command) {
    CommandLine commandLine = new CommandLine(command);
    commandLine.setExecutionExceptionHandler(
        (exception, failed, parseResult) -> {
          failed.getErr().println(failed.getCommandName() + ": " + describe(exception));
          return failed.getCommandSpec().exitCodeOnExecutionException();
        });
    return commandLine;
  }

  /** The messages of the exception and its causes, each once: "cannot send: broker down". */
  private static String describe(Throwable exception) {
    StringBuilder text = new StringBuilder();
    for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
      String message = cause.getMessage();
      if (message == null || message.isBlank()) {
        message = cause.getClass().getSimpleName();
      }
      if (text.indexOf(message) < 0) {
        text.append(text.length() == 0 ? "" : ": ").append(message);
      }
    }
    return text.toString();
  }
}
