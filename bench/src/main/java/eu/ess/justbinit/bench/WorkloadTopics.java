package eu.ess.justbinit.bench;

import eu.ess.justbinit.testkit.EmbeddedKafka;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The bench's topics on the broker: the service's command, response and heartbeat topics, the
 * histogram and live topics, and one data topic per workload, produced once and kept with the
 * broker's directory. Called from the bench's main thread.
 */
final class WorkloadTopics {
  private WorkloadTopics() {}

  /** Creates what is missing: the workloads' topics and those of {@code scaling}. */
  static void prepare(EmbeddedKafka kafka, List<Workload> workloads, Workload scaling) {
    Set<String> existing = kafka.topics();
    for (String topic :
        List.of(
            Service.COMMAND_TOPIC,
            Service.RESPONSE_TOPIC,
            Service.HEARTBEAT_TOPIC,
            CatchUp.HISTOGRAM_TOPIC,
            LiveLatency.TOPIC)) {
      if (!existing.contains(topic)) {
        kafka.createTopic(topic, 1);
      }
    }
    List<Workload> all = new ArrayList<>(workloads);
    if (!all.contains(scaling)) {
      all.add(scaling);
    }
    for (Workload workload : all) {
      WorkloadProducer.Produced produced =
          WorkloadProducer.ensure(
              kafka, workload, new EventData(workload.eventsPerMessage(), workload.hashCode()));
      System.out.printf(
          "workload %s: %d messages, %.0f MB%s%n",
          workload.name(),
          workload.messages(),
          produced.bytes() / 1e6,
          produced.took().isZero()
              ? " (stored already)"
              : String.format(" produced in %.1f s", produced.took().toMillis() / 1e3));
    }
  }
}
