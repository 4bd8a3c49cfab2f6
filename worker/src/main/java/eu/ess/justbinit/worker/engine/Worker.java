package eu.ess.justbinit.worker.engine;

import eu.ess.justbinit.common.logging.Unawaited;
import eu.ess.justbinit.wire.rpc.Assignment;
import eu.ess.justbinit.wire.rpc.HistogramSpec;
import eu.ess.justbinit.wire.rpc.HistogramState;
import eu.ess.justbinit.worker.histogram.Binning;
import eu.ess.justbinit.worker.histogram.Histogram;
import eu.ess.justbinit.worker.io.HistogramSink;
import eu.ess.justbinit.worker.io.KafkaEventSource;
import eu.ess.justbinit.worker.io.RecordSource;
import eu.ess.justbinit.worker.io.SimulatedEventSource;
import eu.ess.justbinit.worker.link.ControllerLink;
import eu.ess.justbinit.worker.link.SupervisorMessages;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.logging.Logger;

/**
 * One assignment carried out: the histogram built or resumed, counted, published, finished.
 *
 * <p>Threads (docs/architecture.md, "Threads"): called on the worker's main thread, which then runs
 * the loop. The event source is opened on a thread of the common pool meanwhile and reaches the
 * main thread through its future; a source the loop never takes is closed by that future's
 * continuation, which logs how the opening or the closing failed.
 */
public final class Worker {
  private static final Logger LOG = Logger.getLogger(Worker.class.getName());
  private static final long DEFAULT_PUBLISH_INTERVAL_MS = 500;

  /** How long the last histogram may take to reach the broker before the worker says Finished. */
  private static final Duration LAST_PUBLISH_TIMEOUT = Duration.ofSeconds(5);

  private Worker() {}

  /**
   * Runs the assignment to its end.
   *
   * @return the final state; empty when the controller went away first
   */
  public static Optional<HistogramState> run(ControllerLink link, Assignment assignment) {
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
    // The consumer connects, finds its positions and sends its first fetch while the first
    // histogram goes out.
    CompletableFuture<OpenedSource> opening =
        CompletableFuture.supplyAsync(() -> openSource(assignment, clientId));
    HistogramSink sink;
    try {
      sink =
          HistogramSink.open(
              spec,
              assignment.getOutputKafkaMap(),
              clientId,
              binning.size(),
              boundaries,
              assignment.getCompression());
    } catch (RuntimeException | Error e) {
      closeWhenOpened(opening, "whose sink failed");
      throw e;
    }
    try (sink) {
      long publishIntervalMs =
          assignment.getPublishIntervalMs() > 0
              ? assignment.getPublishIntervalMs()
              : DEFAULT_PUBLISH_INTERVAL_MS;
      WorkerLoop loop;
      try {
        loop =
            new WorkerLoop(
                spec,
                publishIntervalMs,
                histogram,
                sink,
                link,
                skippedMessages,
                assignment.getResumeFrom().getPartitionsList());
        loop.publishStart();
      } catch (RuntimeException | Error e) {
        closeWhenOpened(opening, "whose first publish failed");
        throw e;
      }
      OpenedSource opened = opened(opening);
      try (RecordSource source = opened.source()) {
        opened.startProblem().ifPresent(histogram::fail);
        Optional<HistogramState> end = loop.run(source);
        if (end.isPresent()) {
          sink.close(LAST_PUBLISH_TIMEOUT);
          link.send(SupervisorMessages.finished(end.get()));
        }
        return end;
      }
    }
  }

  /**
   * Closes the source once it is open, since the loop will never take it: its consumer must not
   * outlive this histogram. Nobody waits for that, so how it fails is logged.
   */
  private static void closeWhenOpened(CompletableFuture<OpenedSource> opening, String why) {
    Unawaited.log(
        opening.thenAccept(opened -> opened.source().close()),
        LOG,
        "opening or closing the event source of a histogram " + why);
  }

  /** The event source and, when its start is gone from the data, why. */
  private record OpenedSource(RecordSource source, Optional<String> startProblem) {}

  private static OpenedSource opened(CompletableFuture<OpenedSource> opening) {
    try {
      return opening.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException cause ? cause : e;
    }
  }

  private static OpenedSource openSource(Assignment assignment, String clientId) {
    HistogramSpec spec = assignment.getSpec();
    if (assignment.getSimulation()) {
      return new OpenedSource(new SimulatedEventSource(spec, System.nanoTime()), Optional.empty());
    }
    Map<String, String> dataKafka = new HashMap<>(assignment.getDataKafkaMap());
    dataKafka.putIfAbsent("bootstrap.servers", String.join(",", spec.getDataBrokersList()));
    KafkaEventSource source = KafkaEventSource.open(spec.getDataTopicsList(), dataKafka, clientId);
    try {
      Optional<String> problem = Optional.empty();
      if (assignment.hasResumeFrom()) {
        problem =
            source.seekToCheckpoint(
                assignment.getResumeFrom().getNextOffsetsList(),
                spec.getStartOffsetsList(),
                assignment.getResumeFrom().getPartitionsList());
      } else if (spec.hasStartMs()) {
        problem = source.seekToTime(spec.getStartMs());
      } else {
        source.seekToOffsets(spec.getStartOffsetsList());
      }
      source.startFetching();
      return new OpenedSource(source, problem);
    } catch (RuntimeException e) {
      source.close();
      throw e;
    }
  }
}
