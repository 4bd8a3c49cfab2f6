package eu.ess.justbinit.controller.service;

import eu.ess.justbinit.controller.supervisor.FinalPublisher;
import eu.ess.justbinit.wire.codec.DataArrayEncoder;
import eu.ess.justbinit.wire.codec.HistogramEncoder;
import eu.ess.justbinit.wire.codec.HistogramInfo;
import eu.ess.justbinit.wire.rpc.Axis;
import eu.ess.justbinit.wire.rpc.Checkpoint;
import eu.ess.justbinit.wire.rpc.HistogramSchema;
import eu.ess.justbinit.wire.rpc.HistogramSpec;
import eu.ess.justbinit.wire.rpc.HistogramState;
import eu.ess.justbinit.wire.rpc.Layout;
import eu.ess.justbinit.wire.rpc.Statistics;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.logging.Logger;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Publishes a histogram whose worker is gone for good, from what its workers last told. The
 * supervisor calls it from whichever thread finds that out (a gRPC thread, a process-exit watcher,
 * its scheduler, the command thread); {@link #publish} locks this publisher, so one histogram goes
 * out at a time, and kafka-clients' network thread logs a send that failed.
 *
 * <p>The message has the shape and edges of the histogram's Layout and the counts and statistics of
 * its last checkpoint. A histogram whose worker never got as far as its Layout is published with no
 * bins, so that its state and error_message still reach the reader.
 */
final class FinalHistogramPublisher implements FinalPublisher {
  private static final Logger LOG = Logger.getLogger(FinalHistogramPublisher.class.getName());

  private final Supplier<? extends Producer<byte[], byte[]>> producer;
  private final Clock clock;
  private final HistogramEncoder encoder = new HistogramEncoder();
  private final DataArrayEncoder dataArrays = new DataArrayEncoder();

  FinalHistogramPublisher(Producer<byte[], byte[]> producer, Clock clock) {
    this(() -> producer, clock);
  }

  /**
   * With the controller's producer still being made: the supervisor, and with it the first spare
   * worker, starts beside it, and a final histogram is only ever published later.
   */
  FinalHistogramPublisher(Supplier<? extends Producer<byte[], byte[]>> producer, Clock clock) {
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
    double[] values =
        checkpoint
            .filter(c -> c.getCountsCount() == bins && c.getFractionsCount() == bins)
            .map(
                c -> {
                  double[] v = new double[(int) bins];
                  for (int i = 0; i < v.length; i++) {
                    v[i] = counts[i] + c.getFractions(i);
                  }
                  return v;
                })
            .orElse(null);
    Statistics statistics =
        checkpoint.map(Checkpoint::getStatistics).orElse(Statistics.getDefaultInstance());
    long skipped = checkpoint.map(Checkpoint::getSkippedMessages).orElse(0L);
    String info =
        values != null
            ? HistogramInfo.jsonFloating(
                spec,
                state.name(),
                statistics.getLastPulseTimeNs(),
                statistics.getSum() + statistics.getFractionalSum(),
                statistics.getFloatingDiff(),
                statistics.getRate(),
                skipped,
                errorMessage)
            : HistogramInfo.json(
                spec,
                state.name(),
                statistics.getLastPulseTimeNs(),
                statistics.getSum(),
                statistics.getDiff(),
                statistics.getRate(),
                skipped,
                errorMessage);
    byte[] message;
    if (spec.getOutputSchema() == HistogramSchema.DA00_OUT) {
      if (layout.isEmpty()) {
        int axes = DataArrayEncoder.axes(spec.getType()).size();
        shape = new int[axes];
        edges = new double[axes][0];
      }
      message =
          dataArrays.histogram(
              spec.getType(),
              spec.getId(),
              statistics.getLastPulseTimeNs(),
              shape,
              edges,
              layout.isEmpty() ? new long[0] : counts,
              values,
              info);
    } else {
      message =
          encoder.encode(
              spec.getOutputSchema(),
              clock.millis() * 1_000_000L,
              shape,
              edges,
              counts,
              values,
              info);
    }
    var unused =
        producer
            .get()
            .send(
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
    producer.get().flush();
  }

  private static double[] boundaries(Axis axis) {
    return axis.getBoundariesList().stream().mapToDouble(Double::doubleValue).toArray();
  }
}
