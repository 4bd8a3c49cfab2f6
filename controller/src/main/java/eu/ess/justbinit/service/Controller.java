package eu.ess.justbinit.service;

/** The running service: commands in, workers supervised, responses and heartbeat out. */
public final class Controller {
  // STUB: filled in by the controller runtime work (issue 5).
  private final ControllerSettings settings;

  public Controller(ControllerSettings settings) {
    this.settings = settings;
  }

  /** Runs until stopped (SIGTERM, Ctrl-C); returns the process exit code. */
  public int run() {
    return settings.brokers().isEmpty() ? 1 : 0;
  }
}
