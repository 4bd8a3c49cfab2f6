package eu.ess.justbinit.controller.service;

import eu.ess.justbinit.controller.supervisor.SparePool;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Everything the controller needs to run, validated: what the command line and the config file
 * said, merged.
 *
 * @param brokers the controller's brokers (command, response, heartbeat and output topics)
 * @param configTopic where commands arrive
 * @param heartbeatTopic where the heartbeat goes, if any
 * @param heartbeatFormat x5f2 (what NICOS reads) or the original's JSON
 * @param responseTopic where ACK/ERR responses go, if any
 * @param graphite where statistics go, if any
 * @param simulation workers make events instead of reading data topics
 * @param logLevel 1 debug ... 5 critical
 * @param kafkaSecurity kafka-clients properties for security (security.protocol, sasl.*, ssl.*);
 *     holds the password, so never log it
 * @param publishInterval how often each worker publishes its histogram
 * @param workerJvmOptions extra options for the worker JVMs (e.g. -Xmx)
 * @param spares how many worker JVMs are kept started and ready for the next histograms
 * @param workerLogs where the controller makes the directory of its workers' log files
 * @param configMode whether a config replaces the running histograms or adds to them
 * @param stateDir where each running histogram's spec and latest checkpoint are kept, so that a
 *     controller started again resumes them; none: nothing is kept
 * @param compression the producer compression of the histograms (a Kafka compression.type)
 * @param maxWorkerHeapMegabytes the most heap a worker is given, at most what the machine can give;
 *     empty: what the machine can give
 */
public record ControllerSettings(
    List<String> brokers,
    String configTopic,
    Optional<String> heartbeatTopic,
    HeartbeatFormat heartbeatFormat,
    Optional<String> responseTopic,
    Optional<GraphiteSettings> graphite,
    boolean simulation,
    int logLevel,
    Map<String, String> kafkaSecurity,
    Duration publishInterval,
    List<String> workerJvmOptions,
    SparePool spares,
    Path workerLogs,
    ConfigMode configMode,
    Optional<Path> stateDir,
    String compression,
    OptionalInt maxWorkerHeapMegabytes) {

  /** What --compression is when not given: see docs/sizes.md for the measurement. */
  public static final String DEFAULT_COMPRESSION = "lz4";

  /** The Kafka compression types a producer takes. */
  public static final List<String> COMPRESSIONS = List.of("none", "gzip", "snappy", "lz4", "zstd");

  /**
   * Settings in which each config replaces the running histograms, as the original's do, nothing is
   * kept across restarts, the histograms are compressed as by default and the workers' heap is
   * bounded only by the machine.
   */
  public ControllerSettings(
      List<String> brokers,
      String configTopic,
      Optional<String> heartbeatTopic,
      HeartbeatFormat heartbeatFormat,
      Optional<String> responseTopic,
      Optional<GraphiteSettings> graphite,
      boolean simulation,
      int logLevel,
      Map<String, String> kafkaSecurity,
      Duration publishInterval,
      List<String> workerJvmOptions,
      SparePool spares,
      Path workerLogs) {
    this(
        brokers,
        configTopic,
        heartbeatTopic,
        heartbeatFormat,
        responseTopic,
        graphite,
        simulation,
        logLevel,
        kafkaSecurity,
        publishInterval,
        workerJvmOptions,
        spares,
        workerLogs,
        ConfigMode.REPLACE,
        Optional.empty(),
        DEFAULT_COMPRESSION,
        OptionalInt.empty());
  }

  /** These settings with another config mode. */
  public ControllerSettings withConfigMode(ConfigMode mode) {
    return copy(
        publishInterval, workerJvmOptions, mode, stateDir, compression, maxWorkerHeapMegabytes);
  }

  /** These settings, keeping the histograms' state in {@code directory}. */
  public ControllerSettings withStateDir(Path directory) {
    return copy(
        publishInterval,
        workerJvmOptions,
        configMode,
        Optional.of(directory),
        compression,
        maxWorkerHeapMegabytes);
  }

  /** These settings with the histograms compressed with {@code type}. */
  public ControllerSettings withCompression(String type) {
    return copy(
        publishInterval, workerJvmOptions, configMode, stateDir, type, maxWorkerHeapMegabytes);
  }

  /** These settings with no worker given more than {@code megabytes} of heap. */
  public ControllerSettings withMaxWorkerHeap(int megabytes) {
    return copy(
        publishInterval,
        workerJvmOptions,
        configMode,
        stateDir,
        compression,
        OptionalInt.of(megabytes));
  }

  /**
   * These settings with workers that publish every {@code interval}, started with {@code
   * jvmOptions}.
   */
  public ControllerSettings withWorkers(Duration interval, List<String> jvmOptions) {
    return copy(interval, jvmOptions, configMode, stateDir, compression, maxWorkerHeapMegabytes);
  }

  /** The one place the withers list every component: what they may change, and the rest kept. */
  private ControllerSettings copy(
      Duration interval,
      List<String> jvmOptions,
      ConfigMode mode,
      Optional<Path> directory,
      String type,
      OptionalInt maxHeap) {
    return new ControllerSettings(
        brokers,
        configTopic,
        heartbeatTopic,
        heartbeatFormat,
        responseTopic,
        graphite,
        simulation,
        logLevel,
        kafkaSecurity,
        interval,
        jvmOptions,
        spares,
        workerLogs,
        mode,
        directory,
        type,
        maxHeap);
  }

  /** What a config does to the histograms running when it comes. */
  public enum ConfigMode {
    /** They stop, and the config's histograms run instead (the original; ESS's NICOS). */
    REPLACE,
    /**
     * They go on beside the config's, except one with the id of one of the config's, which it
     * replaces (SINQ's NICOS, a client per histogram).
     */
    ADD
  }

  /** The form of the heartbeat. */
  public enum HeartbeatFormat {
    X5F2,
    JSON
  }

  /**
   * The Graphite server and names, from the {@code -g} file.
   *
   * @param metric base name of each histogram's metrics; the indices are appended
   */
  public record GraphiteSettings(String address, int port, String prefix, String metric) {}
}
