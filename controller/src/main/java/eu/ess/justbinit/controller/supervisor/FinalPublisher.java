package eu.ess.justbinit.controller.supervisor;

import eu.ess.justbinit.wire.rpc.Checkpoint;
import eu.ess.justbinit.wire.rpc.HistogramSpec;
import eu.ess.justbinit.wire.rpc.HistogramState;
import eu.ess.justbinit.wire.rpc.Layout;
import java.util.Optional;

/**
 * Publishes a histogram on behalf of a worker that can no longer do it: one that could not be
 * started any more (ERROR), or one stopped while it was waiting to be restarted (FINISHED). Called
 * by a supervised histogram from the command thread, the supervisor's scheduler thread or a
 * worker's exit callback, never under a supervisor lock: it may block on Kafka.
 */
@FunctionalInterface
public interface FinalPublisher {

  /**
   * Publishes {@code spec}'s histogram in {@code state}.
   *
   * @param layout the histogram's shape and edges, when a worker ever reported them
   * @param checkpoint the last counts and statistics, when a worker ever checkpointed
   * @param errorMessage why, in ERROR; empty otherwise
   */
  void publish(
      HistogramSpec spec,
      Optional<Layout> layout,
      Optional<Checkpoint> checkpoint,
      HistogramState state,
      String errorMessage);
}
