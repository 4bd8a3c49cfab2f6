package eu.ess.justbinit.controller.supervisor;

import java.time.Duration;
import java.util.concurrent.Future;

/**
 * Runs a task once, later, on the supervisor's one scheduler thread; a task that fails is logged,
 * naming what it was doing, since nobody waits for it. Any thread may call it.
 */
@FunctionalInterface
interface Scheduler {
  /**
   * Runs {@code task} after {@code delay} ({@link Duration#ZERO}: as soon as the thread is free).
   *
   * @param what what the task does, for the log if it fails
   * @return cancels the task if it has not run yet
   */
  Future<?> after(Duration delay, String what, Runnable task);
}
