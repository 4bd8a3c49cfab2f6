package eu.ess.justbinit.worker;

import eu.ess.justbinit.rpc.Assignment;
import eu.ess.justbinit.rpc.ControllerMessage;
import eu.ess.justbinit.rpc.Hello;
import eu.ess.justbinit.rpc.WorkerMessage;
import eu.ess.justbinit.rpc.WorkerSupervisorGrpc;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.time.Duration;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The worker's end of the Attach stream. The worker's loop is the only sender; what the controller
 * sends after the Assignment waits in a queue until the loop takes it between two polls.
 */
final class ControllerLink implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(ControllerLink.class.getName());

  /**
   * Checkpoints and assignments carry whole histograms: 4096 x 4096 int64 counts are 134 MB, far
   * above gRPC's 4 MB default.
   */
  static final int MAX_MESSAGE_BYTES = 1 << 30;

  private final ManagedChannel channel;
  private final CompletableFuture<Assignment> assignment = new CompletableFuture<>();
  private final Queue<ControllerMessage> inbox = new ConcurrentLinkedQueue<>();
  private final CompletableFuture<String> gone = new CompletableFuture<>();
  private final ClientCallStreamObserver<WorkerMessage> outbound;

  private final Consumer<String> onGone;

  private ControllerLink(ManagedChannel channel, Consumer<String> onGone) {
    this.channel = channel;
    this.onGone = onGone;
    Inbound inbound = new Inbound();
    WorkerSupervisorGrpc.newStub(channel).attach(inbound);
    this.outbound = inbound.outbound;
  }

  /**
   * Dials the controller on {@code host:port} (plaintext: it listens on loopback only).
   *
   * @param onGone called once, with the reason, when the controller has gone
   */
  static ControllerLink dial(String host, int port, Consumer<String> onGone) {
    ManagedChannel channel =
        NettyChannelBuilder.forAddress(host, port)
            .usePlaintext()
            .maxInboundMessageSize(MAX_MESSAGE_BYTES)
            .build();
    return new ControllerLink(channel, onGone);
  }

  /**
   * Introduces this worker and waits for its Assignment.
   *
   * @return empty when the controller closed the stream or did not answer in time
   */
  Optional<Assignment> attach(String workerKey, long pid, Duration timeout) {
    send(
        WorkerMessage.newBuilder()
            .setHello(Hello.newBuilder().setWorkerKey(workerKey).setPid(pid))
            .build());
    try {
      return Optional.of(assignment.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
    } catch (ExecutionException | TimeoutException e) {
      LOG.log(Level.SEVERE, "No assignment from the controller", e);
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /** Sends one message; the loop thread only. */
  void send(WorkerMessage message) {
    if (!gone.isDone()) {
      outbound.onNext(message);
    }
  }

  /**
   * Whether the stream can take a message without queueing it in memory: an optional message (a
   * routine checkpoint) is better skipped than piled up behind a slow controller.
   */
  boolean isReady() {
    return outbound.isReady();
  }

  /** The next Stop or ResetCounts, if one arrived. */
  Optional<ControllerMessage> nextCommand() {
    return Optional.ofNullable(inbox.poll());
  }

  /** Marks the controller as gone, for a reason found outside the stream (parent process died). */
  void abandon(String reason) {
    if (gone.complete(reason)) {
      assignment.completeExceptionally(new IllegalStateException(reason));
      onGone.accept(reason);
    }
  }

  boolean isGone() {
    return gone.isDone();
  }

  /** Half-closes the stream and the channel, waiting briefly for what was sent to leave. */
  @Override
  public void close() {
    if (!gone.isDone()) {
      outbound.onCompleted();
    }
    channel.shutdown();
    try {
      if (!channel.awaitTermination(2, TimeUnit.SECONDS)) {
        channel.shutdownNow();
      }
    } catch (InterruptedException e) {
      channel.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  private final class Inbound implements ClientResponseObserver<WorkerMessage, ControllerMessage> {
    private ClientCallStreamObserver<WorkerMessage> outbound;

    @Override
    public void beforeStart(ClientCallStreamObserver<WorkerMessage> requestStream) {
      this.outbound = requestStream;
    }

    @Override
    public void onNext(ControllerMessage message) {
      if (message.hasAssignment()) {
        if (!assignment.complete(message.getAssignment())) {
          LOG.warning("A second assignment was ignored");
        }
      } else {
        inbox.add(message);
      }
    }

    @Override
    public void onError(Throwable error) {
      abandon("the controller's stream broke: " + error);
    }

    @Override
    public void onCompleted() {
      abandon("the controller closed the stream");
    }
  }
}
