package eu.ess.justbinit.worker.standby;

import eu.ess.justbinit.wire.codec.CodecException;
import eu.ess.justbinit.wire.codec.DataArrayEncoder;
import eu.ess.justbinit.wire.codec.HistogramEncoder;
import eu.ess.justbinit.wire.rpc.EventSchema;
import eu.ess.justbinit.wire.rpc.HistogramSchema;
import eu.ess.justbinit.wire.rpc.HistogramSpec;
import eu.ess.justbinit.wire.rpc.HistogramType;
import eu.ess.justbinit.wire.rpc.Range;
import eu.ess.justbinit.wire.rpc.Standby;
import eu.ess.justbinit.worker.histogram.Histogram;
import eu.ess.justbinit.worker.histogram.HistogramInput;
import eu.ess.justbinit.worker.histogram.HistogramSnapshot;
import eu.ess.justbinit.worker.io.SimulatedEventSource;
import eu.ess.justbinit.worker.link.SupervisorMessages;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import org.apache.kafka.common.TopicPartition;

/**
 * What a spare does while it waits for a histogram: everything a real one does first, once, so that
 * the worker that gets a histogram neither loads classes nor runs interpreted code on the path from
 * config to first histogram and through its first seconds of catching up. It includes a first
 * publish, built but not sent: the info's JSON mapper alone took 0.3 s the first time.
 *
 * <p>Threads (docs/architecture.md, "Threads"): runs on the worker's main thread, after Standby and
 * before the worker tells the controller it is rehearsed; what it builds is its own and dropped.
 * The Kafka clients it opens ({@link ClientWarmup}) run their network threads only until it closes
 * them.
 */
public final class Rehearsal {
  /**
   * Simulated messages of 1,000 events binned per type: 200,000 events, enough for C1 to compile
   * the decoding and binning loops, in about 0.1 s of CPU. C2 takes the loops over in the first
   * messages of real data (the controller's default raises its threshold to 400,000 loop turns),
   * compiling them for the histogram's own path rather than for the rehearsal's.
   */
  private static final int MESSAGES_PER_TYPE = 200;

  private static final HistogramEncoder ENCODER = new HistogramEncoder();
  private static final DataArrayEncoder DATA_ARRAYS = new DataArrayEncoder();

  private static final Range TIME_OF_FLIGHT = range(0, 100_000_000);
  private static final Range DETECTOR = range(1, 6145);

  /** One histogram of each type and binning path, shaped like common ones. */
  private static final List<HistogramSpec> SPECS =
      List.of(
          spec(HistogramType.HIST1D).setTofBins(1000).build(),
          spec(HistogramType.HIST1D).setTofBins(1000).setDetRange(DETECTOR).build(),
          spec(HistogramType.HIST2D).setTofBins(100).setDetRange(DETECTOR).setDetBins(100).build(),
          spec(HistogramType.DETHIST).setDetRange(DETECTOR).setWidth(32).setHeight(192).build(),
          spec(HistogramType.ROIHIST)
              .setWidth(16)
              .addAllLeftEdges(IntStream.range(0, 16).map(row -> 1 + row * 64).boxed().toList())
              .build(),
          spec(HistogramType.HIST1D)
              .setInputSchema(EventSchema.DA00)
              .setTofBins(744)
              .setDetRange(range(0, 100))
              .build(),
          spec(HistogramType.DETHIST)
              .setInputSchema(EventSchema.DA00)
              .setDetRange(DETECTOR)
              .setWidth(32)
              .setHeight(192)
              .build());

  private Rehearsal() {}

  /**
   * Rehearses, until {@code assignmentWaiting} says a histogram has taken this spare: what is left
   * would only delay its first histogram, by up to 2 s.
   *
   * @return whether it rehearsed every step
   */
  public static boolean run(Standby standby, String clientId, BooleanSupplier assignmentWaiting) {
    ClientWarmup.run(
        standby.getOutputKafkaMap(), clientId, standby.getRehearsalTopic(), assignmentWaiting);
    for (HistogramSpec spec : SPECS) {
      if (assignmentWaiting.getAsBoolean()) {
        return false;
      }
      Histogram histogram = Histogram.forSpec(spec);
      HistogramInput input = new HistogramInput(histogram, spec.getInputSchema());
      ByteBuffer message = ByteBuffer.wrap(new SimulatedEventSource(spec, 1).nextMessage(0));
      try {
        for (int i = 0; i < MESSAGES_PER_TYPE; i++) {
          input.offer(message, 0);
        }
      } catch (CodecException e) {
        throw new IllegalStateException("The simulator's own message does not decode", e);
      }
      rehearsePublish(spec, histogram);
    }
    // The rehearsal grew the heap; a spare may wait for hours: give the memory back now.
    System.gc();
    return true;
  }

  /** What a publish builds, in both schemas and for the controller; none of it is sent. */
  private static void rehearsePublish(HistogramSpec spec, Histogram histogram) {
    var unusedLayout = SupervisorMessages.layout(histogram.binning());
    HistogramSnapshot snapshot = histogram.snapshotForPublish();
    String info = snapshot.info(spec, 0, "");
    for (HistogramSchema schema : List.of(HistogramSchema.HS01, HistogramSchema.HS00)) {
      var unusedMessage =
          ENCODER.encode(
              schema,
              0,
              snapshot.shape(),
              snapshot.edges(),
              snapshot.counts(),
              snapshot.values(),
              info);
    }
    var unusedDataArray =
        DATA_ARRAYS.histogram(
            spec.getType(),
            spec.getId(),
            0,
            snapshot.shape(),
            snapshot.edges(),
            snapshot.counts(),
            snapshot.values(),
            info);
    var unusedReport = SupervisorMessages.report(snapshot, 0, "");
    var unusedCheckpoint =
        SupervisorMessages.checkpoint(snapshot, List.of(), REHEARSED_PARTITIONS, 0);
  }

  /** The histogram's one partition, as the checkpoint names it. */
  private static final List<TopicPartition> REHEARSED_PARTITIONS =
      List.of(new TopicPartition("rehearsal", 0));

  private static HistogramSpec.Builder spec(HistogramType type) {
    return HistogramSpec.newBuilder().setType(type).setTofRange(TIME_OF_FLIGHT);
  }

  private static Range range(double low, double high) {
    return Range.newBuilder().setLow(low).setHigh(high).build();
  }
}
