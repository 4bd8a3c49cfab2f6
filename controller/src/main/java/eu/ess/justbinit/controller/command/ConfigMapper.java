package eu.ess.justbinit.controller.command;

import static eu.ess.justbinit.controller.command.CommandParser.MAX_BINS;
import static eu.ess.justbinit.controller.command.CommandParser.MAX_HISTOGRAMS;
import static eu.ess.justbinit.controller.command.CommandParser.abbreviate;
import static eu.ess.justbinit.controller.command.JsonFields.bins2d;
import static eu.ess.justbinit.controller.command.JsonFields.brokers;
import static eu.ess.justbinit.controller.command.JsonFields.checkTopic;
import static eu.ess.justbinit.controller.command.JsonFields.firstPixel;
import static eu.ess.justbinit.controller.command.JsonFields.leftEdges;
import static eu.ess.justbinit.controller.command.JsonFields.millis;
import static eu.ess.justbinit.controller.command.JsonFields.number;
import static eu.ess.justbinit.controller.command.JsonFields.optionalString;
import static eu.ess.justbinit.controller.command.JsonFields.positiveInt;
import static eu.ess.justbinit.controller.command.JsonFields.present;
import static eu.ess.justbinit.controller.command.JsonFields.quote;
import static eu.ess.justbinit.controller.command.JsonFields.range;
import static eu.ess.justbinit.controller.command.JsonFields.required;
import static eu.ess.justbinit.controller.command.JsonFields.requiredString;
import static eu.ess.justbinit.controller.command.JsonFields.schema;
import static eu.ess.justbinit.controller.command.JsonFields.topics;

import com.fasterxml.jackson.databind.JsonNode;
import eu.ess.justbinit.wire.rpc.EventSchema;
import eu.ess.justbinit.wire.rpc.HistogramSchema;
import eu.ess.justbinit.wire.rpc.HistogramSpec;
import eu.ess.justbinit.wire.rpc.HistogramType;
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

/**
 * Maps the JSON of one config command to a {@link ConfigCommand}: the config's timing and defaults,
 * then each of its histograms to a typed {@link HistogramSpec}, refusing at the first field that is
 * wrong. Holds only a clock; any thread may call it.
 */
final class ConfigMapper {
  /** The parser's logger: the fields a config ignores are logged under the parser's name. */
  private static final Logger LOG = Logger.getLogger(CommandParser.class.getName());

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

  /**
   * @param clock gives "now" for {@code interval}
   */
  ConfigMapper(Clock clock) {
    this.clock = clock;
  }

  /** The config command of {@code root}, whose cmd is "config", with every histogram checked. */
  ConfigCommand read(JsonNode root, Optional<MessageId> msgId) throws Refused {
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

  private static void checkBins(long bins, String at, String shape) throws Refused {
    if (bins > MAX_BINS) {
      throw new Refused(at + ": " + shape + " bins, at most " + MAX_BINS + " per histogram");
    }
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
}
