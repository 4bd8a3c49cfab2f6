package eu.ess.justbinit.controller.supervisor;

import eu.ess.justbinit.wire.rpc.ControllerMessage;
import eu.ess.justbinit.wire.rpc.WorkerMessage;
import eu.ess.justbinit.wire.rpc.WorkerSupervisorGrpc;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.logging.Logger;

/**
 * The workers' way in: the first message must be a Hello with a key we gave out; the stream then
 * goes to {@link WorkerStreams}. Called from gRPC threads, each stream's calls one at a time; it
 * holds no state of its own and takes no lock.
 */
final class SupervisorService extends WorkerSupervisorGrpc.WorkerSupervisorImplBase {
  private static final Logger LOG = Logger.getLogger(SupervisorService.class.getName());

  private final WorkerStreams streams;

  SupervisorService(WorkerStreams streams) {
    this.streams = streams;
  }

  @Override
  public StreamObserver<WorkerMessage> attach(StreamObserver<ControllerMessage> toWorker) {
    return new StreamObserver<>() {
      private WorkerProcess worker;

      @Override
      public void onNext(WorkerMessage message) {
        if (worker != null) {
          streams.received(worker, message);
          return;
        }
        WorkerProcess claimed =
            message.hasHello() ? streams.attach(message.getHello().getWorkerKey(), toWorker) : null;
        if (claimed == null) {
          LOG.warning("A process dialled the supervisor without a valid worker key: refused");
          toWorker.onError(
              Status.PERMISSION_DENIED.withDescription("unknown worker key").asRuntimeException());
          return;
        }
        worker = claimed;
      }

      @Override
      public void onError(Throwable error) {
        if (worker != null) {
          streams.streamClosed(worker);
        }
      }

      @Override
      public void onCompleted() {
        if (worker != null) {
          streams.streamClosed(worker);
        } else {
          toWorker.onCompleted();
        }
      }
    };
  }
}
