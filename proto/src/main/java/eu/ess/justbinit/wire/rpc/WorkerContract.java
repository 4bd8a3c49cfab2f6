package eu.ess.justbinit.wire.rpc;

/**
 * How the controller starts a worker JVM and reads its end: the main class, its one argument, the
 * environment variable that carries its key, the gRPC message limit both ends of the {@code
 * WorkerSupervisor} stream set, and the worker's exit codes. Constants only; any thread may read
 * them.
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

  private WorkerContract() {}
}
