package eu.ess.justbinit.controller.supervisor;

import eu.ess.justbinit.wire.rpc.Assignment;
import eu.ess.justbinit.wire.rpc.ControllerMessage;
import eu.ess.justbinit.wire.rpc.HistogramSpec;
import eu.ess.justbinit.wire.rpc.Standby;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The Standby and Assignment messages this controller sends its workers, built from its {@link
 * WorkerSettings}. Immutable; any thread may call it.
 */
final class WorkerMessages {
  private final WorkerSettings settings;

  WorkerMessages(WorkerSettings settings) {
    this.settings = settings;
  }

  /** Tells a fresh spare to rehearse. */
  ControllerMessage standby() {
    return ControllerMessage.newBuilder()
        .setStandby(
            Standby.newBuilder()
                .putAllOutputKafka(outputKafka())
                .setLogLevel(settings.logLevel())
                .setRehearsalTopic(settings.rehearsalTopic()))
        .build();
  }

  /** {@code spec}'s Assignment, without the checkpoint to resume from. */
  Assignment.Builder assignment(HistogramSpec spec) {
    return Assignment.newBuilder()
        .setSpec(spec)
        .putAllDataKafka(kafka(spec.getDataBrokersList()))
        .putAllOutputKafka(outputKafka())
        .setPublishIntervalMs(settings.publishInterval().toMillis())
        .setLogLevel(settings.logLevel())
        .setSimulation(settings.simulation())
        .setCompression(settings.compression());
  }

  /** The Kafka client properties of the output brokers, security included. */
  private Map<String, String> outputKafka() {
    return kafka(settings.outputBrokers());
  }

  private Map<String, String> kafka(List<String> brokers) {
    Map<String, String> properties = new HashMap<>(settings.kafkaSecurity());
    properties.put("bootstrap.servers", String.join(",", brokers));
    return properties;
  }
}
