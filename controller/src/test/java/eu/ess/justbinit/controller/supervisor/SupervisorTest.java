package eu.ess.justbinit.controller.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import eu.ess.justbinit.testkit.Eventually;
import eu.ess.justbinit.testkit.ProcessLevel;
import eu.ess.justbinit.wire.rpc.Checkpoint;
import eu.ess.justbinit.wire.rpc.ControllerMessage;
import eu.ess.justbinit.wire.rpc.Hello;
import eu.ess.justbinit.wire.rpc.HistogramSpec;
import eu.ess.justbinit.wire.rpc.HistogramState;
import eu.ess.justbinit.wire.rpc.HistogramType;
import eu.ess.justbinit.wire.rpc.Layout;
import eu.ess.justbinit.wire.rpc.LogLevel;
import eu.ess.justbinit.wire.rpc.WorkerMessage;
import eu.ess.justbinit.wire.rpc.WorkerSupervisorGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@ProcessLevel
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
    supervisor = start(List.of("-Xmx64m", "-XX:TieredStopAtLevel=1"));
  }

  private Supervisor start(List<String> jvmOptions) throws IOException {
    return start(jvmOptions, SparePool.fixed(1));
  }

  private Supervisor start(List<String> jvmOptions, SparePool spares) throws IOException {
    WorkerSettings settings =
        new WorkerSettings(
            FakeWorker.class.getName(),
            jvmOptions,
            runDirectory,
            List.of("localhost:9092"),
            Map.of("security.protocol", "PLAINTEXT"),
            Duration.ofMillis(500),
            LogLevel.INFO,
            false,
            new RestartPolicy(
                Duration.ofMillis(100), Duration.ofSeconds(1), 5, Duration.ofSeconds(30)),
            spares,
            "",
            "none",
            OptionalInt.empty());
    return Supervisor.start(
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
  void aWorkerIsAssignedItsHistogramStopsWhenToldAndRunsTheNextOneAsASpare() {
    supervisor.assign(List.of(spec("steady", 0)));
    WorkerInfo running =
        awaitWorker(0, "counting", w -> w.state() == HistogramState.COUNTING && w.pid() > 0);
    assertEquals(7, running.statistics().getSum());
    assertEquals("steady", running.histogramId());

    assertTrue(supervisor.stop(PATIENCE), "stopped by itself");

    assertEquals(List.of(), supervisor.workers());
    assertEquals(List.of(), published(), "the worker published its final histogram itself");
    awaitSpare("the stopped worker, a spare again", pid -> pid == running.pid());
    supervisor.assign(List.of(spec("steady", 0)));
    WorkerInfo next =
        awaitWorker(0, "counting again", w -> w.state() == HistogramState.COUNTING && w.pid() > 0);
    assertEquals(running.pid(), next.pid(), "the worker that ran the last histogram");
    assertEquals(7, next.statistics().getSum(), "counting afresh");
  }

  private Map<String, WorkerInfo> awaitCounting(Set<String> ids) {
    return Eventually.get(
        ids + " counting",
        PATIENCE,
        () -> {
          List<WorkerInfo> workers = supervisor.workers();
          boolean all =
              workers.size() == ids.size()
                  && workers.stream()
                      .allMatch(
                          w ->
                              ids.contains(w.histogramId())
                                  && w.pid() > 0
                                  && w.state() == HistogramState.COUNTING);
          return all
              ? Optional.of(
                  workers.stream().collect(Collectors.toMap(WorkerInfo::histogramId, w -> w)))
              : Optional.empty();
        });
  }

  @Test
  void addedHistogramsRunSideBySideInTheLowestFreeSlotsAndAnIdAlreadyRunningReplacesOnlyIt()
      throws IOException {
    supervisor.close();
    supervisor = start(List.of("-Xmx64m", "-XX:TieredStopAtLevel=1"), new SparePool(1, 3));
    for (String id : List.of("a", "b", "c")) {
      assertTrue(supervisor.add(List.of(spec(id, 0)), PATIENCE));
    }
    Map<String, WorkerInfo> three = awaitCounting(Set.of("a", "b", "c"));
    assertEquals(
        List.of(0, 1, 2), Stream.of("a", "b", "c").map(id -> three.get(id).index()).toList());

    assertTrue(supervisor.has("b"));
    assertTrue(supervisor.stop("b", PATIENCE), "stopped by itself");
    assertFalse(supervisor.has("b"));
    assertEquals(List.of(), published(), "the worker published its final histogram itself");
    assertEquals(
        List.of("a", "c"), supervisor.workers().stream().map(WorkerInfo::histogramId).toList());

    // The fake worker reports 0 after a reset and 7 when it starts a histogram.
    supervisor.resetCounts("a");
    awaitWorker(0, "a reset", w -> w.statistics().getSum() == 0);
    assertEquals(7, awaitCounting(Set.of("a", "c")).get("c").statistics().getSum(), "c not reset");

    assertTrue(supervisor.add(List.of(spec("d", 0), spec("a", 1)), PATIENCE));
    Map<String, WorkerInfo> after =
        Eventually.get(
            "a new histogram a",
            PATIENCE,
            () ->
                Optional.of(awaitCounting(Set.of("a", "c", "d")))
                    .filter(workers -> workers.get("a").statistics().getSum() == 7));
    assertEquals(three.get("c").pid(), after.get("c").pid(), "c never noticed");
    assertEquals(0, after.get("c").restarts());
    assertEquals(1, after.get("d").index(), "the slot b left");
    assertEquals(0, after.get("a").index(), "the slot of the a it replaced");
    assertEquals(2, after.get("c").index());

    // Three histograms ran together: the pool keeps three spares from now on, where it kept one
    // (and at most one worker whose histogram ended) before.
    Eventually.await("three spares", Duration.ofSeconds(90), () -> supervisor.spares().size() >= 3);
  }

  @Test
  void aWorkerWhoseHistogramEndedIsTakenByOneOfItsKindAndAFreshSpareByAnother() {
    supervisor.assign(List.of(spec("steady", 0)));
    long hist1dWorker = awaitWorker(0, "counting", w -> w.state() == HistogramState.COUNTING).pid();
    assertTrue(supervisor.stop(PATIENCE), "stopped by itself");
    awaitSpare("the hist1d worker, a spare again", pid -> pid == hist1dWorker);
    long fresh = awaitSpare("a fresh spare beside it", pid -> pid != hist1dWorker);

    HistogramSpec roihist = spec("steady", 0).toBuilder().setType(HistogramType.ROIHIST).build();
    supervisor.assign(List.of(roihist, spec("steady", 1)));

    assertEquals(fresh, awaitWorker(0, "roihist counting", w -> w.pid() > 0).pid());
    assertEquals(hist1dWorker, awaitWorker(1, "hist1d counting", w -> w.pid() > 0).pid());
  }

  @Test
  void closingLetsAReadySpareExitByItself() throws IOException {
    long spare = awaitSpare("a spare", pid -> true);

    supervisor.close();

    assertFalse(ProcessHandle.of(spare).map(ProcessHandle::isAlive).orElse(false));
    // Not killed: it heard the stream end, as a JVM that is to write its JFR recording must.
    try (Stream<Path> logs = Files.walk(runDirectory)) {
      String text =
          logs.filter(log -> log.toString().endsWith(".log"))
              .map(SupervisorTest::read)
              .collect(Collectors.joining());
      assertTrue(text.contains(FakeWorker.STREAM_CLOSED), text);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void aStoppedWorkerThePoolHasNoRoomForExits() {
    supervisor.assign(List.of(spec("steady", 0), spec("steady", 1)));
    List<Long> pids =
        List.of(
            awaitWorker(0, "counting", w -> w.state() == HistogramState.COUNTING).pid(),
            awaitWorker(1, "counting", w -> w.state() == HistogramState.COUNTING).pid());

    assertTrue(supervisor.stop(PATIENCE), "stopped by themselves");

    Eventually.await(
        "one of the two kept, as the pool holds one, the other gone",
        PATIENCE,
        () ->
            supervisor.spares().stream().filter(pids::contains).count() == 1
                && pids.stream()
                        .filter(
                            pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                        .count()
                    == 1);
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
  void aHistogramWhoseWorkersFailSlowlyEndsInErrorAndTheOthersCarryOn() {
    supervisor.assign(List.of(spec("fails-slowly", 0), spec("steady", 1)));

    // Five starts of some 2 s each, and back-offs of at most 1 s: bounded, whatever the timing.
    Published error =
        Eventually.get(
            "the ERROR histogram", Duration.ofMinutes(2), () -> published().stream().findFirst());
    assertEquals(HistogramState.ERROR, error.state());
    assertEquals("fails-slowly", error.spec().getId());
    assertTrue(error.errorMessage().contains("5 times in a row"), error.errorMessage());
    assertTrue(error.errorMessage().contains("gave up after 2 s"), error.errorMessage());
    WorkerInfo failed = awaitWorker(0, "given up", w -> w.state() == HistogramState.ERROR);
    assertEquals(4, failed.restarts());
    WorkerInfo other = awaitWorker(1, "counting", w -> w.state() == HistogramState.COUNTING);
    assertEquals(0, other.restarts());
    assertEquals(7, other.statistics().getSum());
    assertEquals(1, published().size());
  }

  @Test
  void aHistogramNeedingMoreHeapThanTheMachineHasIsUnfitAndNoWorkerGetsMoreThanThat()
      throws Exception {
    supervisor.close();
    supervisor = start(List.of("-XX:TieredStopAtLevel=1"));
    HistogramSpec huge =
        spec("steady", 3).toBuilder()
            .setType(HistogramType.DETHIST)
            .setWidth(40_000)
            .setHeight(40_000)
            .build();
    assumeTrue(WorkerHeap.megabytesFor(huge) > WorkerHeap.machineMegabytes(), "a smaller machine");

    String why = supervisor.unfit(List.of(spec("steady", 0), huge)).orElseThrow();

    assertTrue(
        why.startsWith("histograms[3]: 1600080002 bins and edges need a worker heap of "), why);
    assertTrue(why.endsWith(" MB this machine can give a worker"), why);
    assertEquals(Optional.empty(), supervisor.unfit(List.of(spec("steady", 0))));
    // Started anyway (a test), its worker gets what the machine can give and no more.
    supervisor.assign(List.of(huge));
    WorkerInfo running = awaitWorker(0, "counting", w -> w.state() == HistogramState.COUNTING);
    assertEquals("-Xmx" + WorkerHeap.machineMegabytes() + "m", heapOption(running.pid()));
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
    long spare = awaitSpare("a spare", pid -> true);

    supervisor.assign(List.of(spec("steady", 0)));

    WorkerInfo running = awaitWorker(0, "counting", w -> w.state() == HistogramState.COUNTING);
    assertEquals(spare, running.pid(), "the spare runs the histogram");
    long next = awaitSpare("another spare", pid -> pid != spare);
    assertTrue(ProcessHandle.of(next).map(ProcessHandle::isAlive).orElse(false));
  }

  @Test
  void aHistogramAssignedWhileTheSpareStartsRunsOnThatSpareRatherThanAJvmOfItsOwn() {
    // Just started: the one JVM below the supervisor is the first spare, starting.
    List<Long> starting = ProcessHandle.current().children().map(ProcessHandle::pid).toList();
    assertEquals(1, starting.size(), "one spare starting: " + starting);

    supervisor.assign(List.of(spec("steady", 0)));

    WorkerInfo running = awaitWorker(0, "counting", w -> w.state() == HistogramState.COUNTING);
    assertEquals(starting.get(0), running.pid(), "the spare that was starting runs it");
    assertEquals(7, running.statistics().getSum());
  }

  @Test
  void aSpareThatDiesIsReplacedAndClosingEndsTheSpares() throws Exception {
    long first = awaitSpare("a spare", pid -> true);

    ProcessHandle.of(first).orElseThrow().destroyForcibly();

    long second = awaitSpare("a new spare", pid -> pid != first);
    ProcessHandle process = ProcessHandle.of(second).orElseThrow();
    supervisor.close();
    process.onExit().get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    assertFalse(process.isAlive());
    assertEquals(List.of(), supervisor.spares());
  }

  @Test
  void aConfigOfMoreHistogramsThanSparesGrowsThePoolForTheNextOne() throws Exception {
    supervisor.close();
    supervisor = start(List.of("-Xmx64m", "-XX:TieredStopAtLevel=1"), new SparePool(1, 2));
    long spare = awaitSpare("a spare", pid -> true);

    supervisor.assign(List.of(spec("steady", 0), spec("steady", 1), spec("steady", 2)));

    List<Long> running =
        List.of(
            awaitWorker(0, "counting", w -> w.state() == HistogramState.COUNTING).pid(),
            awaitWorker(1, "counting", w -> w.state() == HistogramState.COUNTING).pid(),
            awaitWorker(2, "counting", w -> w.state() == HistogramState.COUNTING).pid());
    assertTrue(running.contains(spare), "the spare runs one of them");
    Eventually.await("two spares", PATIENCE, () -> supervisor.spares().size() == 2);
    assertTrue(
        supervisor.spares().stream().noneMatch(running::contains),
        "spares of their own: " + supervisor.spares() + ", running " + running);
  }

  @Test
  void sparesStartOneAtATime() throws Exception {
    supervisor.close();
    // Workers of earlier tests may still be on their way out.
    Set<Long> before =
        ProcessHandle.current().children().map(ProcessHandle::pid).collect(Collectors.toSet());
    supervisor = start(List.of("-Xmx64m", "-XX:TieredStopAtLevel=1"), SparePool.fixed(3));
    int[] mostOnTheirWay = {0};

    Eventually.await(
        "three spares",
        PATIENCE,
        () -> {
          int ready = supervisor.spares().size();
          long alive =
              ProcessHandle.current()
                  .children()
                  .filter(child -> !before.contains(child.pid()) && child.isAlive())
                  .count();
          mostOnTheirWay[0] = Math.max(mostOnTheirWay[0], (int) alive - ready);
          return ready == 3;
        });

    assertEquals(1, mostOnTheirWay[0], "spares started or rehearsing at once");
  }

  @Test
  void theControllerFitsEachWorkersHeapToItsHistogramAndASpareTakesOnlyThoseThatFit()
      throws Exception {
    supervisor.close();
    supervisor = start(List.of("-XX:TieredStopAtLevel=1"));
    long spare = awaitSpare("a spare", pid -> true);
    assertEquals("-Xmx" + WorkerHeap.spareMegabytes() + "m", heapOption(spare));
    // 2,000,000 bins and 2,000,001 edges at 96 bytes: 48 + 367 MB, more than a spare's 52.
    HistogramSpec large = spec("steady", 0).toBuilder().setTofBins(2_000_000).build();

    supervisor.assign(List.of(large));

    WorkerInfo running = awaitWorker(0, "counting", w -> w.state() == HistogramState.COUNTING);
    assertNotEquals(spare, running.pid(), "a JVM of its own");
    assertEquals("-Xmx415m", heapOption(running.pid()));
    assertEquals(List.of(spare), supervisor.spares(), "the spare still waits");
  }

  @Test
  void aWorkerThatRunsOutOfHeapIsRestartedFromItsCheckpointWithTwiceTheHeap() throws Exception {
    supervisor.close();
    supervisor = start(List.of("-XX:TieredStopAtLevel=1"));
    long spare = awaitSpare("a spare", pid -> true);

    supervisor.assign(List.of(spec("out-of-memory", 0)));
    // Counting: the controller holds the checkpoint to resume from.
    awaitWorker(0, "counting", w -> w.state() == HistogramState.COUNTING);

    supervisor.resetCounts();

    WorkerInfo resumed = awaitWorker(0, "resumed", w -> w.statistics().getSum() == 1007);
    assertNotEquals(spare, resumed.pid());
    assertEquals(1, resumed.restarts());
    assertEquals("-Xmx" + 2 * WorkerHeap.spareMegabytes() + "m", heapOption(resumed.pid()));
  }

  /**
   * The -Xmx option a worker JVM was started with, from Linux's /proc (ProcessHandle's arguments
   * are empty for command lines as long as a worker's).
   */
  private static String heapOption(long pid) throws IOException {
    Path commandLine = Path.of("/proc", Long.toString(pid), "cmdline");
    assumeTrue(Files.exists(commandLine), "needs /proc");
    return Arrays.stream(Files.readString(commandLine).split("\0"))
        .filter(a -> a.startsWith("-Xmx"))
        .findFirst()
        .orElse("none");
  }

  private long awaitSpare(String what, java.util.function.LongPredicate test) {
    return Eventually.get(
        what, PATIENCE, () -> supervisor.spares().stream().filter(test::test).findAny());
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
