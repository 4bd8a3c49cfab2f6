package eu.ess.justbinit.worker.link;

import java.util.Optional;

/**
 * Abandons the controller link when the process that started this worker dies: a controller killed
 * with -9 may leave its end of the stream open for a while, a worker must not stay behind.
 *
 * <p>Threads (docs/architecture.md, "Threads"): the main thread calls {@link #start} once; the
 * daemon thread {@code parent-watch} it starts looks every 0.5 s and reads and ends the link only
 * through its thread-safe {@link ControllerLink#isGone} and {@code abandon}. No state of its own.
 */
public final class ParentWatch {
  private static final long CHECK_EVERY_MS = 500;

  private ParentWatch() {}

  public static void start(ControllerLink link) {
    Optional<ProcessHandle> parent = ProcessHandle.current().parent();
    if (parent.isEmpty()) {
      link.abandon("the worker has no parent process");
      return;
    }
    Thread watch =
        new Thread(
            () -> {
              try {
                while (parent.get().isAlive() && !link.isGone()) {
                  Thread.sleep(CHECK_EVERY_MS);
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              link.abandon("the parent process " + parent.get().pid() + " is gone");
            },
            "parent-watch");
    watch.setDaemon(true);
    watch.start();
  }
}
