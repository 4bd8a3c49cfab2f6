package eu.ess.justbinit.worker.io;

import eu.ess.justbinit.wire.codec.DataArrayEncoder;
import eu.ess.justbinit.wire.codec.HistogramEncoder;
import eu.ess.justbinit.wire.rpc.HistogramSchema;
import eu.ess.justbinit.wire.rpc.HistogramSpec;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Publishes one histogram, encoded as hs00, hs01 or da00, to its output topic with a producer of
 * its own, compressed as the controller says. Called by the worker's loop only; the producer's
 * thread reports the outcome of each publish, which {@link #refusal} hands to the loop.
 *
 * <p>Threads (docs/architecture.md, "Threads"): the loop thread publishes and closes, and alone
 * uses the encoders and the last publish's figures. The send callbacks run on the producer's
 * network thread: they write {@code refusal}, which is volatile, and count failures in {@code
 * failed}, which is synchronized because the loop calls it too when a send throws. Every send's
 * failure reaches the callback or that catch, so none goes unlogged though nobody waits for its
 * future.
 */
public final class HistogramSink implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(HistogramSink.class.getName());

  /** Failures are logged at warning this many times, then at debug: the broker may be away. */
  private static final int LOUD_FAILURES = 5;

  /** Room for the FlatBuffers tables, the edges and the info around the counts. */
  private static final int HEADROOM_BYTES = 1 << 20;

  private final KafkaProducer<byte[], byte[]> producer;
  private final String topic;
  private final HistogramSpec spec;
  private final String compression;
  private final HistogramEncoder encoder = new HistogramEncoder();
  private final DataArrayEncoder dataArrays = new DataArrayEncoder();
  private int failures;
  private long lastEncodeNanos;
  private int lastMessageBytes;

  /** Why the latest publish that has an outcome failed; null when it reached the broker. */
  private volatile String refusal;

  private HistogramSink(
      KafkaProducer<byte[], byte[]> producer, HistogramSpec spec, String compression) {
    this.producer = producer;
    this.topic = spec.getOutputTopic();
    this.spec = spec;
    this.compression = compression;
  }

  /**
   * A producer for the spec's output topic, its request size fitted to a histogram of {@code bins}
   * bins and {@code boundaries} edges in all.
   *
   * @param compression a Kafka compression.type; empty for none
   */
  public static HistogramSink open(
      HistogramSpec spec,
      Map<String, String> outputKafka,
      String clientId,
      long bins,
      long boundaries,
      String compression) {
    String type = compression.isEmpty() ? "none" : compression;
    Properties settings =
        producerSettings(outputKafka, clientId, largestMessageBytes(bins, boundaries));
    settings.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, type);
    return new HistogramSink(
        new KafkaProducer<>(settings, new ByteArraySerializer(), new ByteArraySerializer()),
        spec,
        type);
  }

  /**
   * The largest message this histogram makes: 8 bytes per count (int64) and per edge (double), plus
   * headroom; 4096 x 4096 bins come to 135 MB. Never below Kafka's default of 1 MB, never above
   * what a request can carry. The output topic's max.message.bytes must allow it too.
   */
  public static int largestMessageBytes(long bins, long boundaries) {
    long bytes = 8 * (bins + boundaries) + HEADROOM_BYTES;
    return (int) Math.min(Integer.MAX_VALUE / 2, Math.max(bytes, 1 << 20));
  }

  public static Properties producerSettings(
      Map<String, String> outputKafka, String clientId, int largestMessageBytes) {
    Properties settings = new Properties();
    settings.putAll(outputKafka);
    settings.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
    settings.put(ProducerConfig.LINGER_MS_CONFIG, "0");
    // A histogram is a snapshot: a duplicate does no harm, and without idempotence the first
    // publish need not wait for a producer id. One request at a time keeps them in order.
    settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
    settings.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1");
    settings.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
    settings.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(largestMessageBytes));
    // The buffer must hold at least one message; two let a publish wait behind the previous one.
    settings.put(
        ProducerConfig.BUFFER_MEMORY_CONFIG,
        Long.toString(Math.max(32L << 20, 2L * largestMessageBytes)));
    // A publish must not hold the loop for a minute when the output brokers are away.
    settings.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "5000");
    // As for the consumer (KafkaEventSource.consumerSettings): no metrics MBeans, no push.
    settings.put(ProducerConfig.METRIC_REPORTER_CLASSES_CONFIG, "");
    settings.put(ProducerConfig.ENABLE_METRICS_PUSH_CONFIG, "false");
    return settings;
  }

  /**
   * Encodes and sends one histogram; a failure is logged and kept ({@link #refusal}), never thrown.
   * hs00 and hs01 carry {@code timestampNs}, da00 the last pulse time (and the histogram's id as
   * source_name).
   *
   * @param values count + fraction per bin for a floating histogram (sent as doubles), else null
   */
  public void publish(
      long timestampNs,
      long lastPulseTimeNs,
      int[] shape,
      double[][] edges,
      long[] counts,
      double[] values,
      String info) {
    long began = System.nanoTime();
    byte[] message =
        spec.getOutputSchema() == HistogramSchema.DA00_OUT
            ? dataArrays.histogram(
                spec.getType(), spec.getId(), lastPulseTimeNs, shape, edges, counts, values, info)
            : encoder.encode(
                spec.getOutputSchema(), timestampNs, shape, edges, counts, values, info);
    lastEncodeNanos = System.nanoTime() - began;
    int bytes = message.length;
    lastMessageBytes = bytes;
    try {
      // The callback reports the outcome; the loop never waits for it.
      Future<RecordMetadata> unused =
          producer.send(
              new ProducerRecord<>(topic, message),
              (metadata, error) -> {
                if (error == null) {
                  refusal = null;
                } else {
                  failed(bytes, error);
                }
              });
    } catch (KafkaException e) {
      failed(bytes, e);
    }
  }

  /** How long the last publish took to encode its message, in ns. */
  public long lastEncodeNanos() {
    return lastEncodeNanos;
  }

  /** The size of the last message published, before compression. */
  public int lastMessageBytes() {
    return lastMessageBytes;
  }

  /**
   * Why the latest publish with an outcome did not reach the broker (a message larger than the
   * topic accepts, the brokers away), or empty when it did. The counting goes on either way.
   */
  public Optional<String> refusal() {
    return Optional.ofNullable(refusal);
  }

  private synchronized void failed(int bytes, Exception error) {
    failures++;
    String what =
        bytes
            + " bytes"
            + (compression.equals("none") ? "" : " before " + compression + " compression")
            + " to topic "
            + topic
            + ": "
            + error.getMessage();
    refusal = "publish failed: " + what;
    Level level = failures <= LOUD_FAILURES ? Level.WARNING : Level.FINE;
    LOG.log(level, "Publishing the histogram failed: " + what);
  }

  /** Waits up to {@code timeout} for what was published to reach the broker. */
  public void close(Duration timeout) {
    producer.close(timeout);
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(5));
  }
}
