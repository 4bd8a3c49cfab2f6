package eu.ess.justbinit.controller.cli;

/** The command line or a file it names cannot be used: the message says which and why. */
public final class StartupException extends Exception {
  public StartupException(String message) {
    super(message);
  }
}
