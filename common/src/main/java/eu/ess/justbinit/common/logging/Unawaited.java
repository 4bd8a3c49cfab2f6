package eu.ess.justbinit.common.logging;

import java.util.concurrent.CompletableFuture;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Work whose future nobody waits for (exit watchers, scheduled and submitted tasks): its failure is
 * logged, since nothing else would ever look at it. Stateless; any thread may call it.
 */
public final class Unawaited {
  private Unawaited() {}

  /** Logs at SEVERE how {@code future} failed, naming {@code what} it was doing. */
  public static void log(CompletableFuture<?> future, Logger log, String what) {
    var unused =
        future.whenComplete(
            (result, failure) -> {
              if (failure != null) {
                log.log(Level.SEVERE, "Failed: " + what, failure);
              }
            });
  }

  /**
   * {@code task} for an executor whose future nobody reads: a failure is logged at SEVERE, then
   * rethrown so that the executor treats it as before (a periodic task stops).
   */
  public static Runnable task(Logger log, String what, Runnable task) {
    return () -> {
      try {
        task.run();
      } catch (RuntimeException | Error e) {
        log.log(Level.SEVERE, "Failed: " + what, e);
        throw e;
      }
    };
  }
}
