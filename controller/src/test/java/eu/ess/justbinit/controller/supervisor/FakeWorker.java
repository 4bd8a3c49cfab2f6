package eu.ess.justbinit.controller.supervisor;

import eu.ess.justbinit.wire.rpc.Assignment;
import eu.ess.justbinit.wire.rpc.Axis;
import eu.ess.justbinit.wire.rpc.Checkpoint;
import eu.ess.justbinit.wire.rpc.ControllerMessage;
import eu.ess.justbinit.wire.rpc.Finished;
import eu.ess.justbinit.wire.rpc.Hello;
import eu.ess.justbinit.wire.rpc.HistogramState;
import eu.ess.justbinit.wire.rpc.Layout;
import eu.ess.justbinit.wire.rpc.Rehearsed;
import eu.ess.justbinit.wire.rpc.Report;
import eu.ess.justbinit.wire.rpc.Statistics;
import eu.ess.justbinit.wire.rpc.WorkerContract;
import eu.ess.justbinit.wire.rpc.WorkerMessage;
import eu.ess.justbinit.wire.rpc.WorkerSupervisorGrpc;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CountDownLatch;

/**
 * A stand-in for the worker JVM that speaks the supervisor protocol and misbehaves as its
 * histogram's id asks:
 *
 * <ul>
 *   <li>{@code steady}: checkpoints and reports sum 7 when fresh; when resumed, the checkpoint's
 *       sum plus 1000 (so that a test sees what it resumed from); obeys stop (and then, as a real
 *       worker, waits for another histogram until the stream closes), and reset (sum 0);
 *   <li>{@code crash-on-reset}: steady, but exits with code 70 at a reset unless it was resumed;
 *   <li>{@code out-of-memory}: steady, but exits with code 3, as a JVM that ran out of heap, at a
 *       reset unless it was resumed;
 *   <li>{@code never-starts}: prints a line and exits with code 2 when assigned;
 *   <li>{@code fails-slowly}: sends its layout, works on its histogram for 2 s without reporting
 *       and exits with code 1, as a worker whose histogram is more than it can handle;
 *   <li>{@code deaf}: steady, but ignores stop.
 * </ul>
 */
public final class FakeWorker {
  /** What it prints when the controller ends its stream, before it exits by itself. */
  static final String STREAM_CLOSED = "The controller closed the stream";

  private static final CountDownLatch DONE = new CountDownLatch(1);
  private static StreamObserver<WorkerMessage> toController;
  private static String mode = "";
  private static boolean resumed;

  private FakeWorker() {}

  public static void main(String[] args) throws InterruptedException {
    String key = System.getenv(WorkerContract.KEY_VARIABLE);
    if (key == null || args.length != 2 || !args[0].equals(WorkerContract.CONTROLLER_OPTION)) {
      System.out.println("fake worker: bad arguments");
      System.exit(64);
    }
    ManagedChannel channel = NettyChannelBuilder.forTarget(args[1]).usePlaintext().build();
    toController =
        WorkerSupervisorGrpc.newStub(channel)
            .attach(
                new StreamObserver<>() {
                  @Override
                  public void onNext(ControllerMessage message) {
                    handle(message);
                  }

                  @Override
                  public void onError(Throwable t) {
                    DONE.countDown();
                  }

                  @Override
                  public void onCompleted() {
                    System.out.println(STREAM_CLOSED);
                    DONE.countDown();
                  }
                });
    send(
        WorkerMessage.newBuilder()
            .setHello(Hello.newBuilder().setWorkerKey(key).setPid(ProcessHandle.current().pid()))
            .build());
    DONE.await();
    System.exit(WorkerContract.EXIT_FINISHED);
  }

  private static synchronized void handle(ControllerMessage message) {
    switch (message.getBodyCase()) {
      case ASSIGNMENT -> assigned(message.getAssignment());
      case STANDBY -> {
        System.out.println("fake worker: standing by");
        send(WorkerMessage.newBuilder().setRehearsed(Rehearsed.getDefaultInstance()).build());
      }
      case STOP -> {
        if (!mode.equals("deaf")) {
          System.out.println("fake worker: stopping");
          send(
              WorkerMessage.newBuilder()
                  .setFinished(Finished.newBuilder().setState(HistogramState.FINISHED))
                  .build());
        }
      }
      case RESET_COUNTS -> {
        if (mode.equals("crash-on-reset") && !resumed) {
          System.out.println("fake worker: crashing on purpose");
          System.exit(70);
        }
        if (mode.equals("out-of-memory") && !resumed) {
          System.out.println("fake worker: out of heap");
          System.exit(WorkerContract.EXIT_OUT_OF_MEMORY);
        }
        report(0);
      }
      default -> System.out.println("fake worker: unexpected " + message.getBodyCase());
    }
  }

  private static void assigned(Assignment assignment) {
    mode = assignment.getSpec().getId();
    if (mode.equals("never-starts")) {
      System.out.println("fake worker: cannot start");
      System.exit(2);
    }
    if (mode.equals("fails-slowly")) {
      send(WorkerMessage.newBuilder().setLayout(Layout.newBuilder().addShape(0)).build());
      try {
        Thread.sleep(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      System.out.println("fake worker: gave up after 2 s");
      System.exit(1);
    }
    resumed = assignment.hasResumeFrom();
    System.out.println("fake worker " + ProcessHandle.current().pid() + " resumed=" + resumed);
    send(
        WorkerMessage.newBuilder()
            .setLayout(
                Layout.newBuilder()
                    .addShape(2)
                    .addEdges(Axis.newBuilder().addBoundaries(0).addBoundaries(1).addBoundaries(2)))
            .build());
    report(resumed ? assignment.getResumeFrom().getStatistics().getSum() + 1000 : 7);
  }

  /** Checkpoint first: once the controller saw the report, it holds the checkpoint too. */
  private static void report(long sum) {
    Statistics statistics = Statistics.newBuilder().setSum(sum).build();
    send(
        WorkerMessage.newBuilder()
            .setCheckpoint(
                Checkpoint.newBuilder()
                    .addCounts(sum)
                    .addCounts(0)
                    .setStatistics(statistics)
                    .setState(HistogramState.COUNTING))
            .build());
    send(
        WorkerMessage.newBuilder()
            .setReport(
                Report.newBuilder().setState(HistogramState.COUNTING).setStatistics(statistics))
            .build());
  }

  private static void send(WorkerMessage message) {
    toController.onNext(message);
  }
}
