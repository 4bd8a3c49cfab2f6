package eu.ess.justbinit.worker.histogram;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import eu.ess.justbinit.wire.rpc.HistogramSpec;
import eu.ess.justbinit.wire.rpc.HistogramType;
import eu.ess.justbinit.wire.rpc.Range;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** One case of {@code ${jbi.testdata.dir}/conformance}: spec, messages and expected histogram. */
record ConformanceCase(String name, HistogramSpec spec, List<Message> messages, JsonNode expected) {

  /** One event message of a case, as it arrived on the data topic. */
  static final class Message {
    final long timestampMs;
    final String source;
    final long pulseTimeNs;
    final int[] tof;
    final int[] det;

    Message(long timestampMs, String source, long pulseTimeNs, int[] tof, int[] det) {
      this.timestampMs = timestampMs;
      this.source = source;
      this.pulseTimeNs = pulseTimeNs;
      this.tof = tof;
      this.det = det;
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  static Path folder() {
    return Paths.get(System.getProperty("jbi.testdata.dir", "../testdata"), "conformance");
  }

  /** Every case in the folder, in name order. */
  static Stream<ConformanceCase> all() throws IOException {
    List<Path> files;
    try (Stream<Path> list = Files.list(folder())) {
      files = list.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
    List<ConformanceCase> cases = new ArrayList<>();
    for (Path file : files) {
      cases.add(read(file));
    }
    return cases.stream();
  }

  static ConformanceCase read(Path file) throws IOException {
    JsonNode root = JSON.readTree(file.toFile());
    HistogramSpec spec = spec(root.get("histogram"), root.get("start"), root.get("stop"));
    List<Message> messages = new ArrayList<>();
    for (JsonNode m : root.get("messages")) {
      messages.add(
          new Message(
              m.get("timestamp_ms").asLong(),
              m.get("source").asText(),
              m.get("pulse_time_ns").asLong(),
              array(m.get("tof"), int[].class),
              array(m.get("det"), int[].class)));
    }
    return new ConformanceCase(file.getFileName().toString(), spec, messages, root.get("expected"));
  }

  /** The spec the controller makes from one entry of a config's "histograms" and start/stop. */
  static HistogramSpec spec(JsonNode h, JsonNode start, JsonNode stop) {
    HistogramSpec.Builder spec = HistogramSpec.newBuilder();
    spec.setType(
        switch (h.get("type").asText()) {
          case "hist1d" -> HistogramType.HIST1D;
          case "hist2d" -> HistogramType.HIST2D;
          case "dethist" -> HistogramType.DETHIST;
          case "roihist" -> HistogramType.ROIHIST;
          default -> throw new IllegalArgumentException("type " + h.get("type"));
        });
    if (h.has("id")) {
      spec.setId(h.get("id").asText());
    }
    if (h.has("topic")) {
      spec.setOutputTopic(h.get("topic").asText());
    }
    h.path("data_brokers").forEach(b -> spec.addDataBrokers(b.asText()));
    h.path("data_topics").forEach(t -> spec.addDataTopics(t.asText()));
    if (h.has("source")) {
      spec.setSource(h.get("source").asText());
    }
    if (h.has("tof_range")) {
      spec.setTofRange(range(h.get("tof_range")));
    }
    if (h.has("det_range")) {
      spec.setDetRange(range(h.get("det_range")));
    }
    JsonNode bins = h.get("num_bins");
    if (bins != null && bins.isArray()) {
      spec.setTofBins(bins.get(0).asInt()).setDetBins(bins.get(1).asInt());
    } else if (bins != null) {
      spec.setTofBins(bins.asInt()).setDetBins(bins.asInt());
    }
    if (h.has("width")) {
      spec.setWidth(h.get("width").asInt());
    }
    if (h.has("height")) {
      spec.setHeight(h.get("height").asInt());
    }
    h.path("left_edges").forEach(e -> spec.addLeftEdges(e.asInt()));
    if (start != null && !start.isNull()) {
      spec.setStartMs(start.asLong());
    }
    if (stop != null && !stop.isNull()) {
      spec.setStopMs(stop.asLong());
    }
    return spec.build();
  }

  private static Range range(JsonNode pair) {
    return Range.newBuilder()
        .setLow(pair.get(0).asDouble())
        .setHigh(pair.get(1).asDouble())
        .build();
  }

  /** A JSON array as a Java array of {@code type} (int[].class, long[].class, double[].class). */
  static <T> T array(JsonNode array, Class<T> type) {
    return JSON.convertValue(array, type);
  }

  @Override
  public String toString() {
    return name;
  }
}
