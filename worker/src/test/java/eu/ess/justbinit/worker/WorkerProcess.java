package eu.ess.justbinit.worker;

import eu.ess.justbinit.wire.rpc.WorkerContract;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A worker JVM started the way the controller starts one: classpath, address, key in env. */
final class WorkerProcess implements AutoCloseable {
  private final Process process;
  private final Path log;

  private WorkerProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  static WorkerProcess start(String controllerAddress) throws IOException {
    return start(command(controllerAddress));
  }

  /**
   * The command line of a worker JVM; the address comes last. When this JVM runs under JaCoCo, so
   * does the worker: what it executes counts towards the module's coverage.
   */
  static List<String> command(String controllerAddress) {
    List<String> command = new ArrayList<>(List.of(javaExecutable()));
    ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(argument -> argument.startsWith("-javaagent:") && argument.contains("jacoco"))
        .forEach(command::add);
    command.addAll(
        List.of(
            "-cp",
            classpath(),
            "-Xmx256m",
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            WorkerMain.class.getName(),
            WorkerContract.CONTROLLER_OPTION,
            controllerAddress));
    return command;
  }

  /** Runs {@code command}, which starts a worker, with the worker key in its environment. */
  static WorkerProcess start(List<String> command) throws IOException {
    Path log = Files.createTempFile("worker-", ".log");
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put(WorkerContract.KEY_VARIABLE, FakeController.KEY);
    builder.redirectErrorStream(true).redirectOutput(log.toFile());
    return new WorkerProcess(builder.start(), log);
  }

  static String javaExecutable() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  static String classpath() {
    String surefire = System.getProperty("surefire.test.class.path");
    return surefire != null && !surefire.isBlank()
        ? surefire
        : System.getProperty("java.class.path", "");
  }

  Process process() {
    return process;
  }

  /** The exit code, or fails when the worker is still running after {@code timeout}. */
  int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("The worker still runs after " + timeout + ":\n" + logText());
    }
    return process.exitValue();
  }

  String logText() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  /** Kills the worker (kill -9) if still alive, and removes its log. */
  @Override
  public void close() throws IOException {
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Files.deleteIfExists(log);
  }
}
