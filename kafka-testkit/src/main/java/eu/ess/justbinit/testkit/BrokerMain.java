package eu.ess.justbinit.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Main class of the broker's child JVM: formats the KRaft storage unless it already is, then runs
 * {@code kafka.Kafka}. It exits when its parent is gone (its stdin, a pipe the parent holds,
 * reaches end of file, or its parent process changes), so that no broker outlives the JVM that
 * started it, even after kill -9.
 *
 * <p>Arguments: {@code SERVER_PROPERTIES CLUSTER_ID}.
 */
public final class BrokerMain {
  private static final long PARENT_POLL_MS = 500;
  private static final long HALT_AFTER_MS = 10_000;

  private BrokerMain() {}

  public static void main(String[] args) {
    if (args.length != 2) {
      System.err.println("usage: BrokerMain SERVER_PROPERTIES CLUSTER_ID");
      System.exit(2);
    }
    watchParent();
    String[] format = {"format", "-t", args[1], "-c", args[0], "--ignore-formatted"};
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    int formatted = kafka.tools.StorageTool.execute(format, out);
    if (formatted != 0) {
      System.err.println("formatting the storage failed with status " + formatted);
      System.exit(formatted);
    }
    kafka.Kafka.main(new String[] {args[0]});
  }

  private static void watchParent() {
    Optional<ProcessHandle> parent = ProcessHandle.current().parent();
    long parentPid = parent.map(ProcessHandle::pid).orElse(-1L);
    daemon(
        "stdin-watchdog",
        () -> {
          drain(System.in);
          exit("stdin closed: the parent JVM is gone");
        });
    daemon(
        "parent-watchdog",
        () -> {
          while (true) {
            Optional<ProcessHandle> now = ProcessHandle.current().parent();
            // An orphan is adopted by init or a subreaper: a different parent means ours died.
            if (now.isEmpty() || now.get().pid() != parentPid || !now.get().isAlive()) {
              exit("parent process " + parentPid + " is gone");
            }
            try {
              TimeUnit.MILLISECONDS.sleep(PARENT_POLL_MS);
            } catch (InterruptedException e) {
              return;
            }
          }
        });
  }

  private static void drain(InputStream in) {
    byte[] buffer = new byte[256];
    try {
      while (in.read(buffer) >= 0) {
        // Nothing is ever sent: the pipe only signals the parent's life.
      }
    } catch (IOException e) {
      // A broken pipe means the same as end of file.
    }
  }

  private static void exit(String why) {
    System.err.println("BrokerMain exiting: " + why);
    // The broker's own shutdown hook stops it cleanly; halt if that hangs.
    daemon(
        "halt-timer",
        () -> {
          try {
            TimeUnit.MILLISECONDS.sleep(HALT_AFTER_MS);
          } catch (InterruptedException e) {
            return;
          }
          Runtime.getRuntime().halt(1);
        });
    System.exit(1);
  }

  private static void daemon(String name, Runnable body) {
    Thread thread = new Thread(body, name);
    thread.setDaemon(true);
    thread.start();
  }
}
