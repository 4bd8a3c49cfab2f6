package eu.ess.justbinit.controller.supervisor;

import java.util.EnumSet;
import java.util.Set;

/**
 * Where one worker JVM is in its life, as the controller sees it; {@link WorkerPool} holds each
 * worker's state and makes every move between them (the diagram is in docs/architecture.md, "The
 * worker's lifecycle"). Immutable; any thread may read it.
 */
enum WorkerState {
  /** Its JVM was started and has not dialled in yet; started for a histogram, or as a spare. */
  LAUNCHED,
  /** A fresh spare that dialled in and was told to stand by: it rehearses (Standby, Rehearsed). */
  REHEARSING,
  /**
   * A spare waiting for a histogram: fresh (it rehearsed) or warm (its last histogram ended, and it
   * is warm for histograms of that kind).
   */
  SPARE,
  /** It runs a histogram, from its Assignment until it says Finished, exits or is lost. */
  RUNNING,
  /**
   * Released: its stream closed (it exits by itself or is killed), its stream lost, or its JVM
   * exited; no way back.
   */
  RELEASED;

  /** Whether a worker in this state may move to {@code next}; any may be released. */
  boolean canBecome(WorkerState next) {
    return next == RELEASED ? this != RELEASED : successors().contains(next);
  }

  private Set<WorkerState> successors() {
    return switch (this) {
      case LAUNCHED -> EnumSet.of(REHEARSING, RUNNING);
      case REHEARSING -> EnumSet.of(SPARE, RUNNING);
      case SPARE -> EnumSet.of(RUNNING);
      case RUNNING -> EnumSet.of(SPARE);
      case RELEASED -> EnumSet.noneOf(WorkerState.class);
    };
  }
}
