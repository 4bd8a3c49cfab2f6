package eu.ess.justbinit.controller.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import eu.ess.justbinit.testkit.Eventually;
import eu.ess.justbinit.wire.codec.CodecException;
import eu.ess.justbinit.wire.codec.HistogramDecoder;
import eu.ess.justbinit.wire.codec.HistogramMessage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** The histograms published on an output topic, decoded, the latest of each id at hand. */
final class PublishedHistograms {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One published histogram. */
  static final class Published {
    private final JsonNode info;
    private final long[] counts;

    Published(JsonNode info, long[] counts) {
      this.info = info;
      this.counts = counts;
    }

    JsonNode info() {
      return info;
    }

    long[] counts() {
      return counts.clone();
    }

    String state() {
      return info.path("state").asText();
    }

    long sum() {
      long sum = 0;
      for (long count : counts) {
        sum += count;
      }
      return sum;
    }
  }

  private final ServiceHarness.TopicReader reader;
  private final HistogramDecoder decoder = new HistogramDecoder();
  private final Map<String, Published> latest = new HashMap<>();
  private int decoded;

  PublishedHistograms(ServiceHarness.TopicReader reader) {
    this.reader = reader;
  }

  /**
   * Sends {@code service} a config of {@code histograms} (hs01), waits for its ACK, and returns the
   * histograms published on {@code outputTopic}.
   */
  static PublishedHistograms configure(
      ServiceHarness service, String outputTopic, String... histograms) {
    return configureWith(service, outputTopic, "", histograms);
  }

  /** The same with more fields of the config, {@code fields} written as {@code "name": value, }. */
  static PublishedHistograms configureWith(
      ServiceHarness service, String outputTopic, String fields, String... histograms) {
    ServiceHarness.TopicReader responses = service.reader(service.responseTopic);
    service.command(
        """
        {"cmd": "config", "msg_id": "go", %s"output_schema": "hs01", "histograms": [%s]}"""
            .formatted(fields, String.join(", ", histograms)));
    responses.await("the ACK", r -> ServiceHarness.text(r).contains("\"ACK\""));
    return new PublishedHistograms(service.reader(outputTopic));
  }

  /** The latest histogram published with info id {@code id}, if any yet. */
  Optional<Published> latest(String id) {
    List<ConsumerRecord<byte[], byte[]>> records = reader.poll();
    for (; decoded < records.size(); decoded++) {
      Published published = decode(records.get(decoded).value());
      latest.put(published.info().path("id").asText(), published);
    }
    return Optional.ofNullable(latest.get(id));
  }

  /** Waits until the latest histogram of {@code id} satisfies {@code wanted}. */
  Published await(String id, String what, Predicate<Published> wanted) {
    return Eventually.get(
        id + ": " + what, ServiceHarness.PATIENCE, () -> latest(id).filter(wanted));
  }

  private Published decode(byte[] value) {
    try {
      HistogramMessage message = decoder.decode(ByteBuffer.wrap(value));
      return new Published(JSON.readTree(message.info()), message.data().integers());
    } catch (CodecException | IOException e) {
      throw new AssertionError("Not a histogram on the output topic", e);
    }
  }
}
