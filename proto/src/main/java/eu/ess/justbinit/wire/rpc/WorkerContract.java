package eu.ess.justbinit.wire.rpc;

/**
 * How the controller starts a worker JVM and reads its end: the main class, its one argument, the
 * JVM options it starts workers with by default, the environment variable that carries its key, the
 * gRPC message limit both ends of the {@code WorkerSupervisor} stream set, and the worker's exit
 * codes. Constants only; any thread may read them.
 */
public final class WorkerContract {
  /** The main class of the worker JVM. */
  public static final String MAIN_CLASS = "eu.ess.justbinit.worker.WorkerMain";

  /** The worker's only option; its value is the controller's {@code HOST:PORT}. */
  public static final String CONTROLLER_OPTION = "--controller";

  /** The environment variable the worker finds its one-time key in (never the command line). */
  public static final String KEY_VARIABLE = "JBI_WORKER_KEY";

  /**
   * The largest gRPC message either end accepts. Checkpoints and assignments carry whole
   * histograms: 4096 x 4096 int64 counts are 134 MB, far above gRPC's 4 MB default.
   */
  public static final int MAX_MESSAGE_BYTES = 1 << 30;

  /**
   * The last histogram ended (FINISHED or ERROR), the controller was told and let the worker go.
   */
  public static final int EXIT_FINISHED = 0;

  /** Something unexpected: the controller may try again. */
  public static final int EXIT_FAILED = 1;

  /** Wrong arguments or no key. */
  public static final int EXIT_USAGE = 2;

  /**
   * The JVM's own when -XX:+ExitOnOutOfMemoryError, which the controller starts workers with, ends
   * one: the controller then restarts the worker with twice the heap.
   */
  public static final int EXIT_OUT_OF_MEMORY = 3;

  /** The controller went away. */
  public static final int EXIT_CONTROLLER_GONE = 4;

  /**
   * The options of a worker's JVM unless the user gives others: sized for one histogram on about
   * one core (the measurements behind each choice: docs/benchmarks-worker-memory.md and
   * docs/benchmarks-e2e-device-heap.md).
   *
   * <ul>
   *   <li>G1 frees the 8 MB fetch buffers at the next young collection; GCTimeRatio=4 lets it
   *       collect rather than grow the heap, and the free ratios let it give memory back.
   *   <li>-Xms32m leaves room for a few fetches from the start, so the first ones do not grow the
   *       heap.
   *   <li>Marking from 90 % full: in so small a heap every fetch is a humongous object, and marking
   *       at G1's usual occupancy would start a cycle for every fetch, for nothing.
   *   <li>Two collector and two compiler threads, not the machine's share, keep the JVM small.
   *   <li>C2 takes a method only after ten times the usual calls: the loops that count events get
   *       there within a few messages, while code run once per message stays C1-compiled and the
   *       compiler does not take a core from the reading.
   * </ul>
   */
  public static final String DEFAULT_JVM_OPTIONS =
      "-XX:+UseG1GC -Xms32m -XX:GCTimeRatio=4 -XX:MaxHeapFreeRatio=30 -XX:MinHeapFreeRatio=10"
          + " -XX:-G1UseAdaptiveIHOP -XX:InitiatingHeapOccupancyPercent=90"
          + " -XX:ParallelGCThreads=2 -XX:ConcGCThreads=1 -XX:CICompilerCount=2"
          + " -XX:Tier4InvocationThreshold=50000 -XX:Tier4MinInvocationThreshold=6000"
          + " -XX:Tier4CompileThreshold=150000 -XX:Tier4BackEdgeThreshold=400000";

  private WorkerContract() {}
}
