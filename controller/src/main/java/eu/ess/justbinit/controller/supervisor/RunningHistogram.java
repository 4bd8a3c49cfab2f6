package eu.ess.justbinit.controller.supervisor;

import eu.ess.justbinit.wire.rpc.ControllerMessage;
import eu.ess.justbinit.wire.rpc.WorkerMessage;
import io.grpc.stub.StreamObserver;

/**
 * The histogram a worker runs, as the pool ({@link WorkerPool}) sees it: what decides which spare
 * fits it, and where the worker's stream goes. The pool calls it from gRPC threads, never while it
 * holds its own lock.
 */
interface RunningHistogram {
  /** Which spares are warm for it. */
  HistogramKind kind();

  /** The heap its next worker needs, in MB. */
  int heapMegabytes();

  /** Its worker dialled in: the histogram attaches {@code stream} to it, or closes the stream. */
  void attached(WorkerProcess worker, StreamObserver<ControllerMessage> stream);

  void received(WorkerProcess worker, WorkerMessage message);

  /** The stream of {@code worker} closed or failed. */
  void streamClosed(WorkerProcess worker);

  /** For the log: which histogram it is. */
  String describe();
}
