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

  private static String describe(Throwable exception) {
    String message = exception.getMessage();
    return message == null || message.isBlank() ? exception.toString() : message;
  }
}
