package eu.ess.justbinit.controller.supervisor;

import eu.ess.justbinit.wire.rpc.ControllerMessage;
import eu.ess.justbinit.wire.rpc.WorkerMessage;
import eu.ess.justbinit.wire.rpc.WorkerSupervisorGrpc;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.logging.Logger;

/** The workers' way in: the first message must be a Hello with a key we gave out. */
final class SupervisorService extends WorkerSupervisorGrpc.WorkerSupervisorImplBase {
  private static final Logger LOG = Logger.getLogger(SupervisorService.class.getName());

  private final Supervisor supervisor;

  SupervisorService(Supervisor supervisor) {
    this.supervisor = supervisor;
  }

  @Override
  public StreamObserver<WorkerMessage> attach(StreamObserver<ControllerMessage> toWorker) {
    return new StreamObserver<>() {
      private WorkerProcess worker;

      @Override
      public void onNext(WorkerMessage message) {
        if (worker != null) {
          supervisor.received(worker, message);
          return;
        }
        WorkerProcess claimed =
            message.hasHello() ? supervisor.claim(message.getHello().getWorkerKey()) : null;
        if (claimed == null) {
          LOG.warning("A process dialled the supervisor without a valid worker key: refused");
          toWorker.onError(
              Status.PERMISSION_DENIED.withDescription("unknown worker key").asRuntimeException());
          return;
        }
        worker = claimed;
        supervisor.attached(worker, toWorker);
      }

      @Override
      public void onError(Throwable error) {
        if (worker != null) {
          supervisor.streamClosed(worker);
        }
      }

      @Override
      public void onCompleted() {
        if (worker != null) {
          supervisor.streamClosed(worker);
        } else {
          toWorker.onCompleted();
        }
      }
    };
  }
}
