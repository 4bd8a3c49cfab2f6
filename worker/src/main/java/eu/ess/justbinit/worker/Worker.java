package eu.ess.justbinit.worker;

import eu.ess.justbinit.histogram.Binning;
import eu.ess.justbinit.histogram.Histogram;
import eu.ess.justbinit.histogram.HistogramState;
import eu.ess.justbinit.kafka.HistogramSink;
import eu.ess.justbinit.kafka.KafkaEventSource;
import eu.ess.justbinit.kafka.RecordSource;
import eu.ess.justbinit.rpc.Assignment;
import eu.ess.justbinit.rpc.HistogramSpec;
import eu.ess.justbinit.simulation.SimulatedEventSource;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

/** One assignment carried out: the histogram built or resumed, counted, published, finished. */
final class Worker {
  private static final Logger LOG = Logger.getLogger(Worker.class.getName());
  private static final long DEFAULT_PUBLISH_INTERVAL_MS = 500;

  /** How long the last histogram may take to reach the broker before the worker exits anyway. */
  private static final Duration LAST_PUBLISH_TIMEOUT = Duration.ofSeconds(5);

  private Worker() {}

  /**
   * Runs the assignment to its end.
   *
   * @return the final state; empty when the controller went away first
   */
  static Optional<HistogramState> run(ControllerLink link, Assignment assignment) {
    HistogramSpec spec = assignment.getSpec();
    Histogram histogram = Histogram.forSpec(spec);
    Binning binning = histogram.binning();
    long skippedMessages = 0;
    if (assignment.hasResumeFrom()) {
      histogram.restore(SupervisorMessages.snapshot(assignment.getResumeFrom(), binning));
      skippedMessages = assignment.getResumeFrom().getSkippedMessages();
      LOG.info(() -> "Resumed at " + assignment.getResumeFrom().getNextOffsetsList());
    }
    link.send(SupervisorMessages.layout(binning));

    String clientId = "just-bin-it-" + spec.getIndex() + "-" + ProcessHandle.current().pid();
    long boundaries = 0;
    for (double[] axis : binning.edges()) {
      boundaries += axis.length;
    }
    try (HistogramSink sink =
            HistogramSink.open(
                spec.getOutputTopic(),
                spec.getOutputSchema(),
                assignment.getOutputKafkaMap(),
                clientId,
                binning.size(),
                boundaries);
        RecordSource source = openSource(assignment, histogram, clientId)) {
      long publishIntervalMs =
          assignment.getPublishIntervalMs() > 0
              ? assignment.getPublishIntervalMs()
              : DEFAULT_PUBLISH_INTERVAL_MS;
      Optional<HistogramState> end =
          new WorkerLoop(spec, publishIntervalMs, source, histogram, sink, link, skippedMessages)
              .run();
      if (end.isPresent()) {
        sink.close(LAST_PUBLISH_TIMEOUT);
        link.send(SupervisorMessages.finished(end.get()));
      }
      return end;
    }
  }

  private static RecordSource openSource(
      Assignment assignment, Histogram histogram, String clientId) {
    HistogramSpec spec = assignment.getSpec();
    if (assignment.getSimulation()) {
      return new SimulatedEventSource(spec, System.nanoTime());
    }
    Map<String, String> dataKafka = new HashMap<>(assignment.getDataKafkaMap());
    dataKafka.putIfAbsent("bootstrap.servers", String.join(",", spec.getDataBrokersList()));
    KafkaEventSource source = KafkaEventSource.open(spec.getDataTopicsList(), dataKafka, clientId);
    if (assignment.hasResumeFrom()) {
      source.seekToCheckpoint(
          assignment.getResumeFrom().getNextOffsetsList(), spec.getStartOffsetsList());
    } else if (spec.hasStartMs()) {
      source.seekToTime(spec.getStartMs()).ifPresent(histogram::fail);
    } else {
      source.seekToOffsets(spec.getStartOffsetsList());
    }
    return source;
  }
}
