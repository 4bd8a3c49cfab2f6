package eu.ess.justbinit.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.ess.justbinit.Eventually;
import eu.ess.justbinit.rpc.Checkpoint;
import eu.ess.justbinit.rpc.ControllerMessage;
import eu.ess.justbinit.rpc.Hello;
import eu.ess.justbinit.rpc.HistogramSpec;
import eu.ess.justbinit.rpc.HistogramState;
import eu.ess.justbinit.rpc.HistogramType;
import eu.ess.justbinit.rpc.Layout;
import eu.ess.justbinit.rpc.LogLevel;
import eu.ess.justbinit.rpc.WorkerMessage;
import eu.ess.justbinit.rpc.WorkerSupervisorGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SupervisorTest {
  private static final Duration PATIENCE = Duration.ofSeconds(30);

  record Published(
      HistogramSpec spec,
      Optional<Layout> layout,
      Optional<Checkpoint> checkpoint,
      HistogramState state,
      String errorMessage) {}

  @TempDir Path runDirectory;
  private final List<Published> published = new ArrayList<>();
  private Supervisor supervisor;

  @BeforeEach
  void startSupervisor() throws Exception {
    WorkerSettings settings =
        new WorkerSettings(
            FakeWorker.class.getName(),
            List.of("-Xmx64m", "-XX:TieredStopAtLevel=1"),
            runDirectory,
            List.of("localhost:9092"),
            Map.of("security.protocol", "PLAINTEXT"),
            Duration.ofMillis(500),
            LogLevel.INFO,
            false,
            new RestartPolicy(
                Duration.ofMillis(100),
                Duration.ofSeconds(1),
                5,
                Duration.ofSeconds(60),
                Duration.ofSeconds(30)),
            1);
    supervisor =
        Supervisor.start(
            settings,
            (spec, layout, checkpoint, state, errorMessage) -> {
              synchronized (published) {
                published.add(new Published(spec, layout, checkpoint, state, errorMessage));
              }
            });
  }

  @AfterEach
  void closeSupervisor() {
    supervisor.close();
  }

  private static HistogramSpec spec(String mode, int index) {
    return HistogramSpec.newBuilder()
        .setType(HistogramType.HIST1D)
        .setId(mode)
        .setIndex(index)
        .addDataBrokers("localhost:9092")
        .build();
  }

  private WorkerInfo awaitWorker(
      int index, String what, java.util.function.Predicate<WorkerInfo> test) {
    return Eventually.get(
        what,
        PATIENCE,
        () -> supervisor.workers().stream().filter(w -> w.index() == index).filter(test).findAny());
  }

  private List<Published> published() {
    synchronized (published) {
      return List.copyOf(published);
    }
  }

  @Test
  void aWorkerIsAssignedItsHistogramAndStopsWhenTold() {
    supervisor.assign(List.of(spec("steady", 0)));
    WorkerInfo running =
        awaitWorker(0, "counting", w -> w.state() == HistogramState.COUNTING && w.pid() > 0);
    assertEquals(7, running.statistics().getSum());
    assertEquals("steady", running.histogramId());
    ProcessHandle process = ProcessHandle.of(running.pid()).orElseThrow();

    assertTrue(supervisor.stop(PATIENCE), "stopped by itself");

    assertFalse(process.isAlive());
    assertEquals(List.of(), supervisor.workers());
    assertEquals(List.of(), published(), "the worker published its final histogram itself");
  }

  @Test
  void aKilledWorkerIsReplacedFromItsLastCheckpoint() {
    supervisor.assign(List.of(spec("steady", 0)));
    WorkerInfo first = awaitWorker(0, "counting", w -> w.state() == HistogramState.COUNTING);

    ProcessHandle.of(first.pid()).orElseThrow().destroyForcibly();

    WorkerInfo second = awaitWorker(0, "resumed", w -> w.statistics().getSum() == 1007);
    assertNotEquals(first.pid(), second.pid());
    assertEquals(1, second.restarts());
    assertEquals(HistogramState.COUNTING, second.state());
  }

  @Test
  void aWorkerThatExitsIsReplacedAndResetsStillReachTheNewOne() {
    supervisor.assign(List.of(spec("crash-on-reset", 0)));
    awaitWorker(0, "counting", w -> w.state() == HistogramState.COUNTING);

    supervisor.resetCounts();

    awaitWorker(0, "resumed", w -> w.statistics().getSum() == 1007 && w.restarts() == 1);
    supervisor.resetCounts();
    awaitWorker(0, "reset", w -> w.statistics().getSum() == 0);
  }

  @Test
  void aHistogramWhoseWorkerNeverStartsEndsInErrorWithTheReasonAndTheOthersCarryOn() {
    supervisor.assign(List.of(spec("never-starts", 0), spec("steady", 1)));

    Published error =
        Eventually.get("the ERROR histogram", PATIENCE, () -> published().stream().findFirst());
    assertEquals(HistogramState.ERROR, error.state());
    assertEquals("never-starts", error.spec().getId());
    assertTrue(error.errorMessage().contains("5 times"), error.errorMessage());
    assertTrue(error.errorMessage().contains("exit code 2"), error.errorMessage());
    assertTrue(error.errorMessage().contains("fake worker: cannot start"), error.errorMessage());

    WorkerInfo failed = awaitWorker(0, "given up", w -> w.state() == HistogramState.ERROR);
    assertEquals(4, failed.restarts());
    assertEquals(-1, failed.pid());
    assertEquals(error.errorMessage(), failed.errorMessage());
    WorkerInfo other = awaitWorker(1, "counting", w -> w.state() == HistogramState.COUNTING);
    assertEquals(0, other.restarts());
    assertTrue(ProcessHandle.of(other.pid()).map(ProcessHandle::isAlive).orElse(false));
    assertEquals(1, published().size());
  }

  @Test
  void aWorkerThatIgnoresStopIsKilledAfterTheTimeout() {
    supervisor.assign(List.of(spec("deaf", 0)));
    WorkerInfo running = awaitWorker(0, "counting", w -> w.state() == HistogramState.COUNTING);
    ProcessHandle process = ProcessHandle.of(running.pid()).orElseThrow();

    assertFalse(supervisor.stop(Duration.ofMillis(500)));

    assertFalse(process.isAlive());
  }

  @Test
  void aReadySpareTakesTheNextHistogramAndAnotherTakesItsPlace() {
    long spare = awaitSpare("a ready spare", pid -> true);

    supervisor.assign(List.of(spec("steady", 0)));

    WorkerInfo running = awaitWorker(0, "counting", w -> w.state() == HistogramState.COUNTING);
    assertEquals(spare, running.pid(), "the spare runs the histogram");
    long next = awaitSpare("another spare", pid -> pid != spare);
    assertTrue(ProcessHandle.of(next).map(ProcessHandle::isAlive).orElse(false));
  }

  @Test
  void aSpareThatDiesIsReplacedAndClosingEndsTheSpares() throws Exception {
    long first = awaitSpare("a ready spare", pid -> true);

    ProcessHandle.of(first).orElseThrow().destroyForcibly();

    long second = awaitSpare("a new spare", pid -> pid != first);
    ProcessHandle process = ProcessHandle.of(second).orElseThrow();
    supervisor.close();
    process.onExit().get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    assertFalse(process.isAlive());
    assertEquals(List.of(), supervisor.readySpares());
  }

  private long awaitSpare(String what, java.util.function.LongPredicate test) {
    return Eventually.get(
        what, PATIENCE, () -> supervisor.readySpares().stream().filter(test::test).findAny());
  }

  @Test
  void aProcessWithoutAValidKeyIsRefused() throws Exception {
    ManagedChannel channel =
        NettyChannelBuilder.forAddress("127.0.0.1", supervisor.port()).usePlaintext().build();
    try {
      CompletableFuture<Throwable> refusal = new CompletableFuture<>();
      StreamObserver<WorkerMessage> stream =
          WorkerSupervisorGrpc.newStub(channel)
              .attach(
                  new StreamObserver<ControllerMessage>() {
                    @Override
                    public void onNext(ControllerMessage message) {
                      refusal.completeExceptionally(new AssertionError("assigned: " + message));
                    }

                    @Override
                    public void onError(Throwable t) {
                      refusal.complete(t);
                    }

                    @Override
                    public void onCompleted() {
                      refusal.completeExceptionally(new AssertionError("completed"));
                    }
                  });
      stream.onNext(
          WorkerMessage.newBuilder().setHello(Hello.newBuilder().setWorkerKey("guessed")).build());
      Throwable error = refusal.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
      assertEquals(Status.Code.PERMISSION_DENIED, Status.fromThrowable(error).getCode());
    } finally {
      channel.shutdownNow();
    }
  }
}
