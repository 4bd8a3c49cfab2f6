package eu.ess.justbinit.worker.histogram;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import eu.ess.justbinit.wire.codec.Da00Type;
import eu.ess.justbinit.wire.codec.DataArrayEncoder;
import eu.ess.justbinit.wire.codec.DataArrayMessage;
import eu.ess.justbinit.wire.codec.EventEncoder;
import eu.ess.justbinit.wire.rpc.EventSchema;
import eu.ess.justbinit.wire.rpc.HistogramSpec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * One case of {@code ${jbi.testdata.dir}/conformance/da00}: spec, effective input schema, the
 * messages as encoded bytes (ev44 by our event encoder, da00 by our DataArray encoder) and the
 * expected histogram.
 */
record Da00Case(
    String name,
    HistogramSpec spec,
    EventSchema schema,
    List<Message> messages,
    JsonNode expected) {

  /** One message as it arrived on the data topic. */
  record Message(long timestampMs, boolean frame, boolean floatingSignal, ByteBuffer value) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Every case of the da00 folder, in name order. */
  static Stream<Da00Case> all() throws IOException {
    List<Path> files;
    try (Stream<Path> list = Files.list(ConformanceCase.folder().resolve("da00"))) {
      files = list.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
    List<Da00Case> cases = new ArrayList<>();
    for (Path file : files) {
      cases.add(read(file));
    }
    return cases.stream();
  }

  static Da00Case read(Path file) throws IOException {
    JsonNode root = JSON.readTree(file.toFile());
    JsonNode histogram = root.get("histogram");
    HistogramSpec spec = ConformanceCase.spec(histogram, root.get("start"), root.get("stop"));
    JsonNode schemaName = histogram.get("input_schema");
    if (schemaName == null || schemaName.isNull()) {
      schemaName = root.get("input_schema");
    }
    EventSchema schema =
        schemaName == null || schemaName.isNull()
            ? EventSchema.EVENT_SCHEMA_UNSPECIFIED
            : EventSchema.valueOf(schemaName.asText().toUpperCase(java.util.Locale.ROOT));
    List<Message> messages = new ArrayList<>();
    DataArrayEncoder encoder = new DataArrayEncoder();
    long messageId = 0;
    for (JsonNode m : root.get("messages")) {
      long timestampMs = m.get("timestamp_ms").asLong();
      if (m.path("kind").asText("events").equals("da00")) {
        List<DataArrayMessage.Variable> variables = new ArrayList<>();
        boolean floating = false;
        for (JsonNode v : m.get("variables")) {
          variables.add(variable(v));
          floating |=
              v.get("name").asText().equals("signal")
                  && v.get("dtype").asText().startsWith("float");
        }
        byte[] bytes =
            encoder.encode(
                new DataArrayMessage(
                    m.get("source").asText(), m.get("pulse_time_ns").asLong(), variables));
        messages.add(new Message(timestampMs, true, floating, ByteBuffer.wrap(bytes)));
      } else {
        byte[] bytes =
            EventEncoder.ev44(
                m.get("source").asText(),
                messageId++,
                m.get("pulse_time_ns").asLong(),
                ConformanceCase.array(m.get("tof"), int[].class),
                ConformanceCase.array(m.get("det"), int[].class));
        messages.add(new Message(timestampMs, false, false, ByteBuffer.wrap(bytes)));
      }
    }
    return new Da00Case(
        file.getFileName().toString(), spec, schema, messages, root.get("expected"));
  }

  private static DataArrayMessage.Variable variable(JsonNode v) {
    String name = v.get("name").asText();
    String unit = v.get("unit") == null || v.get("unit").isNull() ? null : v.get("unit").asText();
    List<String> axes = new ArrayList<>();
    v.get("axes").forEach(a -> axes.add(a.asText()));
    long[] shape = ConformanceCase.array(v.get("shape"), long[].class);
    Da00Type type = Da00Type.ofName(v.get("dtype").asText());
    JsonNode data = v.get("data");
    if (type == Da00Type.C_STRING) {
      byte[] text = data.asText().getBytes(java.nio.charset.StandardCharsets.UTF_8);
      return new DataArrayMessage.Variable(name, unit, null, null, type, axes, shape, text);
    }
    if (type.isInteger()) {
      long[] values = new long[data.size()];
      for (int i = 0; i < values.length; i++) {
        values[i] = data.get(i).bigIntegerValue().longValue();
      }
      return DataArrayMessage.Variable.ofLongs(name, unit, axes, shape, type, values);
    }
    return DataArrayMessage.Variable.ofDoubles(
        name, unit, axes, shape, type, ConformanceCase.array(data, double[].class));
  }

  @Override
  public String toString() {
    return name;
  }
}
