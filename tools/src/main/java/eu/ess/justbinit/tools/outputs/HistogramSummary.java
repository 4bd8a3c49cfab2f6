package eu.ess.justbinit.tools.outputs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import eu.ess.justbinit.wire.codec.HistogramMessage;
import eu.ess.justbinit.wire.codec.NumericArray;
import java.io.IOException;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What a person wants to know of a published histogram: the id, state, shape, total counts and the
 * rest of its info JSON.
 *
 * @param info the info JSON; an empty object when it is absent or not a JSON object
 */
public record HistogramSummary(
    String id,
    String state,
    List<Integer> shape,
    double total,
    boolean integerCounts,
    ObjectNode info) {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** The id shown for a histogram whose info has none. */
  public static final String NO_ID = "(no id)";

  public static HistogramSummary of(HistogramMessage message) {
    ObjectNode info = parseInfo(message.info());
    NumericArray data = message.data();
    double total = 0;
    if (data.isInteger()) {
      long sum = 0;
      for (long value : data.integers()) {
        sum += value;
      }
      total = sum;
    } else {
      for (double value : data.floats()) {
        total += value;
      }
    }
    return new HistogramSummary(
        info.path("id").asText(NO_ID),
        info.path("state").asText("?"),
        Arrays.stream(message.shape()).boxed().collect(Collectors.toUnmodifiableList()),
        total,
        data.isInteger(),
        info);
  }

  /** The info's rate, if it has one. */
  public Optional<Double> rate() {
    JsonNode rate = info.get("rate");
    return rate != null && rate.isNumber() ? Optional.of(rate.asDouble()) : Optional.empty();
  }

  /** The error message of a histogram in ERROR, if any. */
  public Optional<String> errorMessage() {
    JsonNode message = info.get("error_message");
    return message != null && !message.isNull() ? Optional.of(message.asText()) : Optional.empty();
  }

  /** The total counts as written: an integer for integer counts. */
  public String totalText() {
    return integerCounts ? Long.toString((long) total) : Double.toString(total);
  }

  /** {@code id=… state=… shape=[…] total=…} then the other info fields as {@code key=value}. */
  public String describe() {
    StringBuilder text =
        new StringBuilder()
            .append("id=")
            .append(id)
            .append(" state=")
            .append(state)
            .append(" shape=")
            .append(shape)
            .append(" total=")
            .append(totalText());
    Iterator<Map.Entry<String, JsonNode>> fields = info.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      if (!field.getKey().equals("id") && !field.getKey().equals("state")) {
        JsonNode value = field.getValue();
        text.append(' ')
            .append(field.getKey())
            .append('=')
            .append(value.isTextual() ? value.asText() : value.toString());
      }
    }
    return text.toString();
  }

  private static ObjectNode parseInfo(String info) {
    if (!info.isBlank()) {
      try {
        JsonNode node = MAPPER.readTree(info);
        if (node instanceof ObjectNode) {
          return (ObjectNode) node;
        }
      } catch (IOException e) {
        // Shown below as the raw text: a viewer must not stop on odd info.
      }
      ObjectNode raw = JsonNodeFactory.instance.objectNode();
      raw.put("info", info);
      return raw;
    }
    return JsonNodeFactory.instance.objectNode();
  }
}
