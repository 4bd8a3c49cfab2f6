package eu.ess.justbinit.service;

import eu.ess.justbinit.codec.HistogramEncoder;
import eu.ess.justbinit.codec.HistogramInfo;
import eu.ess.justbinit.rpc.Axis;
import eu.ess.justbinit.rpc.Checkpoint;
import eu.ess.justbinit.rpc.HistogramSpec;
import eu.ess.justbinit.rpc.HistogramState;
import eu.ess.justbinit.rpc.Layout;
import eu.ess.justbinit.rpc.Statistics;
import eu.ess.justbinit.supervisor.FinalPublisher;
import java.time.Clock;
import java.util.Optional;
import java.util.logging.Logger;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Publishes a histogram whose worker is gone for good, from what its workers last told: the shape
 * and edges of its Layout, the counts and statistics of its last checkpoint. A histogram whose
 * worker never got as far as its Layout is published with no bins, so that its state and
 * error_message still reach the reader.
 */
final class FinalHistogramPublisher implements FinalPublisher {
  private static final Logger LOG = Logger.getLogger(FinalHistogramPublisher.class.getName());

  private final Producer<byte[], byte[]> producer;
  private final Clock clock;
  private final HistogramEncoder encoder = new HistogramEncoder();

  FinalHistogramPublisher(Producer<byte[], byte[]> producer, Clock clock) {
    this.producer = producer;
    this.clock = clock;
  }

  @Override
  public synchronized void publish(
      HistogramSpec spec,
      Optional<Layout> layout,
      Optional<Checkpoint> checkpoint,
      HistogramState state,
      String errorMessage) {
    int[] shape =
        layout
            .map(l -> l.getShapeList().stream().mapToInt(Integer::intValue).toArray())
            .orElse(new int[] {0});
    double[][] edges =
        layout
            .map(
                l ->
                    l.getEdgesList().stream()
                        .map(FinalHistogramPublisher::boundaries)
                        .toArray(double[][]::new))
            .orElse(new double[][] {{}});
    long bins = java.util.Arrays.stream(shape).asLongStream().reduce(1, (a, b) -> a * b);
    long[] counts =
        checkpoint
            .filter(c -> c.getCountsCount() == bins)
            .map(c -> c.getCountsList().stream().mapToLong(Long::longValue).toArray())
            .orElse(new long[(int) bins]);
    Statistics statistics =
        checkpoint.map(Checkpoint::getStatistics).orElse(Statistics.getDefaultInstance());
    byte[] message =
        encoder.encode(
            spec.getOutputSchema(),
            clock.millis() * 1_000_000L,
            shape,
            edges,
            counts,
            HistogramInfo.json(
                spec,
                state.name(),
                statistics.getLastPulseTimeNs(),
                statistics.getSum(),
                statistics.getDiff(),
                statistics.getRate(),
                checkpoint.map(Checkpoint::getSkippedMessages).orElse(0L),
                errorMessage));
    var unused =
        producer.send(
            new ProducerRecord<>(spec.getOutputTopic(), message),
            (metadata, error) -> {
              if (error != null) {
                LOG.severe(
                    "Could not publish histogram '"
                        + spec.getId()
                        + "' in state "
                        + state
                        + ": "
                        + error);
              }
            });
    producer.flush();
  }

  private static double[] boundaries(Axis axis) {
    return axis.getBoundariesList().stream().mapToDouble(Double::doubleValue).toArray();
  }
}
