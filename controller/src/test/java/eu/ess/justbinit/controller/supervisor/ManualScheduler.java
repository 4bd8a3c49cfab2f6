package eu.ess.justbinit.controller.supervisor;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;

/** A {@link Scheduler} whose tasks run only when the test says so, in the test's thread. */
final class ManualScheduler implements Scheduler {
  /** A task waiting to run. */
  record Pending(Duration delay, String what, FutureTask<Void> task) {}

  private final List<Pending> pending = new ArrayList<>();

  @Override
  public synchronized Future<?> after(Duration delay, String what, Runnable task) {
    FutureTask<Void> future = new FutureTask<>(task, null);
    pending.add(new Pending(delay, what, future));
    return future;
  }

  /** The tasks not yet run nor cancelled, in the order they were scheduled. */
  synchronized List<Pending> pending() {
    pending.removeIf(waiting -> waiting.task().isDone());
    return List.copyOf(pending);
  }

  /** The delay of the one pending task whose description starts with {@code what}. */
  Duration delayOf(String what) {
    List<Pending> matching =
        pending().stream().filter(waiting -> waiting.what().startsWith(what)).toList();
    if (matching.size() != 1) {
      throw new AssertionError("not one task '" + what + "' pending: " + pending());
    }
    return matching.get(0).delay();
  }

  /** Runs the pending tasks whose description starts with {@code what}, as if their time came. */
  void run(String what) {
    for (Pending waiting : pending()) {
      if (waiting.what().startsWith(what)) {
        waiting.task().run();
      }
    }
  }
}
