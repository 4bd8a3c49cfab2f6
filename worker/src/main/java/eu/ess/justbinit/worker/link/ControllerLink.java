package eu.ess.justbinit.worker.link;

import eu.ess.justbinit.common.logging.Unawaited;
import eu.ess.justbinit.wire.rpc.Assignment;
import eu.ess.justbinit.wire.rpc.ControllerMessage;
import eu.ess.justbinit.wire.rpc.Hello;
import eu.ess.justbinit.wire.rpc.WorkerContract;
import eu.ess.justbinit.wire.rpc.WorkerMessage;
import eu.ess.justbinit.wire.rpc.WorkerSupervisorGrpc;
import io.grpc.ManagedChannel;
import io.grpc.okhttp.OkHttpChannelBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.time.Duration;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * The worker's end of the Attach stream. What the worker says is built and serialised on one sender
 * thread, in the order said, so that a large checkpoint costs the loop nothing but its snapshot;
 * what the controller sends after an Assignment waits in a queue until the loop takes it between
 * two polls.
 *
 * <p>Threads (docs/architecture.md, "Threads"): the main thread attaches, waits for assignments,
 * sends and closes, and as the loop thread polls {@link #nextCommand}; gRPC's executor thread
 * delivers the controller's messages ({@code Inbound}, one at a time); the {@code controller-link}
 * sender thread alone builds and writes what is sent; the {@code parent-watch} thread may {@link
 * #abandon}. Nothing is locked: the controller's messages reach the main thread through concurrent
 * queues ({@code assignments}, {@code inbox}) and the futures {@code answer} and {@code gone}
 * (completed once, by whichever thread finds out); what is sent goes to the sender thread through
 * its executor's queue; {@code checkpointPending} is atomic and {@code closing} volatile. {@code
 * onGone} runs on the thread that found the controller gone.
 */
public final class ControllerLink implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(ControllerLink.class.getName());

  /** How often a worker waiting for an Assignment looks whether the controller has gone. */
  private static final long GONE_CHECK_MS = 100;

  private final ManagedChannel channel;
  private final CompletableFuture<ControllerMessage> answer = new CompletableFuture<>();
  private final BlockingQueue<Assignment> assignments = new LinkedBlockingQueue<>();
  private final Queue<ControllerMessage> inbox = new ConcurrentLinkedQueue<>();
  private final CompletableFuture<String> gone = new CompletableFuture<>();
  private final ClientCallStreamObserver<WorkerMessage> outbound;

  private final Consumer<String> onGone;
  private final ExecutorService sender =
      Executors.newSingleThreadExecutor(
          task -> {
            Thread thread = new Thread(task, "controller-link");
            thread.setDaemon(true);
            return thread;
          });
  private final AtomicBoolean checkpointPending = new AtomicBoolean();

  /** Set when this worker ends the stream itself: the controller closing its side is expected. */
  private volatile boolean closing;

  private ControllerLink(ManagedChannel channel, Consumer<String> onGone) {
    this.channel = channel;
    this.onGone = onGone;
    Inbound inbound = new Inbound();
    WorkerSupervisorGrpc.newStub(channel).attach(inbound);
    this.outbound = inbound.outbound;
  }

  /**
   * Dials the controller on {@code host:port} (plaintext: it listens on loopback only). With gRPC's
   * OkHttp transport rather than Netty, which the controller serves with: a worker is a client of
   * one stream, and Netty's classes and buffer pools made it some 14 MB larger resident
   * (docs/benchmarks-worker-memory.md).
   *
   * @param onGone called once, with the reason, when the controller has gone
   */
  public static ControllerLink dial(String host, int port, Consumer<String> onGone) {
    ManagedChannel channel =
        OkHttpChannelBuilder.forAddress(host, port)
            .usePlaintext()
            .maxInboundMessageSize(WorkerContract.MAX_MESSAGE_BYTES)
            .build();
    return new ControllerLink(channel, onGone);
  }

  /**
   * Introduces this worker and waits for the controller's answer: the Assignment, or Standby when
   * this worker is a spare.
   *
   * @return empty when the controller closed the stream or did not answer in time
   */
  public Optional<ControllerMessage> attach(String workerKey, long pid, Duration timeout) {
    send(
        WorkerMessage.newBuilder()
            .setHello(Hello.newBuilder().setWorkerKey(workerKey).setPid(pid))
            .build());
    return await(answer, timeout);
  }

  /** Whether an Assignment waits to be taken: a spare still rehearsing cuts its rehearsal short. */
  public boolean assignmentWaiting() {
    return !assignments.isEmpty();
  }

  /**
   * The next Assignment: at once after Hello, or, for a spare and for a worker whose histogram
   * ended, as long as the controller keeps the stream open.
   *
   * @return empty when the controller has gone, or closed the stream to let this worker go
   */
  public Optional<Assignment> awaitAssignment() {
    try {
      while (!gone.isDone() || !assignments.isEmpty()) {
        Assignment next = assignments.poll(GONE_CHECK_MS, TimeUnit.MILLISECONDS);
        if (next != null) {
          return Optional.of(next);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return Optional.empty();
  }

  private static <T> Optional<T> await(CompletableFuture<T> message, Duration timeout) {
    try {
      return Optional.of(message.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
    } catch (ExecutionException e) {
      // The controller went away, which abandon() has reported: a spare that the controller
      // closes at its shutdown ends here, as it should.
      LOG.fine(() -> "No assignment: " + e.getCause().getMessage());
      return Optional.empty();
    } catch (TimeoutException e) {
      LOG.severe("No answer from the controller within " + timeout.toSeconds() + " s");
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /** Sends one message, after those sent before. */
  public void send(WorkerMessage message) {
    sendLater(() -> message);
  }

  /**
   * Sends a checkpoint that {@code build} makes on the sender thread. A routine one is dropped
   * while the previous is still on its way, or while the stream is not ready (the controller is
   * slow): the next one supersedes it. A forced one (after a reset, at a state change) is always
   * sent.
   *
   * @return false when dropped right away
   */
  public boolean sendCheckpoint(Supplier<WorkerMessage> build, boolean forced) {
    if (!checkpointPending.compareAndSet(false, true) && !forced) {
      return false;
    }
    sendLater(
        () -> {
          checkpointPending.set(false);
          return forced || outbound.isReady() ? build.get() : null;
        });
    return true;
  }

  private void sendLater(Supplier<WorkerMessage> message) {
    try {
      sender.execute(
          Unawaited.task(
              LOG,
              "sending to the controller",
              () -> {
                WorkerMessage built = message.get();
                if (built != null && !gone.isDone()) {
                  outbound.onNext(built);
                }
              }));
    } catch (RejectedExecutionException e) {
      LOG.fine("Not sent: the link is closed");
    }
  }

  /** The next Stop or ResetCounts, if one arrived. */
  public Optional<ControllerMessage> nextCommand() {
    return Optional.ofNullable(inbox.poll());
  }

  /** Marks the controller as gone, for a reason found outside the stream (parent process died). */
  void abandon(String reason) {
    if (gone.complete(reason)) {
      answer.completeExceptionally(new IllegalStateException(reason));
      if (!closing) {
        onGone.accept(reason);
      }
    }
  }

  public boolean isGone() {
    return gone.isDone();
  }

  /** Sends what is queued, half-closes the stream and closes the channel, waiting briefly. */
  @Override
  public void close() {
    closing = true;
    sendLater(
        () -> {
          if (!gone.isDone()) {
            outbound.onCompleted();
          }
          return null;
        });
    sender.shutdown();
    try {
      if (!sender.awaitTermination(2, TimeUnit.SECONDS)) {
        LOG.warning("Messages to the controller were still queued at exit");
      }
      channel.shutdown();
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
        // A Stop or ResetCounts that came after the last histogram ended was for that one.
        inbox.clear();
        assignments.add(message.getAssignment());
        answer.complete(message);
      } else if (message.hasStandby()) {
        answer.complete(message);
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
