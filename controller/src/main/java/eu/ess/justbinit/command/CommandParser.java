package eu.ess.justbinit.command;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import eu.ess.justbinit.rpc.EventSchema;
import eu.ess.justbinit.rpc.HistogramSchema;
import eu.ess.justbinit.rpc.HistogramSpec;
import eu.ess.justbinit.rpc.HistogramType;
import eu.ess.justbinit.rpc.Range;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * Turns a message of the command topic into a {@link Command}, or into a {@link Rejection} whose
 * message names the field and the reason. Validates a config as a whole: a config that yields a
 * {@link ConfigCommand} has every field of every histogram checked. Never throws on bad input.
 */
public final class CommandParser {
  /** A command longer than this is refused unread. */
  public static final int MAX_COMMAND_BYTES = 16 * 1024 * 1024;

  /** Each histogram is a JVM: a config asking for more is a mistake. */
  public static final int MAX_HISTOGRAMS = 100;

  /**
   * Bins of one histogram, whatever its type: its checkpoint, up to 10 bytes a count, and its
   * layout, 8 bytes an edge, must each fit one message between worker and controller (1 GiB). The
   * heap a worker needs and the output topic's message limit are checked when the config arrives.
   */
  public static final long MAX_BINS = 100_000_000L;

  /** Objects and lists in one command: a config of 100 histograms has about 1,000. */
  static final int MAX_CONTAINERS = 10_000;

  /** Values and field names in one command: room for a roihist of 200,000 rows. */
  static final int MAX_VALUES = 250_000;

  static final int MAX_LIST_LENGTH = 1000;
  static final int MAX_MSG_ID_CHARS = 1024;
  static final int MAX_STRING_CHARS = 1024 * 1024;
  static final int MAX_NESTING = 64;
  private static final int MAX_QUOTED_CHARS = 60;

  /** The id that a stop or reset_counts gives to mean every histogram. */
  public static final String ALL = "all";

  private static final Logger LOG = Logger.getLogger(CommandParser.class.getName());
  private static final Pattern TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");
  private static final Pattern BROKER = Pattern.compile("[^\\s,]+:[0-9]{1,5}");

  private static final Set<String> CONFIG_FIELDS =
      Set.of(
          "cmd",
          "msg_id",
          "start",
          "stop",
          "interval",
          "input_schema",
          "output_schema",
          "histograms",
          "data_brokers",
          "data_topics");
  private static final Set<String> COMMON_FIELDS =
      Set.of(
          "type",
          "id",
          "topic",
          "data_brokers",
          "data_topics",
          "source",
          "input_schema",
          "output_schema");
  private static final Map<String, HistogramType> TYPES =
      Map.of(
          "hist1d", HistogramType.HIST1D,
          "hist2d", HistogramType.HIST2D,
          "dethist", HistogramType.DETHIST,
          "roihist", HistogramType.ROIHIST);
  private static final Map<HistogramType, Set<String>> TYPE_FIELDS =
      Map.of(
          HistogramType.HIST1D, Set.of("tof_range", "num_bins", "det_range"),
          HistogramType.HIST2D, Set.of("tof_range", "num_bins", "det_range"),
          HistogramType.DETHIST, Set.of("det_range", "width", "height"),
          HistogramType.ROIHIST, Set.of("left_edges", "width"));
  private static final Map<String, EventSchema> INPUT_SCHEMAS =
      Map.of("ev42", EventSchema.EV42, "ev44", EventSchema.EV44, "da00", EventSchema.DA00);
  private static final Map<String, HistogramSchema> OUTPUT_SCHEMAS =
      Map.of(
          "hs00",
          HistogramSchema.HS00,
          "hs01",
          HistogramSchema.HS01,
          "da00",
          HistogramSchema.DA00_OUT);

  private final Clock clock;
  private final ObjectMapper mapper;

  /**
   * Reads the msg_id of a command the strict reader refused: the same limits, but a duplicated key
   * is no obstacle, so that the command refused for it is still answered.
   */
  private final JsonFactory salvaging;

  /**
   * @param clock gives "now" for {@code interval}
   */
  public CommandParser(Clock clock) {
    this.clock = clock;
    StreamReadConstraints limits =
        StreamReadConstraints.builder()
            .maxStringLength(MAX_STRING_CHARS)
            .maxNestingDepth(MAX_NESTING)
            .maxDocumentLength(MAX_COMMAND_BYTES)
            .build();
    JsonFactory factory =
        JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .streamReadConstraints(limits)
            .build();
    this.salvaging = JsonFactory.builder().streamReadConstraints(limits).build();
    // Decimals as they came, so that a numeric msg_id is echoed unchanged (1.50 stays 1.50).
    this.mapper =
        new ObjectMapper(factory)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);
  }

  /** Never throws: bad input yields a {@link Rejection}. */
  public ParseResult parse(byte[] json) {
    if (json.length > MAX_COMMAND_BYTES) {
      return new Rejection(
          salvageMsgId(json),
          "Command too large: " + json.length + " bytes, at most " + MAX_COMMAND_BYTES);
    }
    Optional<String> tooComplex = tooComplex(json);
    if (tooComplex.isPresent()) {
      return new Rejection(salvageMsgId(json), tooComplex.get());
    }
    JsonNode root;
    try {
      root = mapper.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(json);
    } catch (StreamConstraintsException e) {
      return new Rejection(salvageMsgId(json), "Command refused: " + describe(e));
    } catch (JsonProcessingException e) {
      return new Rejection(salvageMsgId(json), "Malformed JSON: " + describe(e));
    } catch (IOException e) {
      return new Rejection(Optional.empty(), "Unreadable command: " + e.getMessage());
    }
    if (root == null || root.isMissingNode()) {
      return new Rejection(Optional.empty(), "Empty command: expected a JSON object");
    }
    if (!root.isObject()) {
      return new Rejection(Optional.empty(), "Command must be a JSON object, got " + quote(root));
    }
    Optional<MessageId> msgId = Optional.empty();
    try {
      msgId = msgId(root);
      return command(root, msgId);
    } catch (Refused e) {
      return new Rejection(e.msgId.isPresent() ? e.msgId : msgId, e.getMessage());
    }
  }

  private Command command(JsonNode root, Optional<MessageId> msgId) throws Refused {
    if (!present(root, "cmd")) {
      throw new Refused("cmd: missing (config, stop or reset_counts)");
    }
    JsonNode cmd = root.get("cmd");
    if (!cmd.isTextual()) {
      throw new Refused("cmd: must be a string (config, stop or reset_counts), got " + quote(cmd));
    }
    switch (cmd.textValue()) {
      case "config":
        return config(root, msgId);
      case "stop":
        return new StopCommand(msgId, target(root));
      case "reset_counts":
        return new ResetCountsCommand(msgId, target(root));
      default:
        throw new Refused("Unknown command type '" + abbreviate(cmd.textValue()) + "'");
    }
  }

  /**
   * The histogram a stop or reset_counts names: {@code hist_id} or {@code id} (SINQ's NICOS sends
   * both, equal); empty when neither is given or the id is {@code "all"}.
   */
  private static Optional<HistogramTarget> target(JsonNode root) throws Refused {
    Optional<String> histId = optionalString(root, "hist_id", "");
    Optional<String> id = optionalString(root, "id", "");
    if (histId.isPresent() && id.isPresent() && !histId.get().equals(id.get())) {
      throw new Refused(
          "hist_id, id: must name the same histogram when both are given, got "
              + quote(histId.get())
              + " and "
              + quote(id.get()));
    }
    String field = histId.isPresent() ? "hist_id" : "id";
    Optional<String> named = histId.or(() -> id);
    if (named.isEmpty() || named.get().equals(ALL)) {
      return Optional.empty();
    }
    if (named.get().isEmpty()) {
      throw new Refused(field + ": empty, expected a histogram's id or \"" + ALL + "\"");
    }
    return Optional.of(new HistogramTarget(named.get(), field));
  }

  private static Optional<MessageId> msgId(JsonNode root) throws Refused {
    if (!present(root, "msg_id")) {
      return Optional.empty();
    }
    JsonNode id = root.get("msg_id");
    String text = id.isTextual() ? id.textValue() : id.toString();
    if (text.length() > MAX_MSG_ID_CHARS) {
      // Echoed whole it could exceed the response topic's message size: the sender cannot match
      // it either way, but still gets its one response.
      throw new Refused(
          "msg_id: longer than " + MAX_MSG_ID_CHARS + " characters",
          Optional.of(MessageId.of(text.substring(0, MAX_MSG_ID_CHARS))));
    }
    if (!id.isTextual() && !id.isNumber()) {
      throw new Refused(
          "msg_id: must be a string or a number, got " + quote(id),
          Optional.of(MessageId.of(text)));
    }
    return Optional.of(MessageId.ofNode(id));
  }

  private ConfigCommand config(JsonNode root, Optional<MessageId> msgId) throws Refused {
    logIgnored(root, "config", CONFIG_FIELDS);
    OptionalLong start = millis(root, "start");
    OptionalLong stop = millis(root, "stop");
    OptionalDouble interval = number(root, "interval");
    if (interval.isPresent()) {
      if (start.isPresent() || stop.isPresent()) {
        throw new Refused("interval: cannot be combined with start and/or stop");
      }
      double seconds = interval.getAsDouble();
      if (!(seconds > 0)) {
        throw new Refused(
            "interval: must be a positive number of seconds, got " + quote(root.get("interval")));
      }
      long now = clock.millis();
      double millis = Math.rint(seconds * 1000);
      if (millis >= Long.MAX_VALUE - now) {
        throw new Refused("interval: too large, got " + quote(root.get("interval")));
      }
      start = OptionalLong.of(now);
      stop = OptionalLong.of(now + (long) millis);
    }
    if (start.isPresent() && stop.isPresent() && start.getAsLong() > stop.getAsLong()) {
      throw new Refused(
          "start: after stop (start " + start.getAsLong() + " > stop " + stop.getAsLong() + ")");
    }
    Defaults defaults =
        new Defaults(
            schema(root, "input_schema", INPUT_SCHEMAS, "input_schema").orElse(EventSchema.EV42),
            schema(root, "output_schema", OUTPUT_SCHEMAS, "output_schema")
                .orElse(HistogramSchema.HS00),
            present(root, "data_brokers")
                ? brokers(root.get("data_brokers"), "data_brokers")
                : null,
            present(root, "data_topics") ? topics(root.get("data_topics"), "data_topics") : null,
            start,
            stop);

    if (!present(root, "histograms")) {
      throw new Refused("histograms: missing, a config needs at least one histogram");
    }
    JsonNode histograms = root.get("histograms");
    if (!histograms.isArray()) {
      throw new Refused("histograms: must be a list of histograms, got " + quote(histograms));
    }
    if (histograms.isEmpty()) {
      throw new Refused("histograms: empty, a config needs at least one histogram");
    }
    if (histograms.size() > MAX_HISTOGRAMS) {
      throw new Refused(
          "histograms: " + histograms.size() + " histograms, at most " + MAX_HISTOGRAMS);
    }
    List<HistogramSpec> specs = new ArrayList<>(histograms.size());
    Map<String, Integer> indexOfId = new HashMap<>();
    for (int i = 0; i < histograms.size(); i++) {
      HistogramSpec spec = histogram(i, histograms.get(i), defaults);
      // Stop, reset and a config that adds find a histogram by its id: two would be ambiguous.
      Integer first = spec.getId().isEmpty() ? null : indexOfId.putIfAbsent(spec.getId(), i);
      if (first != null) {
        throw new Refused(
            "histograms["
                + i
                + "].id: "
                + quote(spec.getId())
                + " is already the id of histograms["
                + first
                + "], ids must differ");
      }
      specs.add(spec);
    }
    return new ConfigCommand(msgId, specs);
  }

  /** What a config says for all its histograms. Brokers and topics: the original's old style. */
  private record Defaults(
      EventSchema inputSchema,
      HistogramSchema outputSchema,
      List<String> dataBrokers,
      List<String> dataTopics,
      OptionalLong start,
      OptionalLong stop) {}

  private static HistogramSpec histogram(int index, JsonNode hist, Defaults defaults)
      throws Refused {
    String at = "histograms[" + index + "]";
    if (!hist.isObject()) {
      throw new Refused(at + ": must be an object, got " + quote(hist));
    }
    HistogramSpec.Builder spec = HistogramSpec.newBuilder().setIndex(index);

    String typeName = requiredString(hist, "type", at, "hist1d, hist2d, dethist or roihist");
    HistogramType type = TYPES.get(typeName);
    if (type == null) {
      throw new Refused(
          at
              + ".type: unknown histogram type '"
              + abbreviate(typeName)
              + "' (hist1d, hist2d, dethist or roihist)");
    }
    spec.setType(type);
    logIgnored(hist, at, union(COMMON_FIELDS, TYPE_FIELDS.get(type)));

    Optional<String> id = optionalString(hist, "id", at);
    id.ifPresent(spec::setId);
    String topic = requiredString(hist, "topic", at, "the output topic");
    checkTopic(topic, at + ".topic");
    spec.setOutputTopic(topic);
    spec.addAllDataBrokers(
        present(hist, "data_brokers")
            ? brokers(hist.get("data_brokers"), at + ".data_brokers")
            : required(defaults.dataBrokers(), at + ".data_brokers"));
    spec.addAllDataTopics(
        present(hist, "data_topics")
            ? topics(hist.get("data_topics"), at + ".data_topics")
            : required(defaults.dataTopics(), at + ".data_topics"));
    Optional<String> source = optionalString(hist, "source", at);
    source.filter(s -> !s.isBlank()).ifPresent(spec::setSource);
    EventSchema inputSchema =
        schema(hist, "input_schema", INPUT_SCHEMAS, at + ".input_schema")
            .orElse(defaults.inputSchema());
    if (inputSchema == EventSchema.DA00
        && (type == HistogramType.HIST2D || type == HistogramType.ROIHIST)) {
      // The frames carry no pixel ids for these types to bin: every frame would be dropped.
      throw new Refused(
          at
              + ".input_schema: "
              + typeName
              + " cannot take da00 (pre-binned frames); hist1d and dethist can");
    }
    spec.setInputSchema(inputSchema);
    spec.setOutputSchema(
        schema(hist, "output_schema", OUTPUT_SCHEMAS, at + ".output_schema")
            .orElse(defaults.outputSchema()));
    defaults.start().ifPresent(spec::setStartMs);
    defaults.stop().ifPresent(spec::setStopMs);

    switch (type) {
      case HIST1D -> {
        spec.setTofRange(range(hist, "tof_range", at, true).orElseThrow());
        range(hist, "det_range", at, false).ifPresent(spec::setDetRange);
        int bins = positiveInt(hist, "num_bins", at);
        checkBins(bins, at + ".num_bins", Integer.toString(bins));
        spec.setTofBins(bins);
      }
      case HIST2D -> {
        spec.setTofRange(range(hist, "tof_range", at, true).orElseThrow());
        spec.setDetRange(range(hist, "det_range", at, true).orElseThrow());
        int[] bins = bins2d(hist, at);
        checkBins((long) bins[0] * bins[1], at, bins[0] + " x " + bins[1]);
        spec.setTofBins(bins[0]).setDetBins(bins[1]);
      }
      case DETHIST -> {
        spec.setDetRange(firstPixel(hist, at));
        int width = positiveInt(hist, "width", at);
        int height = positiveInt(hist, "height", at);
        checkBins((long) width * height, at, width + " x " + height);
        spec.setWidth(width).setHeight(height);
      }
      case ROIHIST -> {
        int width = positiveInt(hist, "width", at);
        int[] leftEdges = leftEdges(hist, at, width);
        checkBins((long) width * leftEdges.length, at, width + " x " + leftEdges.length);
        spec.setWidth(width);
        for (int edge : leftEdges) {
          spec.addLeftEdges(edge);
        }
      }
      default -> throw new IllegalStateException("no such type: " + type);
    }
    return spec.build();
  }

  // ------------------------------------------------------------------ fields

  private static boolean present(JsonNode object, String field) {
    JsonNode value = object.get(field);
    return value != null && !value.isNull();
  }

  private static <T> T required(T fallback, String at) throws Refused {
    if (fallback == null) {
      throw new Refused(at + ": missing");
    }
    return fallback;
  }

  private static String requiredString(JsonNode object, String field, String at, String what)
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

  private static Optional<String> optionalString(JsonNode object, String field, String at)
      throws Refused {
    if (!present(object, field)) {
      return Optional.empty();
    }
    JsonNode value = object.get(field);
    if (!value.isTextual()) {
      throw new Refused(qualified(at, field) + ": must be a string, got " + quote(value));
    }
    return Optional.of(value.textValue());
  }

  private static OptionalLong millis(JsonNode object, String field) throws Refused {
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

  private static OptionalDouble number(JsonNode object, String field) throws Refused {
    if (!present(object, field)) {
      return OptionalDouble.empty();
    }
    JsonNode value = object.get(field);
    if (!value.isNumber() || !Double.isFinite(value.doubleValue())) {
      throw new Refused(field + ": must be a number (s), got " + quote(value));
    }
    return OptionalDouble.of(value.doubleValue());
  }

  private static <T> Optional<T> schema(
      JsonNode object, String field, Map<String, T> schemas, String name) throws Refused {
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

  private static List<String> strings(JsonNode value, String at, String what) throws Refused {
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

  private static List<String> brokers(JsonNode value, String at) throws Refused {
    List<String> brokers = strings(value, at, "host:port strings");
    for (int i = 0; i < brokers.size(); i++) {
      if (!BROKER.matcher(brokers.get(i)).matches()) {
        throw new Refused(at + "[" + i + "]: must be host:port, got " + quote(brokers.get(i)));
      }
    }
    return brokers;
  }

  private static List<String> topics(JsonNode value, String at) throws Refused {
    List<String> topics = strings(value, at, "topic names");
    for (int i = 0; i < topics.size(); i++) {
      checkTopic(topics.get(i), at + "[" + i + "]");
    }
    return topics;
  }

  private static void checkTopic(String topic, String at) throws Refused {
    if (!TOPIC.matcher(topic).matches() || topic.equals(".") || topic.equals("..")) {
      throw new Refused(
          at
              + ": not a valid Kafka topic name (1 to 249 of a-z A-Z 0-9 . _ -), got "
              + quote(topic));
    }
  }

  private static Optional<Range> range(JsonNode object, String field, String at, boolean required)
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

  private static double[] pair(JsonNode value, String name) throws Refused {
    if (!value.isArray()
        || value.size() != 2
        || !finiteNumber(value.get(0))
        || !finiteNumber(value.get(1))) {
      throw new Refused(name + ": must be [low, high], two numbers, got " + quote(value));
    }
    return new double[] {value.get(0).doubleValue(), value.get(1).doubleValue()};
  }

  private static boolean finiteNumber(JsonNode value) {
    return value.isNumber() && Double.isFinite(value.doubleValue());
  }

  /** dethist: det_range[0] is the first pixel; the second value is not used, as the original. */
  private static Range firstPixel(JsonNode hist, String at) throws Refused {
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

  private static boolean isInt(JsonNode value) {
    return value.isIntegralNumber() && value.canConvertToInt();
  }

  private static int positiveInt(JsonNode object, String field, String at) throws Refused {
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

  private static int[] bins2d(JsonNode hist, String at) throws Refused {
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

  private static int[] leftEdges(JsonNode hist, String at, int width) throws Refused {
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

  private static void checkBins(long bins, String at, String shape) throws Refused {
    if (bins > MAX_BINS) {
      throw new Refused(at + ": " + shape + " bins, at most " + MAX_BINS + " per histogram");
    }
  }

  // ------------------------------------------------------------------ messages

  private static String qualified(String at, String field) {
    return at.isEmpty() ? field : at + "." + field;
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> all = new HashSet<>(a);
    all.addAll(b);
    return all;
  }

  private static void logIgnored(JsonNode object, String at, Set<String> known) {
    if (!LOG.isLoggable(Level.FINE)) {
      return;
    }
    for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!known.contains(name)) {
        LOG.fine(at + ": ignoring field '" + abbreviate(name) + "'");
      }
    }
  }

  private static String quote(JsonNode value) {
    return abbreviate(value.toString());
  }

  private static String quote(String value) {
    return "\"" + abbreviate(value) + "\"";
  }

  /** User input in a message is cut short: the message must stay small whatever came in. */
  public static String abbreviate(String text) {
    return text.length() <= MAX_QUOTED_CHARS ? text : text.substring(0, MAX_QUOTED_CHARS) + "...";
  }

  private static String describe(JsonProcessingException e) {
    String message = e.getOriginalMessage();
    if (message.length() > 200) {
      message = message.substring(0, 200) + "...";
    }
    JsonLocation location = e.getLocation();
    return location == null
        ? message
        : message + " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
  }

  /**
   * A refusal when the command holds more objects, lists or values than a config can need: read
   * whole into a tree, ten megabytes of small objects would take gigabytes of heap. Counted in one
   * streaming pass that keeps nothing; a flaw in the JSON is left to the tree reader to report.
   */
  private Optional<String> tooComplex(byte[] json) {
    int containers = 0;
    int values = 0;
    try (JsonParser parser = mapper.getFactory().createParser(json)) {
      for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
        if (token.isStructStart()) {
          containers++;
        } else if (token.isScalarValue() || token == JsonToken.FIELD_NAME) {
          values++;
        }
        if (containers > MAX_CONTAINERS) {
          return Optional.of("Command refused: more than " + MAX_CONTAINERS + " objects and lists");
        }
        if (values > MAX_VALUES) {
          return Optional.of("Command refused: more than " + MAX_VALUES + " values and fields");
        }
      }
    } catch (IOException e) {
      LOG.log(Level.FINEST, "the tree reader reports it", e);
    }
    return Optional.empty();
  }

  /**
   * The top-level msg_id of a command that cannot be parsed whole: the first one, when it comes
   * before any flaw other than a duplicated key (after it, trailing garbage or a cut does not
   * matter). Too long, it is cut as {@link #msgId(JsonNode)} cuts it.
   */
  private Optional<MessageId> salvageMsgId(byte[] json) {
    try (JsonParser parser = salvaging.createParser(json)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return Optional.empty();
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        JsonToken token = parser.nextToken();
        if ("msg_id".equals(name)) {
          boolean scalarId =
              token == JsonToken.VALUE_STRING
                  || token == JsonToken.VALUE_NUMBER_INT
                  || token == JsonToken.VALUE_NUMBER_FLOAT;
          if (!scalarId) {
            return Optional.empty();
          }
          JsonNode id = mapper.readTree(parser);
          String text = id.isTextual() ? id.textValue() : id.toString();
          return Optional.of(
              text.length() <= MAX_MSG_ID_CHARS
                  ? MessageId.ofNode(id)
                  : MessageId.of(text.substring(0, MAX_MSG_ID_CHARS)));
        }
        parser.skipChildren();
      }
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.FINEST, "no msg_id before the flaw", e);
    }
    return Optional.empty();
  }

  /** A refusal on the way through the fields: becomes the {@link Rejection}. */
  private static final class Refused extends Exception {
    private final Optional<MessageId> msgId;

    Refused(String message) {
      this(message, Optional.empty());
    }

    Refused(String message, Optional<MessageId> msgId) {
      super(message, null, false, false);
      this.msgId = msgId;
    }
  }
}
