package eu.ess.justbinit.controller.command;

import static eu.ess.justbinit.controller.command.JsonFields.optionalString;
import static eu.ess.justbinit.controller.command.JsonFields.present;
import static eu.ess.justbinit.controller.command.JsonFields.quote;

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
import java.io.IOException;
import java.time.Clock;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Turns a message of the command topic into a {@link Command}, or into a {@link Rejection} whose
 * message names the field and the reason. Validates a config as a whole: a config that yields a
 * {@link ConfigCommand} has every field of every histogram checked. Never throws on bad input.
 * Immutable once built; any thread may call it.
 *
 * <p>It reads the JSON within its limits, recovers the msg_id and dispatches on cmd; a config's
 * histograms are mapped by {@link ConfigMapper}, each field read by {@link JsonFields}.
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

  private final ConfigMapper configs;
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
    this.configs = new ConfigMapper(clock);
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
      return new Rejection(e.msgId().isPresent() ? e.msgId() : msgId, e.getMessage());
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
        return configs.read(root, msgId);
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
}
