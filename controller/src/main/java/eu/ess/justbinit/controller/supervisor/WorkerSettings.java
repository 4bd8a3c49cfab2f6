package eu.ess.justbinit.controller.supervisor;

import eu.ess.justbinit.common.security.RedactedProperties;
import eu.ess.justbinit.wire.rpc.LogLevel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * What every worker of this controller is started and assigned with.
 *
 * @param mainClass the worker JVM's main class
 * @param jvmOptions extra options for the worker JVMs (e.g. -Xmx)
 * @param runDirectory where the workers' log files go
 * @param outputBrokers the controller's brokers, where histograms are published
 * @param kafkaSecurity security properties for every Kafka client of a worker; holds secrets, so
 *     never logged and never on a command line
 * @param publishInterval how often a worker publishes its histogram
 * @param logLevel the workers' log level
 * @param simulation workers make events instead of reading data topics
 * @param restartPolicy how crashed workers are restarted
 * @param spares how many worker JVMs are kept as spares for the next histograms
 * @param rehearsalTopic a topic of the output brokers with messages in it, which a spare reads a
 *     few of while it rehearses; empty for none
 * @param compression the producer compression of the histograms (a Kafka compression.type)
 * @param maxHeapMegabytes the most heap a worker is given, below what the machine can give; empty:
 *     what the machine can give
 */
public record WorkerSettings(
    String mainClass,
    List<String> jvmOptions,
    Path runDirectory,
    List<String> outputBrokers,
    Map<String, String> kafkaSecurity,
    Duration publishInterval,
    LogLevel logLevel,
    boolean simulation,
    RestartPolicy restartPolicy,
    SparePool spares,
    String rehearsalTopic,
    String compression,
    OptionalInt maxHeapMegabytes) {

  public WorkerSettings {
    jvmOptions = List.copyOf(jvmOptions);
    outputBrokers = List.copyOf(outputBrokers);
    // A copy that keeps hiding the password when the settings are logged.
    kafkaSecurity = new RedactedProperties(kafkaSecurity);
  }

  /** The most heap a worker is given, in MB: {@link #maxHeapMegabytes} or the machine's. */
  int mostHeapMegabytes() {
    return maxHeapMegabytes.orElseGet(WorkerHeap::machineMegabytes);
  }
}
