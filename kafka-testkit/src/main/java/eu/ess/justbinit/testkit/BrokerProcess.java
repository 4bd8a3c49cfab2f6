package eu.ess.justbinit.testkit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/**
 * The child JVM that runs an embedded broker in its directory: its launch, the waits for it to
 * answer, and its end, so that it never outlives the JVM that started it. Its owner serialises
 * {@link #launch}, the waits and {@link #stop}; {@link #kill}, {@link #isAlive} and the other
 * queries take no lock and may be called from any thread, the shutdown hook included.
 */
final class BrokerProcess {
  private static final Logger LOG = Logger.getLogger(BrokerProcess.class.getName());
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration KILL_GRACE = Duration.ofSeconds(10);
  private static final Duration POLL_INTERVAL = Duration.ofMillis(50);
  // -Xms32m: the default initial heap (1/64 of the machine's memory) lets start-up garbage fill
  // hundreds of MB before the first collection; with it the broker stays near 170 MB RSS.
  private static final List<String> JVM_OPTIONS =
      List.of("-Xms32m", "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
  private static final int LOG_TAIL_LINES = 40;

  private final Path dir;
  private volatile Process process;

  BrokerProcess(Path dir) {
    this.dir = dir;
  }

  /** Writes the broker's files into its directory and starts its JVM; returns without waiting. */
  void launch(Map<String, String> serverProperties, String clusterId) throws IOException {
    Path properties = BrokerFiles.write(dir, serverProperties);
    Path jvmArgs = BrokerFiles.writeJvmArgs(dir, JVM_OPTIONS, brokerClasspath());
    ProcessBuilder builder =
        new ProcessBuilder(
                javaExecutable(),
                "@" + jvmArgs,
                BrokerMain.class.getName(),
                properties.toString(),
                clusterId)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(BrokerFiles.console(dir).toFile()));
    // stdin stays a pipe that only this JVM holds: its end of file tells the child to exit.
    process = builder.start();
  }

  /** Waits until the broker accepts connections on {@code port}. */
  void awaitPort(int port) {
    pollUntil(
        "the broker's port",
        () -> {
          try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1_000);
          }
        });
  }

  /** Waits for an admin client's answer; a fresh client connects at once once the port is open. */
  void awaitAnswer(Admin client, String what) {
    pollUntil(
        what,
        () -> {
          try {
            client.describeCluster(new DescribeClusterOptions().timeoutMs(1_000)).nodes().get();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + what, e);
          }
        });
  }

  /** Stops the broker cleanly (SIGTERM, then SIGKILL after 30 s). */
  void stop() {
    Process running = process;
    if (running == null) {
      return;
    }
    running.destroy();
    try {
      if (!running.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warning("the broker did not stop within " + STOP_TIMEOUT + ": killing it");
        running.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      running.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    process = null;
  }

  /**
   * Stops the broker, cleanly if it manages within {@link #KILL_GRACE}. For the shutdown hook and
   * failed starts: takes no lock, since the thread holding it may never return.
   */
  void kill() {
    Process running = process;
    if (running != null) {
      running.destroy();
      try {
        if (!running.waitFor(KILL_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
          running.destroyForcibly().waitFor(KILL_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        }
      } catch (InterruptedException e) {
        running.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }

  boolean isAlive() {
    Process running = process;
    return running != null && running.isAlive();
  }

  /** The broker JVM's process id. */
  long pid() {
    Process running = process;
    if (running == null) {
      throw new IllegalStateException("the broker is not running");
    }
    return running.pid();
  }

  /** Completes when the broker JVM exits. */
  CompletableFuture<Process> onExit() {
    Process running = process;
    if (running == null) {
      throw new IllegalStateException("the broker is not running");
    }
    return running.onExit();
  }

  /** The last lines the broker logged, for failure messages. */
  String logTail() {
    return BrokerFiles.tail(dir, LOG_TAIL_LINES);
  }

  /** Polls {@code probe} until it passes; fails when the broker dies or START_TIMEOUT passes. */
  private void pollUntil(String what, Probe probe) {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    Exception last = null;
    while (System.nanoTime() < deadline) {
      Process running = process;
      if (!running.isAlive()) {
        throw new IllegalStateException(
            "the broker exited with status " + running.exitValue() + ":\n" + logTail());
      }
      try {
        probe.check();
        return;
      } catch (IOException | ExecutionException e) {
        last = e;
      }
      try {
        // Waits for the poll interval, or less when the broker dies meanwhile.
        running.waitFor(POLL_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for " + what, e);
      }
    }
    kill();
    throw new IllegalStateException(
        what + " did not answer within " + START_TIMEOUT + " (last: " + last + "):\n" + logTail());
  }

  /** A readiness check: returns when ready, throws while not yet. */
  @FunctionalInterface
  private interface Probe {
    void check() throws IOException, ExecutionException;
  }

  private static String brokerClasspath() {
    return ChildClasspath.forBroker(ChildClasspath.current());
  }

  private static String javaExecutable() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
