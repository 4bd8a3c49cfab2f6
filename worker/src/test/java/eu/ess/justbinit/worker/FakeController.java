package eu.ess.justbinit.worker;

import static org.junit.jupiter.api.Assertions.fail;

import eu.ess.justbinit.wire.rpc.Assignment;
import eu.ess.justbinit.wire.rpc.ControllerMessage;
import eu.ess.justbinit.wire.rpc.ResetCounts;
import eu.ess.justbinit.wire.rpc.Standby;
import eu.ess.justbinit.wire.rpc.Stop;
import eu.ess.justbinit.wire.rpc.WorkerContract;
import eu.ess.justbinit.wire.rpc.WorkerMessage;
import eu.ess.justbinit.wire.rpc.WorkerSupervisorGrpc;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The controller's side of the Attach stream, for one worker: answers its Hello with an Assignment
 * and keeps everything the worker says. When the histogram ends (Finished) it lets the worker go,
 * closing the stream, as the controller does when its pool of spares is full, unless told to keep
 * it ({@link #keepWorkerAfterFinished}).
 */
final class FakeController implements AutoCloseable {
  static final String KEY = "test-key";

  private final Server server;
  private final Assignment assignment;
  private final Standby standbyFirst;
  private final List<WorkerMessage> received = new ArrayList<>();
  private final CompletableFuture<StreamObserver<ControllerMessage>> worker =
      new CompletableFuture<>();
  private final CompletableFuture<Throwable> workerGone = new CompletableFuture<>();
  private boolean streamClosed;
  private volatile boolean keepAfterFinished;

  FakeController(Assignment assignment) throws IOException {
    this(assignment, null);
  }

  /**
   * With {@code standbyFirst}, Hello is answered with it, as a spare's is, and the Assignment waits
   * for {@link #assign}.
   */
  FakeController(Assignment assignment, Standby standbyFirst) throws IOException {
    this.assignment = assignment;
    this.standbyFirst = standbyFirst;
    this.server =
        NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
            .maxInboundMessageSize(WorkerContract.MAX_MESSAGE_BYTES)
            .addService(new Supervisor())
            .build()
            .start();
  }

  String address() {
    return "127.0.0.1:" + server.getPort();
  }

  /** Sends the Assignment to a worker that was told to stand by. */
  void assign() {
    assign(assignment);
  }

  /** Sends {@code next} to a worker that stands by, or whose histogram ended. */
  void assign(Assignment next) {
    send(ControllerMessage.newBuilder().setAssignment(next).build());
  }

  /** From now on, a worker whose histogram ended stays, as one that the pool of spares takes. */
  void keepWorkerAfterFinished() {
    keepAfterFinished = true;
  }

  void stop() {
    send(ControllerMessage.newBuilder().setStop(Stop.getDefaultInstance()).build());
  }

  void resetCounts() {
    send(ControllerMessage.newBuilder().setResetCounts(ResetCounts.getDefaultInstance()).build());
  }

  /** Closes the stream from the controller's side, as a controller shutting down does. */
  void closeStream() {
    StreamObserver<ControllerMessage> stream = worker.join();
    synchronized (stream) {
      if (!streamClosed) {
        streamClosed = true;
        stream.onCompleted();
      }
    }
  }

  private void send(ControllerMessage message) {
    StreamObserver<ControllerMessage> stream = worker.join();
    synchronized (stream) {
      stream.onNext(message);
    }
  }

  /** Everything the worker sent so far. */
  synchronized List<WorkerMessage> received() {
    return List.copyOf(received);
  }

  /** Waits for a message the worker sends that {@code wanted} accepts; fails after the timeout. */
  WorkerMessage await(Predicate<WorkerMessage> wanted, Duration timeout, String what)
      throws InterruptedException {
    return awaitFrom(0, wanted, timeout, what);
  }

  /** The same, looking only at the messages from the {@code first}-th on. */
  WorkerMessage awaitFrom(int first, Predicate<WorkerMessage> wanted, Duration timeout, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    int seen = first;
    synchronized (this) {
      while (true) {
        for (; seen < received.size(); seen++) {
          if (wanted.test(received.get(seen))) {
            return received.get(seen);
          }
        }
        long leftMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (leftMs <= 0) {
          return fail("No " + what + " within " + timeout + "; last: " + last());
        }
        wait(leftMs);
      }
    }
  }

  private String last() {
    return received.isEmpty() ? "nothing" : received.get(received.size() - 1).toString();
  }

  /** Completes when the worker's stream ends (null: closed, else the error). */
  CompletableFuture<Throwable> workerGone() {
    return workerGone;
  }

  @Override
  public void close() {
    server.shutdownNow();
    try {
      server.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private final class Supervisor extends WorkerSupervisorGrpc.WorkerSupervisorImplBase {
    @Override
    public StreamObserver<WorkerMessage> attach(StreamObserver<ControllerMessage> toWorker) {
      return new StreamObserver<>() {
        @Override
        public void onNext(WorkerMessage message) {
          if (message.hasHello()) {
            if (!message.getHello().getWorkerKey().equals(KEY)) {
              toWorker.onError(new IllegalArgumentException("wrong key"));
              return;
            }
            worker.complete(toWorker);
            ControllerMessage answer =
                standbyFirst == null
                    ? ControllerMessage.newBuilder().setAssignment(assignment).build()
                    : ControllerMessage.newBuilder().setStandby(standbyFirst).build();
            synchronized (toWorker) {
              toWorker.onNext(answer);
            }
          }
          synchronized (FakeController.this) {
            received.add(message);
            FakeController.this.notifyAll();
          }
          if (message.hasFinished() && !keepAfterFinished) {
            closeStream();
          }
        }

        @Override
        public void onError(Throwable error) {
          workerGone.complete(error);
        }

        @Override
        public void onCompleted() {
          workerGone.complete(null);
          closeStream();
        }
      };
    }
  }
}
