package eu.ess.justbinit.controller.status;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import eu.ess.justbinit.controller.supervisor.WorkerInfo;
import eu.ess.justbinit.wire.codec.StatusCodec;
import eu.ess.justbinit.wire.codec.StatusMessage;
import eu.ess.justbinit.wire.rpc.HistogramState;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.logging.Logger;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The service's sign of life on the heartbeat topic, once a second: an x5f2 status message (what
 * NICOS reads), or the original's JSON form. {@link #publish} is called by the controller's ticker
 * thread; kafka-clients' network thread reports each send, under this publisher's lock, which
 * guards only whether the last send failed (so that a failure is logged once until sends work
 * again).
 */
public final class HeartbeatPublisher {
  /** How often the heartbeat is published, as its messages say. */
  public static final long INTERVAL_MS = 1000;

  /** The x5f2 software_name. */
  public static final String SOFTWARE_NAME = "just-bin-it";

  private static final Logger LOG = Logger.getLogger(HeartbeatPublisher.class.getName());
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Producer<byte[], byte[]> producer;
  private final String topic;
  private final Clock clock;
  private final BiFunction<Long, List<WorkerInfo>, byte[]> format;
  private boolean failing;

  private HeartbeatPublisher(
      Producer<byte[], byte[]> producer,
      String topic,
      Clock clock,
      BiFunction<Long, List<WorkerInfo>, byte[]> format) {
    this.producer = producer;
    this.topic = topic;
    this.clock = clock;
    this.format = format;
  }

  /** The x5f2 form, whose status_json carries the time and each histogram's id and state. */
  public static HeartbeatPublisher x5f2(
      Producer<byte[], byte[]> producer,
      String topic,
      Clock clock,
      String softwareVersion,
      String serviceId) {
    String host = hostName();
    long pid = ProcessHandle.current().pid();
    return new HeartbeatPublisher(
        producer,
        topic,
        clock,
        (nowMs, histograms) ->
            StatusCodec.encode(
                new StatusMessage(
                    SOFTWARE_NAME,
                    softwareVersion,
                    serviceId,
                    host,
                    pid,
                    INTERVAL_MS,
                    statusJson(nowMs, histograms))));
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return Optional.ofNullable(System.getenv("HOSTNAME")).orElse("localhost");
    }
  }

  /** The original's JSON form: {@code {"message": <now ms>, "message_interval": 1000}}. */
  public static HeartbeatPublisher json(
      Producer<byte[], byte[]> producer, String topic, Clock clock) {
    return new HeartbeatPublisher(
        producer,
        topic,
        clock,
        (nowMs, histograms) -> {
          ObjectNode message = JSON.createObjectNode();
          message.put("message", nowMs);
          message.put("message_interval", INTERVAL_MS);
          return message.toString().getBytes(StandardCharsets.UTF_8);
        });
  }

  /** Publishes one heartbeat; a failure is logged (once until it works again), never thrown. */
  public void publish(List<WorkerInfo> histograms) {
    byte[] message = format.apply(clock.millis(), histograms);
    var unused =
        producer.send(
            new ProducerRecord<>(topic, message),
            (metadata, error) -> {
              synchronized (this) {
                if (error != null && !failing) {
                  LOG.warning("Could not publish the heartbeat on " + topic + ": " + error);
                }
                failing = error != null;
              }
            });
  }

  /** {@code {"current_time": <ms>, "histograms": [{"id": ..., "state": ...}, ...]}}. */
  static String statusJson(long nowMs, List<WorkerInfo> histograms) {
    ObjectNode status = JSON.createObjectNode();
    status.put("current_time", nowMs);
    ArrayNode list = status.putArray("histograms");
    for (WorkerInfo histogram : histograms) {
      list.addObject()
          .put("id", histogram.histogramId())
          .put(
              "state",
              histogram.state() == HistogramState.HISTOGRAM_STATE_UNSPECIFIED
                  ? "STARTING"
                  : histogram.state().name());
    }
    return status.toString();
  }
}
