package eu.ess.justbinit.controller.supervisor;

import eu.ess.justbinit.wire.rpc.ControllerMessage;
import eu.ess.justbinit.wire.rpc.WorkerMessage;
import io.grpc.stub.StreamObserver;

/**
 * Where the gRPC service ({@link SupervisorService}) hands each worker's stream: the pool ({@link
 * WorkerPool}), which knows whether the worker is a spare or runs a histogram. Called from gRPC
 * threads, one stream at a time per worker.
 */
interface WorkerStreams {
  /**
   * A process said Hello with {@code key}: the LAUNCHED worker given that key, now with its stream,
   * or null when no worker waits for it (keys are single-use).
   */
  WorkerProcess attach(String key, StreamObserver<ControllerMessage> stream);

  void received(WorkerProcess worker, WorkerMessage message);

  /** The stream of {@code worker} closed or failed. */
  void streamClosed(WorkerProcess worker);
}
