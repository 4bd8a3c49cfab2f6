package eu.ess.justbinit.controller.supervisor;

import eu.ess.justbinit.common.logging.Unawaited;
import eu.ess.justbinit.wire.rpc.WorkerContract;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.IntSupplier;
import java.util.logging.Logger;

/**
 * Starts worker JVMs: the same java and classpath as this one, the configured JVM options, the
 * controller's loopback address as the only argument and a one-time key in the environment; with a
 * classpath of jars, the workers' shared class archive ({@link ClassArchive}). Called by the pool
 * under its lock; it keeps no state but its random source, which is thread-safe, and the class
 * archive, which locks itself and calls nothing that locks.
 */
final class WorkerLauncher {
  private static final Logger LOG = Logger.getLogger(WorkerLauncher.class.getName());

  /**
   * glibc's threshold above which a malloc gets pages of its own, given back at free. Left to
   * itself glibc raises it to the largest such block freed, so that the 8 MB socket buffer of each
   * new consumer thread then comes from its heap and stays there when freed: a worker that ran
   * eight histograms grew from 153 to 194 MB resident; with the threshold fixed, 150 MB
   * (docs/benchmarks-worker-memory.md).
   */
  private static final String MMAP_THRESHOLD_VARIABLE = "MALLOC_MMAP_THRESHOLD_";

  private static final String MMAP_THRESHOLD_BYTES = "131072";

  private final SecureRandom random = new SecureRandom();
  private final WorkerSettings settings;
  private final IntSupplier controllerPort;
  private final boolean fitsHeaps;
  private final Optional<ClassArchive> classArchive;

  /**
   * @param controllerPort the loopback port the workers dial, read at each launch
   */
  WorkerLauncher(WorkerSettings settings, IntSupplier controllerPort) throws IOException {
    this.settings = settings;
    this.controllerPort = controllerPort;
    this.fitsHeaps = !WorkerHeap.setBy(settings.jvmOptions());
    Files.createDirectories(settings.runDirectory());
    this.classArchive =
        ClassArchive.of(
            cacheDirectory().resolve("cds"),
            Runtime.version() + " " + System.getProperty("java.home"),
            settings.jvmOptions(),
            System.getProperty("java.class.path"));
  }

  /** $XDG_CACHE_HOME/just-bin-it, else ~/.cache/just-bin-it: kept from one start to the next. */
  static Path cacheDirectory() {
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path base =
        xdg == null || xdg.isBlank()
            ? Path.of(System.getProperty("user.home"), ".cache")
            : Path.of(xdg);
    return base.resolve("just-bin-it");
  }

  /**
   * Whether the workers get the heap limits they are launched with; false when the configured JVM
   * options set their own, which then serves every histogram.
   */
  boolean fitsHeaps() {
    return fitsHeaps;
  }

  /**
   * Starts one worker whose output is appended to {@code logName} in the run directory, with a heap
   * limit of {@code heapMegabytes} unless the configured JVM options set one.
   *
   * @throws IOException when the JVM cannot be started at all
   */
  WorkerProcess launch(String logName, int heapMegabytes) throws IOException {
    byte[] keyBytes = new byte[24];
    random.nextBytes(keyBytes);
    String key = HexFormat.of().formatHex(keyBytes);
    Path log = settings.runDirectory().resolve(logName);

    List<String> command = new ArrayList<>();
    command.add(javaCommand());
    if (fitsHeaps) {
      command.add("-Xmx" + heapMegabytes + "m");
      // Rather than limp on with a thread lost to it: the supervisor restarts the worker from its
      // last checkpoint with twice the heap.
      command.add("-XX:+ExitOnOutOfMemoryError");
    }
    command.addAll(settings.jvmOptions());
    Optional<ClassArchive.Launch> sharing = classArchive.map(a -> a.nextLaunch(logName));
    sharing.ifPresent(launch -> command.addAll(launch.options()));
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(settings.mainClass());
    command.add(WorkerContract.CONTROLLER_OPTION);
    command.add("127.0.0.1:" + controllerPort.getAsInt());

    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put(WorkerContract.KEY_VARIABLE, key);
    builder.environment().putIfAbsent(MMAP_THRESHOLD_VARIABLE, MMAP_THRESHOLD_BYTES);
    builder.redirectErrorStream(true);
    builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.redirectInput(ProcessBuilder.Redirect.from(nullDevice()));
    Process process = builder.start();
    sharing
        .flatMap(ClassArchive.Launch::writes)
        .ifPresent(
            file ->
                Unawaited.log(
                    process.onExit().thenRun(() -> classArchive.get().exited(file)),
                    LOG,
                    "keeping the class archive of worker " + process.pid()));
    return new WorkerProcess(key, process, log, heapMegabytes);
  }

  private static String javaCommand() {
    return ProcessHandle.current()
        .info()
        .command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  private static java.io.File nullDevice() {
    return new java.io.File(
        System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
  }
}
