package eu.ess.justbinit.worker;

import eu.ess.justbinit.common.logging.LogSetup;
import eu.ess.justbinit.wire.rpc.Assignment;
import eu.ess.justbinit.wire.rpc.ControllerMessage;
import eu.ess.justbinit.wire.rpc.HistogramSpec;
import eu.ess.justbinit.wire.rpc.HistogramState;
import eu.ess.justbinit.wire.rpc.LogLevel;
import eu.ess.justbinit.wire.rpc.Rehearsed;
import eu.ess.justbinit.wire.rpc.Standby;
import eu.ess.justbinit.wire.rpc.WorkerContract;
import eu.ess.justbinit.wire.rpc.WorkerMessage;
import eu.ess.justbinit.worker.engine.Worker;
import eu.ess.justbinit.worker.link.ControllerLink;
import eu.ess.justbinit.worker.link.ParentWatch;
import eu.ess.justbinit.worker.standby.Rehearsal;
import java.time.Duration;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A worker JVM: {@code --controller HOST:PORT}, and the worker key in the environment variable
 * {@value WorkerContract#KEY_VARIABLE} (keys, secrets and specs never stand on a command line). It
 * attaches to the controller and runs the histogram it is assigned; when that one ends, it waits
 * for the next, warm (its fetch path compiled, which a fresh JVM's is not), until the controller
 * lets it go by closing the stream. It exits, within 5 s, when the controller's stream closes or
 * its parent process is gone.
 *
 * <p>Threads (docs/architecture.md, "Threads" lists the worker's): the JVM's main thread runs all
 * of this, the rehearsal and each histogram's loop. The callback it gives the link runs on the
 * thread that found the controller gone (gRPC's, or {@code parent-watch}): it logs and starts the
 * daemon thread {@code halt-when-orphaned}, which halts the JVM 4 s later unless it has exited by
 * then; it shares no state with the main thread.
 */
public final class WorkerMain {
  private static final int DEFAULT_LOG_LEVEL = 3;
  private static final Logger LOG = Logger.getLogger(WorkerMain.class.getName());
  private static final Duration ASSIGNMENT_TIMEOUT = Duration.ofSeconds(30);

  /** Within 5 s of losing its controller a worker is gone, even if a Kafka call hangs. */
  private static final long HALT_AFTER_GONE_MS = 4000;

  private WorkerMain() {}

  public static void main(String[] args) {
    System.exit(run(args, System.getenv(WorkerContract.KEY_VARIABLE)));
  }

  static int run(String[] args, String workerKey) {
    long pid = ProcessHandle.current().pid();
    LogSetup.configure(DEFAULT_LOG_LEVEL, "worker " + pid);
    if (args.length != 2
        || !args[0].equals(WorkerContract.CONTROLLER_OPTION)
        || workerKey == null) {
      LOG.severe(
          "Usage: WorkerMain "
              + WorkerContract.CONTROLLER_OPTION
              + " HOST:PORT, with the key in "
              + WorkerContract.KEY_VARIABLE);
      return WorkerContract.EXIT_USAGE;
    }
    int colon = args[1].lastIndexOf(':');
    int port;
    try {
      port = Integer.parseInt(args[1].substring(colon + 1));
    } catch (NumberFormatException e) {
      LOG.severe("Not HOST:PORT: " + args[1]);
      return WorkerContract.EXIT_USAGE;
    }
    ControllerLink link =
        ControllerLink.dial(
            args[1].substring(0, Math.max(colon, 0)),
            port,
            reason -> {
              LOG.warning("Exiting: " + reason);
              haltLater();
            });
    ParentWatch.start(link);
    try {
      Optional<Assignment> assignment = firstAssignment(link, workerKey, pid);
      if (assignment.isEmpty()) {
        return WorkerContract.EXIT_CONTROLLER_GONE;
      }
      while (assignment.isPresent()) {
        HistogramSpec spec = assignment.get().getSpec();
        LogSetup.configure(logLevel(assignment.get().getLogLevel()), name(spec));
        Optional<HistogramState> end = Worker.run(link, assignment.get());
        if (end.isEmpty()) {
          return WorkerContract.EXIT_CONTROLLER_GONE;
        }
        LogSetup.configure(logLevel(assignment.get().getLogLevel()), "free " + pid);
        // It may wait for hours: the counts and fetches it no longer holds go back now.
        System.gc();
        LOG.info("Ready for another histogram");
        assignment = link.awaitAssignment();
      }
      return WorkerContract.EXIT_FINISHED;
    } catch (RuntimeException | Error e) {
      // An Error too (a histogram too large for the heap): the controller publishes our last log
      // line as the reason, so it must name the failure, not a stack frame.
      LOG.log(Level.SEVERE, "The worker failed", e);
      LOG.severe("The worker failed: " + e);
      return WorkerContract.EXIT_FAILED;
    } finally {
      link.close();
    }
  }

  /** The Assignment: the controller's answer to Hello, or, for a spare, what follows Standby. */
  private static Optional<Assignment> firstAssignment(
      ControllerLink link, String workerKey, long pid) {
    Optional<ControllerMessage> answer = link.attach(workerKey, pid, ASSIGNMENT_TIMEOUT);
    if (answer.isEmpty()) {
      return Optional.empty();
    }
    if (answer.get().hasAssignment()) {
      return link.awaitAssignment();
    }
    Standby standby = answer.get().getStandby();
    LogSetup.configure(logLevel(standby.getLogLevel()), "spare " + pid);
    if (Rehearsal.run(standby, "just-bin-it-spare-" + pid, link::assignmentWaiting)) {
      link.send(WorkerMessage.newBuilder().setRehearsed(Rehearsed.getDefaultInstance()).build());
      LOG.info("Ready");
    } else {
      LOG.info("Taken by a histogram while rehearsing: the rest of the rehearsal is skipped");
    }
    return link.awaitAssignment();
  }

  /** The original's -l: 1 debug ... 5 critical, warning unless said. */
  private static int logLevel(LogLevel level) {
    return level == LogLevel.LOG_LEVEL_UNSPECIFIED || level == LogLevel.UNRECOGNIZED
        ? DEFAULT_LOG_LEVEL
        : level.getNumber();
  }

  /** What log lines start with: the histogram's id, else its place in the config. */
  private static String name(HistogramSpec spec) {
    return spec.getId().isEmpty() ? "histogram " + spec.getIndex() : spec.getId();
  }

  private static void haltLater() {
    Thread halt =
        new Thread(
            () -> {
              try {
                Thread.sleep(HALT_AFTER_GONE_MS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              Runtime.getRuntime().halt(WorkerContract.EXIT_CONTROLLER_GONE);
            },
            "halt-when-orphaned");
    halt.setDaemon(true);
    halt.start();
  }
}
