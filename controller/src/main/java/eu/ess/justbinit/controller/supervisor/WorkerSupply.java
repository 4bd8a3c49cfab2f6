package eu.ess.justbinit.controller.supervisor;

import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Where a supervised histogram gets its workers from and gives them back to: the pool ({@link
 * WorkerPool}). Called by a histogram while it holds its own lock (the lock order is in
 * docs/architecture.md, "Threads").
 */
interface WorkerSupply {
  /** A spare that fits {@code histogram}, now RUNNING it, or empty when none does. */
  Optional<WorkerProcess> take(RunningHistogram histogram);

  /**
   * Starts a worker JVM for {@code histogram} (LAUNCHED, then RUNNING once it dials in), its output
   * appended to {@code logName}.
   *
   * @throws IOException when the JVM cannot be started at all
   */
  WorkerProcess launch(RunningHistogram histogram, String logName) throws IOException;

  /**
   * Takes back a worker whose histogram ({@code kind}) ended: it becomes a warm spare, or is
   * released.
   *
   * @return completes when it is a spare, or has exited
   */
  CompletableFuture<Void> giveBack(WorkerProcess worker, HistogramKind kind);
}
