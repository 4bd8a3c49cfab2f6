package eu.ess.justbinit.controller.command;

import static eu.ess.justbinit.controller.command.CommandParser.MAX_LIST_LENGTH;
import static eu.ess.justbinit.controller.command.CommandParser.abbreviate;

import com.fasterxml.jackson.databind.JsonNode;
import eu.ess.justbinit.wire.rpc.Range;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * Typed readers of one field of a command's JSON: each returns the value or throws a {@link
 * Refused} whose message names the field by its path ({@code histograms[1].num_bins}) and says what
 * was expected and what came. Stateless; any thread may call it.
 */
final class JsonFields {
  private static final Pattern TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");
  private static final Pattern BROKER = Pattern.compile("[^\\s,]+:[0-9]{1,5}");

  private JsonFields() {}

  static boolean present(JsonNode object, String field) {
    JsonNode value = object.get(field);
    return value != null && !value.isNull();
  }

  static <T> T required(T fallback, String at) throws Refused {
    if (fallback == null) {
      throw new Refused(at + ": missing");
    }
    return fallback;
  }

  static String requiredString(JsonNode object, String field, String at, String what)
      throws Refused {
    String name = qualified(at, field);
    if (!present(object, field)) {
      throw new Refused(name + ": missing (" + what + ")");
    }
    JsonNode value = object.get(field);
    if (!value.isTextual()) {
      throw new Refused(name + ": must be a string, got " + quote(value));
    }
    return value.textValue();
  }

  static Optional<String> optionalString(JsonNode object, String field, String at) throws Refused {
    if (!present(object, field)) {
      return Optional.empty();
    }
    JsonNode value = object.get(field);
    if (!value.isTextual()) {
      throw new Refused(qualified(at, field) + ": must be a string, got " + quote(value));
    }
    return Optional.of(value.textValue());
  }

  static OptionalLong millis(JsonNode object, String field) throws Refused {
    if (!present(object, field)) {
      return OptionalLong.empty();
    }
    JsonNode value = object.get(field);
    long millis;
    if (value.isIntegralNumber() && value.canConvertToLong()) {
      millis = value.longValue();
    } else if (value.isFloatingPointNumber()
        && value.doubleValue() == Math.rint(value.doubleValue())
        && Math.abs(value.doubleValue()) < 0x1p63) {
      millis = (long) value.doubleValue();
    } else {
      throw new Refused(field + ": must be an integer (ms since epoch), got " + quote(value));
    }
    if (millis < 0) {
      throw new Refused(field + ": must not be negative (ms since epoch), got " + millis);
    }
    return OptionalLong.of(millis);
  }

  static OptionalDouble number(JsonNode object, String field) throws Refused {
    if (!present(object, field)) {
      return OptionalDouble.empty();
    }
    JsonNode value = object.get(field);
    if (!value.isNumber() || !Double.isFinite(value.doubleValue())) {
      throw new Refused(field + ": must be a number (s), got " + quote(value));
    }
    return OptionalDouble.of(value.doubleValue());
  }

  static <T> Optional<T> schema(JsonNode object, String field, Map<String, T> schemas, String name)
      throws Refused {
    if (!present(object, field)) {
      return Optional.empty();
    }
    JsonNode value = object.get(field);
    T schema = value.isTextual() ? schemas.get(value.textValue()) : null;
    if (schema == null) {
      throw new Refused(
          name
              + ": unknown schema "
              + quote(value)
              + " ("
              + String.join(" or ", schemas.keySet().stream().sorted().toList())
              + ")");
    }
    return Optional.of(schema);
  }

  static List<String> strings(JsonNode value, String at, String what) throws Refused {
    if (!value.isArray()) {
      throw new Refused(at + ": must be a list of " + what + ", got " + quote(value));
    }
    if (value.isEmpty()) {
      throw new Refused(at + ": empty, needs at least one");
    }
    if (value.size() > MAX_LIST_LENGTH) {
      throw new Refused(at + ": " + value.size() + " entries, at most " + MAX_LIST_LENGTH);
    }
    List<String> strings = new ArrayList<>(value.size());
    for (int i = 0; i < value.size(); i++) {
      JsonNode element = value.get(i);
      if (!element.isTextual()) {
        throw new Refused(at + "[" + i + "]: must be a string, got " + quote(element));
      }
      strings.add(element.textValue());
    }
    return strings;
  }

  static List<String> brokers(JsonNode value, String at) throws Refused {
    List<String> brokers = strings(value, at, "host:port strings");
    for (int i = 0; i < brokers.size(); i++) {
      if (!BROKER.matcher(brokers.get(i)).matches()) {
        throw new Refused(at + "[" + i + "]: must be host:port, got " + quote(brokers.get(i)));
      }
    }
    return brokers;
  }

  static List<String> topics(JsonNode value, String at) throws Refused {
    List<String> topics = strings(value, at, "topic names");
    for (int i = 0; i < topics.size(); i++) {
      checkTopic(topics.get(i), at + "[" + i + "]");
    }
    return topics;
  }

  static void checkTopic(String topic, String at) throws Refused {
    if (!TOPIC.matcher(topic).matches() || topic.equals(".") || topic.equals("..")) {
      throw new Refused(
          at
              + ": not a valid Kafka topic name (1 to 249 of a-z A-Z 0-9 . _ -), got "
              + quote(topic));
    }
  }

  static Optional<Range> range(JsonNode object, String field, String at, boolean required)
      throws Refused {
    String name = at + "." + field;
    if (!present(object, field)) {
      if (required) {
        throw new Refused(name + ": missing ([low, high])");
      }
      return Optional.empty();
    }
    double[] bounds = pair(object.get(field), name);
    if (!(bounds[0] < bounds[1])) {
      throw new Refused(
          name
              + ": empty or inverted range, low must be below high, got "
              + quote(object.get(field)));
    }
    return Optional.of(Range.newBuilder().setLow(bounds[0]).setHigh(bounds[1]).build());
  }

  static double[] pair(JsonNode value, String name) throws Refused {
    if (!value.isArray()
        || value.size() != 2
        || !finiteNumber(value.get(0))
        || !finiteNumber(value.get(1))) {
      throw new Refused(name + ": must be [low, high], two numbers, got " + quote(value));
    }
    return new double[] {value.get(0).doubleValue(), value.get(1).doubleValue()};
  }

  static boolean finiteNumber(JsonNode value) {
    return value.isNumber() && Double.isFinite(value.doubleValue());
  }

  /** dethist: det_range[0] is the first pixel; the second value is not used, as the original. */
  static Range firstPixel(JsonNode hist, String at) throws Refused {
    String name = at + ".det_range";
    if (!present(hist, "det_range")) {
      throw new Refused(name + ": missing ([first pixel, last pixel])");
    }
    JsonNode value = hist.get("det_range");
    double[] bounds = pair(value, name);
    if (!isInt(value.get(0))) {
      throw new Refused(name + ": the first pixel must be an integer, got " + quote(value));
    }
    if (bounds[0] > bounds[1]) {
      throw new Refused(name + ": inverted range, got " + quote(value));
    }
    return Range.newBuilder().setLow(bounds[0]).setHigh(bounds[1]).build();
  }

  static boolean isInt(JsonNode value) {
    return value.isIntegralNumber() && value.canConvertToInt();
  }

  static int positiveInt(JsonNode object, String field, String at) throws Refused {
    String name = at + "." + field;
    if (!present(object, field)) {
      throw new Refused(name + ": missing (a positive integer)");
    }
    JsonNode value = object.get(field);
    if (!isInt(value) || value.intValue() < 1) {
      throw new Refused(name + ": must be a positive integer, got " + quote(value));
    }
    return value.intValue();
  }

  static int[] bins2d(JsonNode hist, String at) throws Refused {
    String name = at + ".num_bins";
    if (!present(hist, "num_bins")) {
      throw new Refused(name + ": missing (a positive integer or [tof bins, det bins])");
    }
    JsonNode value = hist.get("num_bins");
    if (isInt(value) && value.intValue() > 0) {
      return new int[] {value.intValue(), value.intValue()};
    }
    if (value.isArray()
        && value.size() == 2
        && isInt(value.get(0))
        && value.get(0).intValue() > 0
        && isInt(value.get(1))
        && value.get(1).intValue() > 0) {
      return new int[] {value.get(0).intValue(), value.get(1).intValue()};
    }
    throw new Refused(
        name
            + ": must be a positive integer or [tof bins, det bins] of positive integers, got "
            + quote(value));
  }

  static int[] leftEdges(JsonNode hist, String at, int width) throws Refused {
    String name = at + ".left_edges";
    if (!present(hist, "left_edges")) {
      throw new Refused(name + ": missing (the first pixel of each row)");
    }
    JsonNode value = hist.get("left_edges");
    if (!value.isArray() || value.isEmpty()) {
      throw new Refused(name + ": must be a non-empty list of integers, got " + quote(value));
    }
    int[] edges = new int[value.size()];
    for (int i = 0; i < edges.length; i++) {
      JsonNode edge = value.get(i);
      if (!isInt(edge)) {
        throw new Refused(name + "[" + i + "]: must be an integer, got " + quote(edge));
      }
      edges[i] = edge.intValue();
      if (i > 0 && (long) edges[i - 1] + width > edges[i]) {
        throw new Refused(
            name
                + "["
                + i
                + "]: rows must be increasing and not overlap: row "
                + (i - 1)
                + " covers "
                + edges[i - 1]
                + " to "
                + ((long) edges[i - 1] + width - 1)
                + ", row "
                + i
                + " starts at "
                + edges[i]);
      }
    }
    return edges;
  }

  static String qualified(String at, String field) {
    return at.isEmpty() ? field : at + "." + field;
  }

  static String quote(JsonNode value) {
    return abbreviate(value.toString());
  }

  static String quote(String value) {
    return "\"" + abbreviate(value) + "\"";
  }
}
