package eu.ess.justbinit.controller.command;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import eu.ess.justbinit.wire.rpc.EventSchema;
import eu.ess.justbinit.wire.rpc.HistogramSchema;
import eu.ess.justbinit.wire.rpc.HistogramSpec;
import eu.ess.justbinit.wire.rpc.HistogramType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class CommandParserTest {
  private static final long NOW = 1_700_000_000_123L;
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
  private final CommandParser parser =
      new CommandParser(Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC));

  private static final String HIST1D =
      """
      {"type": "hist1d", "data_brokers": ["localhost:9092"], "data_topics": ["events"],
       "tof_range": [0, 100000000], "num_bins": 50, "topic": "output"}""";

  private ParseResult parse(String json) {
    return parser.parse(json.getBytes(UTF_8));
  }

  private ConfigCommand config(String json) {
    ParseResult result = parse(json);
    if (result instanceof Rejection rejection) {
      throw new AssertionError("refused: " + rejection.message());
    }
    return assertInstanceOf(ConfigCommand.class, result);
  }

  private HistogramSpec onlyHistogram(String histogram) {
    ConfigCommand config = config("{\"cmd\": \"config\", \"histograms\": [" + histogram + "]}");
    assertEquals(1, config.histograms().size());
    return config.histograms().get(0);
  }

  private String refusal(String json) {
    return assertInstanceOf(Rejection.class, parse(json)).message();
  }

  /** A config whose one histogram is HIST1D with {@code field} set to {@code value} (JSON). */
  private String hist1dWith(String field, String value) throws IOException {
    ObjectNode hist = (ObjectNode) JSON.readTree(HIST1D);
    if (value == null) {
      hist.remove(field);
    } else {
      hist.set(field, JSON.readTree(value));
    }
    return "{\"cmd\": \"config\", \"msg_id\": \"m\", \"histograms\": [" + hist + "]}";
  }

  // ---------------------------------------------------------------- the original's example

  @Test
  void parsesTheDocumentedExampleWithEveryField() {
    ConfigCommand config =
        config(
            """
            {"cmd": "config", "msg_id": "unique_id_123",
             "start": 1564727596867, "stop": 1564727668779,
             "input_schema": "ev44", "output_schema": "hs01",
             "histograms": [
               {"type": "hist1d", "data_brokers": ["localhost:9092"], "data_topics": ["TEST_events"],
                "tof_range": [0, 100000000], "num_bins": 50, "topic": "output_topic_for_1d",
                "source": "monitor1", "id": "histogram1d"},
               {"type": "hist2d", "data_brokers": ["localhost:9092"], "data_topics": ["TEST_events"],
                "tof_range": [0, 100000000], "det_range": [100, 1000], "num_bins": [50, 60],
                "topic": "output_topic_for_2d", "source": "detector1", "id": "histogram2d"},
               {"type": "dethist", "data_brokers": ["localhost:9092"], "data_topics": ["TEST_events"],
                "det_range": [1, 6145], "width": 32, "height": 192,
                "topic": "output_topic_for_map", "source": "freia_detector", "id": "histogram-map"},
               {"type": "roihist", "data_brokers": ["a:1", "b:2"], "data_topics": ["t1", "t2"],
                "left_edges": [33, 65, 97], "width": 16, "topic": "roi"}
             ]}""");
    assertEquals(Optional.of(MessageId.of("unique_id_123")), config.msgId());
    List<HistogramSpec> specs = config.histograms();
    assertEquals(4, specs.size());

    HistogramSpec h1 = specs.get(0);
    assertEquals(HistogramType.HIST1D, h1.getType());
    assertEquals(0, h1.getIndex());
    assertEquals("histogram1d", h1.getId());
    assertEquals("output_topic_for_1d", h1.getOutputTopic());
    assertEquals(List.of("localhost:9092"), h1.getDataBrokersList());
    assertEquals(List.of("TEST_events"), h1.getDataTopicsList());
    assertEquals("monitor1", h1.getSource());
    assertEquals(EventSchema.EV44, h1.getInputSchema());
    assertEquals(HistogramSchema.HS01, h1.getOutputSchema());
    assertEquals(0, h1.getTofRange().getLow());
    assertEquals(100_000_000, h1.getTofRange().getHigh());
    assertFalse(h1.hasDetRange());
    assertEquals(50, h1.getTofBins());
    assertEquals(1564727596867L, h1.getStartMs());
    assertEquals(1564727668779L, h1.getStopMs());

    HistogramSpec h2 = specs.get(1);
    assertEquals(HistogramType.HIST2D, h2.getType());
    assertEquals(1, h2.getIndex());
    assertEquals(100, h2.getDetRange().getLow());
    assertEquals(1000, h2.getDetRange().getHigh());
    assertEquals(50, h2.getTofBins());
    assertEquals(60, h2.getDetBins());
    assertEquals("detector1", h2.getSource());

    HistogramSpec map = specs.get(2);
    assertEquals(HistogramType.DETHIST, map.getType());
    assertEquals(1, map.getDetRange().getLow());
    assertEquals(6145, map.getDetRange().getHigh());
    assertEquals(32, map.getWidth());
    assertEquals(192, map.getHeight());
    assertFalse(map.hasTofRange());

    HistogramSpec roi = specs.get(3);
    assertEquals(HistogramType.ROIHIST, roi.getType());
    assertEquals(List.of(33, 65, 97), roi.getLeftEdgesList());
    assertEquals(16, roi.getWidth());
    assertEquals(List.of("a:1", "b:2"), roi.getDataBrokersList());
    assertEquals(List.of("t1", "t2"), roi.getDataTopicsList());
    assertEquals("", roi.getId());
    assertFalse(roi.hasSource());
  }

  @Test
  void defaultsAreTheOriginals() {
    HistogramSpec spec = onlyHistogram(HIST1D);
    assertEquals(EventSchema.EV42, spec.getInputSchema());
    assertEquals(HistogramSchema.HS00, spec.getOutputSchema());
    assertEquals("", spec.getId());
    assertFalse(spec.hasSource());
    assertFalse(spec.hasStartMs());
    assertFalse(spec.hasStopMs());
    assertEquals(0, spec.getStartOffsetsCount());
  }

  @Test
  void aHistogramMayOverrideTheConfigsSchemas() {
    ConfigCommand config =
        config(
            "{\"cmd\": \"config\", \"input_schema\": \"ev44\", \"histograms\": ["
                + HIST1D.replace("\"type\"", "\"output_schema\": \"hs01\", \"type\"")
                + ","
                + HIST1D.replace("\"type\"", "\"input_schema\": \"ev42\", \"type\"")
                + "]}");
    assertEquals(EventSchema.EV44, config.histograms().get(0).getInputSchema());
    assertEquals(HistogramSchema.HS01, config.histograms().get(0).getOutputSchema());
    assertEquals(EventSchema.EV42, config.histograms().get(1).getInputSchema());
    assertEquals(HistogramSchema.HS00, config.histograms().get(1).getOutputSchema());
  }

  /** One NICOS histogram entry: every key on every type, as NICOS always sends them. */
  private static String nicos(String type, String inputSchema, String id) {
    return """
        {"type": "%s", %s"source": "cbm1", "num_bins": 744,
         "tof_range": [0, 71428571], "det_range": [0, 100], "width": 10, "height": 10,
         "left_edges": [0, 10], "data_brokers": ["broker:9092"],
         "data_topics": ["bifrost_beam_monitor"], "topic": "bifrost_visualisation", "id": "%s"}"""
        .formatted(
            type, inputSchema == null ? "" : "\"input_schema\": \"" + inputSchema + "\", ", id);
  }

  @Test
  void takesNicosBifrostConfigWithDa00MonitorsBesideEv44() {
    ConfigCommand config =
        config(
            "{\"cmd\": \"config\", \"msg_id\": \"nicos-bifrost-1765100000\","
                + " \"input_schema\": \"ev44\", \"output_schema\": \"hs01\","
                + " \"start\": 1765100000000, \"histograms\": ["
                + nicos("hist1d", "da00", "nicos-mon_1-1765100000")
                + ","
                + nicos("hist1d", "ev44", "nicos-mon_4-1765100000")
                + ","
                + nicos("dethist", "da00", "image")
                + ","
                + nicos("hist2d", null, "tof-det")
                + ","
                + nicos("roihist", null, "roi")
                + ","
                + nicos("dethist", null, "events-image")
                + "]}");
    List<HistogramSpec> specs = config.histograms();
    assertEquals(EventSchema.DA00, specs.get(0).getInputSchema());
    assertEquals(744, specs.get(0).getTofBins());
    assertEquals(100, specs.get(0).getDetRange().getHigh());
    assertEquals(EventSchema.EV44, specs.get(1).getInputSchema());
    assertEquals(EventSchema.DA00, specs.get(2).getInputSchema());
    assertEquals(HistogramType.DETHIST, specs.get(2).getType());
    assertEquals(EventSchema.EV44, specs.get(3).getInputSchema());
    assertEquals(HistogramType.HIST2D, specs.get(3).getType());
    assertEquals(List.of(0, 10), specs.get(4).getLeftEdgesList());
    assertEquals(EventSchema.EV44, specs.get(5).getInputSchema());
    for (HistogramSpec spec : specs) {
      assertEquals(HistogramSchema.HS01, spec.getOutputSchema());
    }
  }

  @Test
  void da00IsAnInputSchemaAtTheTopLevelAndAnOutputSchemaAtEitherLevel() {
    ConfigCommand config =
        config(
            "{\"cmd\": \"config\", \"input_schema\": \"da00\", \"output_schema\": \"da00\","
                + " \"histograms\": ["
                + nicos("hist1d", null, "a")
                + ","
                + nicos("hist2d", "ev42", "b")
                    .replace("\"type\"", "\"output_schema\": \"hs00\", \"type\"")
                + "]}");
    assertEquals(EventSchema.DA00, config.histograms().get(0).getInputSchema());
    assertEquals(HistogramSchema.DA00_OUT, config.histograms().get(0).getOutputSchema());
    assertEquals(EventSchema.EV42, config.histograms().get(1).getInputSchema());
    assertEquals(HistogramSchema.HS00, config.histograms().get(1).getOutputSchema());
  }

  @Test
  void hist2dAndRoihistWithDa00AreRefusedNamingTheInputSchema() {
    assertEquals(
        "histograms[1].input_schema: hist2d cannot take da00 (pre-binned frames); hist1d and"
            + " dethist can",
        refusal(
            "{\"cmd\": \"config\", \"input_schema\": \"ev44\", \"histograms\": ["
                + nicos("hist1d", "da00", "a")
                + ","
                + nicos("hist2d", "da00", "b")
                + "]}"));
    assertEquals(
        "histograms[0].input_schema: roihist cannot take da00 (pre-binned frames); hist1d and"
            + " dethist can",
        refusal(
            "{\"cmd\": \"config\", \"input_schema\": \"da00\", \"histograms\": ["
                + nicos("roihist", null, "a")
                + "]}"));
    assertEquals(
        "histograms[0].input_schema: unknown schema \"da01\" (da00 or ev42 or ev44)",
        refusal("{\"cmd\": \"config\", \"histograms\": [" + nicos("hist1d", "da01", "a") + "]}"));
    assertEquals(
        "input_schema: unknown schema \"DA00\" (da00 or ev42 or ev44)",
        refusal(
            "{\"cmd\": \"config\", \"input_schema\": \"DA00\", \"histograms\": ["
                + nicos("hist1d", null, "a")
                + "]}"));
  }

  @Test
  void hist1dTakesAnOptionalDetRange() {
    HistogramSpec spec =
        onlyHistogram(HIST1D.replace("\"num_bins\"", "\"det_range\": [10, 20.5], \"num_bins\""));
    assertEquals(10, spec.getDetRange().getLow());
    assertEquals(20.5, spec.getDetRange().getHigh());
  }

  @Test
  void hist2dTakesOneBinCountForBothAxes() {
    HistogramSpec spec =
        onlyHistogram(
            """
            {"type": "hist2d", "data_brokers": ["k:9092"], "data_topics": ["e"], "topic": "o",
             "tof_range": [3.5, 10], "det_range": [2, 9], "num_bins": 10}""");
    assertEquals(10, spec.getTofBins());
    assertEquals(10, spec.getDetBins());
    assertEquals(3.5, spec.getTofRange().getLow());
  }

  @Test
  void blankSourceMeansEverySource() {
    assertFalse(
        onlyHistogram(HIST1D.replace("\"type\"", "\"source\": \"  \", \"type\"")).hasSource());
  }

  @Test
  void oldStyleBrokersAndTopicsAtTheTopLevelServeHistogramsWithoutTheirOwn() {
    ConfigCommand config =
        config(
            """
            {"cmd": "config", "data_brokers": ["old:9092"], "data_topics": ["old_events"],
             "histograms": [{"type": "hist1d", "tof_range": [0, 10], "num_bins": 5, "topic": "o"},
                            {"type": "hist1d", "tof_range": [0, 10], "num_bins": 5, "topic": "o",
                             "data_brokers": ["new:9092"], "data_topics": ["new_events"]}]}""");
    assertEquals(List.of("old:9092"), config.histograms().get(0).getDataBrokersList());
    assertEquals(List.of("old_events"), config.histograms().get(0).getDataTopicsList());
    assertEquals(List.of("new:9092"), config.histograms().get(1).getDataBrokersList());
    assertEquals(List.of("new_events"), config.histograms().get(1).getDataTopicsList());
  }

  @Test
  void unknownFieldsAreIgnoredAndLoggedAtDebug() {
    Logger logger = Logger.getLogger(CommandParser.class.getName());
    List<String> lines = new ArrayList<>();
    Handler handler =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            lines.add(record.getLevel() + " " + record.getMessage());
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    Level level = logger.getLevel();
    logger.setLevel(Level.FINE);
    logger.addHandler(handler);
    try {
      HistogramSpec spec =
          config(
                  "{\"cmd\": \"config\", \"colour\": \"blue\", \"histograms\": ["
                      + HIST1D.replace("\"type\"", "\"width\": 3, \"type\"")
                      + "]}")
              .histograms()
              .get(0);
      assertEquals(0, spec.getWidth());
    } finally {
      logger.removeHandler(handler);
      logger.setLevel(level);
    }
    assertEquals(
        List.of(
            "FINE config: ignoring field 'colour'", "FINE histograms[0]: ignoring field 'width'"),
        lines);
  }

  static List<Path> conformanceCases() throws IOException {
    Path dir = Path.of(System.getProperty("jbi.testdata.dir", "../testdata"), "conformance");
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
  }

  @ParameterizedTest
  @MethodSource("conformanceCases")
  void acceptsEveryConformanceCasesHistogram(Path file) throws IOException {
    JsonNode testCase = JSON.readTree(file.toFile());
    ObjectNode command = JSON.createObjectNode().put("cmd", "config");
    command.set("start", testCase.get("start"));
    command.set("stop", testCase.get("stop"));
    command.putArray("histograms").add(testCase.get("histogram"));
    HistogramSpec spec = config(command.toString()).histograms().get(0);
    assertEquals(
        testCase.get("histogram").get("type").textValue(),
        spec.getType().name().toLowerCase(java.util.Locale.ROOT));
    assertEquals(testCase.get("start").isNull(), !spec.hasStartMs());
    assertEquals(testCase.get("stop").isNull(), !spec.hasStopMs());
  }

  // ---------------------------------------------------------------- time window

  @Test
  void intervalStartsNowAndStopsAfterIt() {
    ConfigCommand config =
        config("{\"cmd\": \"config\", \"interval\": 5, \"histograms\": [" + HIST1D + "]}");
    assertEquals(NOW, config.histograms().get(0).getStartMs());
    assertEquals(NOW + 5000, config.histograms().get(0).getStopMs());
    ConfigCommand fractional =
        config("{\"cmd\": \"config\", \"interval\": 0.25, \"histograms\": [" + HIST1D + "]}");
    assertEquals(NOW + 250, fractional.histograms().get(0).getStopMs());
  }

  @Test
  void startAndStopMayBeIntegralFloatsAndNullMeansAbsent() {
    HistogramSpec spec =
        config(
                "{\"cmd\": \"config\", \"start\": 1.5e12, \"stop\": null, \"histograms\": ["
                    + HIST1D
                    + "]}")
            .histograms()
            .get(0);
    assertEquals(1_500_000_000_000L, spec.getStartMs());
    assertFalse(spec.hasStopMs());
  }

  @Test
  void startEqualToStopIsAccepted() {
    HistogramSpec spec =
        config("{\"cmd\": \"config\", \"start\": 7, \"stop\": 7, \"histograms\": [" + HIST1D + "]}")
            .histograms()
            .get(0);
    assertEquals(7, spec.getStopMs());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          "interval": 5, "start": 1              | interval: cannot be combined with start and/or stop
          "interval": 5, "stop": 1               | interval: cannot be combined with start and/or stop
          "interval": -5                         | interval: must be a positive number of seconds, got -5
          "interval": 0                          | interval: must be a positive number of seconds, got 0
          "interval": "5"                        | interval: must be a number (s), got "5"
          "interval": 1e300                      | interval: too large, got 1E+300
          "start": 10, "stop": 5                 | start: after stop (start 10 > stop 5)
          "start": "now"                         | start: must be an integer (ms since epoch), got "now"
          "start": 1.5                           | start: must be an integer (ms since epoch), got 1.5
          "stop": -1                             | stop: must not be negative (ms since epoch), got -1
          "stop": 99999999999999999999999        | stop: must be an integer (ms since epoch), got 99999999999999999999999
          """)
  void refusesABadTimeWindow(String fields, String message) {
    assertEquals(
        message,
        refusal("{\"cmd\": \"config\", " + fields + ", \"histograms\": [" + HIST1D + "]}"));
  }

  // ---------------------------------------------------------------- refusals of a histogram

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      nullValues = "ABSENT",
      textBlock =
          """
          type         | ABSENT             | histograms[0].type: missing (hist1d, hist2d, dethist or roihist)
          type         | 3                  | histograms[0].type: must be a string, got 3
          type         | "hist3d"           | histograms[0].type: unknown histogram type 'hist3d' (hist1d, hist2d, dethist or roihist)
          topic        | ABSENT             | histograms[0].topic: missing (the output topic)
          topic        | ["a"]              | histograms[0].topic: must be a string, got ["a"]
          topic        | "a b"              | histograms[0].topic: not a valid Kafka topic name (1 to 249 of a-z A-Z 0-9 . _ -), got "a b"
          topic        | ""                 | histograms[0].topic: not a valid Kafka topic name (1 to 249 of a-z A-Z 0-9 . _ -), got ""
          topic        | ".."               | histograms[0].topic: not a valid Kafka topic name (1 to 249 of a-z A-Z 0-9 . _ -), got ".."
          id           | 5                  | histograms[0].id: must be a string, got 5
          source       | ["s"]              | histograms[0].source: must be a string, got ["s"]
          data_brokers | ABSENT             | histograms[0].data_brokers: missing
          data_brokers | []                 | histograms[0].data_brokers: empty, needs at least one
          data_brokers | "localhost:9092"   | histograms[0].data_brokers: must be a list of host:port strings, got "localhost:9092"
          data_brokers | ["localhost"]      | histograms[0].data_brokers[0]: must be host:port, got "localhost"
          data_brokers | ["a:1", 2]         | histograms[0].data_brokers[1]: must be a string, got 2
          data_topics  | ABSENT             | histograms[0].data_topics: missing
          data_topics  | []                 | histograms[0].data_topics: empty, needs at least one
          data_topics  | ["ok", "no/way"]   | histograms[0].data_topics[1]: not a valid Kafka topic name (1 to 249 of a-z A-Z 0-9 . _ -), got "no/way"
          input_schema | "ev43"             | histograms[0].input_schema: unknown schema "ev43" (da00 or ev42 or ev44)
          output_schema| 1                  | histograms[0].output_schema: unknown schema 1 (da00 or hs00 or hs01)
          tof_range    | ABSENT             | histograms[0].tof_range: missing ([low, high])
          tof_range    | [1]                | histograms[0].tof_range: must be [low, high], two numbers, got [1]
          tof_range    | [1, 2, 3]          | histograms[0].tof_range: must be [low, high], two numbers, got [1,2,3]
          tof_range    | ["0", 10]          | histograms[0].tof_range: must be [low, high], two numbers, got ["0",10]
          tof_range    | [0, 1e999]         | histograms[0].tof_range: must be [low, high], two numbers, got [0,1E+999]
          tof_range    | [10, 10]           | histograms[0].tof_range: empty or inverted range, low must be below high, got [10,10]
          tof_range    | [10, 0]            | histograms[0].tof_range: empty or inverted range, low must be below high, got [10,0]
          det_range    | [5, 1]             | histograms[0].det_range: empty or inverted range, low must be below high, got [5,1]
          num_bins     | ABSENT             | histograms[0].num_bins: missing (a positive integer)
          num_bins     | 0                  | histograms[0].num_bins: must be a positive integer, got 0
          num_bins     | -3                 | histograms[0].num_bins: must be a positive integer, got -3
          num_bins     | 2.5                | histograms[0].num_bins: must be a positive integer, got 2.5
          num_bins     | [5, 5]             | histograms[0].num_bins: must be a positive integer, got [5,5]
          num_bins     | 3000000000         | histograms[0].num_bins: must be a positive integer, got 3000000000
          num_bins     | 200000000          | histograms[0].num_bins: 200000000 bins, at most 100000000 per histogram
          num_bins     | 100000001          | histograms[0].num_bins: 100000001 bins, at most 100000000 per histogram
          """)
  void refusesABadHist1dField(String field, String value, String message) throws IOException {
    assertEquals(message, refusal(hist1dWith(field, value)));
  }

  private static final String HIST2D =
      """
      {"type": "hist2d", "data_brokers": ["k:9092"], "data_topics": ["e"], "topic": "o",
       "tof_range": [0, 10], "det_range": [0, 10], "num_bins": [2, 3]}""";
  private static final String DETHIST =
      """
      {"type": "dethist", "data_brokers": ["k:9092"], "data_topics": ["e"], "topic": "o",
       "det_range": [1, 100], "width": 10, "height": 10}""";
  private static final String ROIHIST =
      """
      {"type": "roihist", "data_brokers": ["k:9092"], "data_topics": ["e"], "topic": "o",
       "left_edges": [1, 11, 21], "width": 10}""";

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      nullValues = "ABSENT",
      textBlock =
          """
          HIST2D  | det_range  | ABSENT         | histograms[1].det_range: missing ([low, high])
          HIST2D  | num_bins   | ABSENT         | histograms[1].num_bins: missing (a positive integer or [tof bins, det bins])
          HIST2D  | num_bins   | [2, 0]         | histograms[1].num_bins: must be a positive integer or [tof bins, det bins] of positive integers, got [2,0]
          HIST2D  | num_bins   | [2]            | histograms[1].num_bins: must be a positive integer or [tof bins, det bins] of positive integers, got [2]
          HIST2D  | num_bins   | "2"            | histograms[1].num_bins: must be a positive integer or [tof bins, det bins] of positive integers, got "2"
          HIST2D  | num_bins   | [20000, 20000] | histograms[1]: 20000 x 20000 bins, at most 100000000 per histogram
          DETHIST | det_range  | ABSENT         | histograms[1].det_range: missing ([first pixel, last pixel])
          DETHIST | det_range  | [1.5, 9]       | histograms[1].det_range: the first pixel must be an integer, got [1.5,9]
          DETHIST | det_range  | [9, 1]         | histograms[1].det_range: inverted range, got [9,1]
          DETHIST | width      | 0              | histograms[1].width: must be a positive integer, got 0
          DETHIST | width      | ABSENT         | histograms[1].width: missing (a positive integer)
          DETHIST | height     | -1             | histograms[1].height: must be a positive integer, got -1
          DETHIST | height     | 100000000      | histograms[1]: 10 x 100000000 bins, at most 100000000 per histogram
          ROIHIST | left_edges | ABSENT         | histograms[1].left_edges: missing (the first pixel of each row)
          ROIHIST | left_edges | []             | histograms[1].left_edges: must be a non-empty list of integers, got []
          ROIHIST | left_edges | 5              | histograms[1].left_edges: must be a non-empty list of integers, got 5
          ROIHIST | left_edges | [1, "2"]       | histograms[1].left_edges[1]: must be an integer, got "2"
          ROIHIST | left_edges | [1, 5]         | histograms[1].left_edges[1]: rows must be increasing and not overlap: row 0 covers 1 to 10, row 1 starts at 5
          ROIHIST | left_edges | [20, 1]        | histograms[1].left_edges[1]: rows must be increasing and not overlap: row 0 covers 20 to 29, row 1 starts at 1
          ROIHIST | width      | 0              | histograms[1].width: must be a positive integer, got 0
          ROIHIST | width      | 200000000      | histograms[1]: 200000000 x 1 bins, at most 100000000 per histogram
          """)
  void refusesABadFieldOfTheOtherTypes(String type, String field, String value, String message)
      throws IOException {
    ObjectNode hist =
        (ObjectNode)
            JSON.readTree(
                switch (type) {
                  case "HIST2D" -> HIST2D;
                  case "DETHIST" -> DETHIST;
                  default -> ROIHIST;
                });
    if (value == null) {
      hist.remove(field);
    } else {
      hist.set(field, JSON.readTree(value));
    }
    if (field.equals("width") && value != null && value.equals("200000000")) {
      hist.set("left_edges", JSON.readTree("[0]"));
    }
    assertEquals(
        message, refusal("{\"cmd\": \"config\", \"histograms\": [" + HIST1D + ", " + hist + "]}"));
  }

  @Test
  void everyTypeMayHaveAsManyBinsAsTheLimitAndNoMore() throws IOException {
    assertEquals(
        CommandParser.MAX_BINS,
        config(hist1dWith("num_bins", Long.toString(CommandParser.MAX_BINS)))
            .histograms()
            .get(0)
            .getTofBins());
    ObjectNode map = (ObjectNode) JSON.readTree(DETHIST);
    map.put("width", 10_000).put("height", 10_000);
    assertEquals(10_000, onlyHistogram(map.toString()).getHeight());
    ObjectNode hist2d = (ObjectNode) JSON.readTree(HIST2D);
    hist2d.set("num_bins", JSON.readTree("[10000, 10000]"));
    assertEquals(10_000, onlyHistogram(hist2d.toString()).getDetBins());
  }

  @Test
  void acceptsContiguousRoiRows() {
    HistogramSpec spec = onlyHistogram(ROIHIST);
    assertEquals(List.of(1, 11, 21), spec.getLeftEdgesList());
  }

  // ---------------------------------------------------------------- refusals of a config

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          {"cmd": "config"}                                 | histograms: missing, a config needs at least one histogram
          {"cmd": "config", "histograms": []}               | histograms: empty, a config needs at least one histogram
          {"cmd": "config", "histograms": {}}               | histograms: must be a list of histograms, got {}
          {"cmd": "config", "histograms": [5]}              | histograms[0]: must be an object, got 5
          {"cmd": "config", "input_schema": "ev99", "histograms": []} | input_schema: unknown schema "ev99" (da00 or ev42 or ev44)
          {"cmd": "config", "output_schema": "hs02", "histograms": []} | output_schema: unknown schema "hs02" (da00 or hs00 or hs01)
          {"cmd": "config", "data_topics": "x", "histograms": []} | data_topics: must be a list of topic names, got "x"
          """)
  void refusesABadConfig(String json, String message) {
    assertEquals(message, refusal(json));
  }

  @Test
  void refusesMoreHistogramsThanAConfigMayHave() {
    StringBuilder json = new StringBuilder("{\"cmd\": \"config\", \"histograms\": [");
    for (int i = 0; i <= CommandParser.MAX_HISTOGRAMS; i++) {
      json.append(i == 0 ? "" : ",").append(HIST1D);
    }
    assertEquals("histograms: 101 histograms, at most 100", refusal(json.append("]}").toString()));
  }

  @Test
  void refusesTooManyDataTopics() {
    StringBuilder topics = new StringBuilder("[");
    for (int i = 0; i <= CommandParser.MAX_LIST_LENGTH; i++) {
      topics.append(i == 0 ? "" : ",").append("\"t").append(i).append('"');
    }
    assertEquals(
        "histograms[0].data_topics: 1001 entries, at most 1000",
        refusal(
            HIST1D
                .replace("[\"events\"]", topics.append(']'))
                .transform(h -> "{\"cmd\": \"config\", \"histograms\": [" + h + "]}")));
  }

  @Test
  void theFirstFlawIsReportedAndTheConfigIsRefusedWhole() {
    Rejection rejection =
        assertInstanceOf(
            Rejection.class,
            parse(
                "{\"cmd\": \"config\", \"msg_id\": 7, \"histograms\": ["
                    + HIST1D
                    + ","
                    + HIST1D.replace("50", "-50")
                    + "]}"));
    assertEquals(
        "histograms[1].num_bins: must be a positive integer, got -50", rejection.message());
    assertEquals(Optional.of(MessageId.of(7)), rejection.msgId());
  }

  // ---------------------------------------------------------------- the command itself

  @Test
  void stopAndResetCountsCarryTheirMsgId() {
    assertEquals(
        new StopCommand(Optional.of(MessageId.of("s1"))),
        parse("{\"cmd\": \"stop\", \"msg_id\": \"s1\", \"extra\": true}"));
    assertEquals(new ResetCountsCommand(Optional.empty()), parse("{\"cmd\" : \"reset_counts\"}"));
    assertEquals(new StopCommand(Optional.empty()), parse("{\"cmd\": \"stop\", \"msg_id\": null}"));
  }

  @Test
  void stopAndResetCountsMayNameOneHistogramByHistIdOrId() {
    assertEquals(
        new StopCommand(
            Optional.of(MessageId.of("nicos-1")),
            Optional.of(new HistogramTarget("hist-1", "hist_id"))),
        parse(
            """
            {"cmd": "stop", "msg_id": "nicos-1", "hist_id": "hist-1", "id": "hist-1"}"""));
    assertEquals(
        new ResetCountsCommand(Optional.empty(), Optional.of(new HistogramTarget("h", "id"))),
        parse("{\"cmd\": \"reset_counts\", \"id\": \"h\"}"));
    assertEquals(
        new ResetCountsCommand(Optional.empty(), Optional.of(new HistogramTarget("h", "hist_id"))),
        parse("{\"cmd\": \"reset_counts\", \"hist_id\": \"h\", \"id\": null}"));
  }

  @Test
  void allOrNoIdMeansEveryHistogram() {
    assertEquals(
        new StopCommand(Optional.of(MessageId.of("n"))),
        parse("{\"cmd\": \"stop\", \"msg_id\": \"n\", \"hist_id\": \"all\", \"id\": \"all\"}"));
    assertEquals(
        new ResetCountsCommand(Optional.empty()),
        parse("{\"cmd\": \"reset_counts\", \"id\": \"all\"}"));
    assertEquals(new StopCommand(Optional.empty()), parse("{\"cmd\": \"stop\"}"));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          {"cmd": "stop", "msg_id": "x", "hist_id": "a", "id": "b"}       | hist_id, id: must name the same histogram when both are given, got "a" and "b"
          {"cmd": "reset_counts", "msg_id": "x", "hist_id": "all", "id": "a"} | hist_id, id: must name the same histogram when both are given, got "all" and "a"
          {"cmd": "stop", "msg_id": "x", "hist_id": 3}                    | hist_id: must be a string, got 3
          {"cmd": "reset_counts", "msg_id": "x", "id": ["a"]}             | id: must be a string, got ["a"]
          {"cmd": "stop", "msg_id": "x", "hist_id": ""}                   | hist_id: empty, expected a histogram's id or "all"
          """)
  void refusesABadHistogramIdAndKeepsTheMsgId(String json, String message) {
    Rejection rejection = assertInstanceOf(Rejection.class, parse(json));
    assertEquals(message, rejection.message());
    assertEquals(Optional.of(MessageId.of("x")), rejection.msgId());
  }

  @Test
  void refusesTwoHistogramsOfOneConfigWithTheSameIdNamingBoth() {
    String a = HIST1D.replace("}", ", \"id\": \"a\"}");
    String b = HIST1D.replace("}", ", \"id\": \"b\"}");
    assertEquals(
        "histograms[2].id: \"a\" is already the id of histograms[0], ids must differ",
        refusal("{\"cmd\": \"config\", \"histograms\": [" + a + ", " + b + ", " + a + "]}"));
    // Histograms without an id, or with an empty one, never clash.
    String blank = HIST1D.replace("}", ", \"id\": \"\"}");
    assertEquals(
        4,
        config(
                "{\"cmd\": \"config\", \"histograms\": ["
                    + HIST1D
                    + ", "
                    + HIST1D
                    + ", "
                    + blank
                    + ", "
                    + blank
                    + "]}")
            .histograms()
            .size());
  }

  @Test
  void aNumericMsgIdStaysANumber() {
    Command stop = assertInstanceOf(Command.class, parse("{\"cmd\": \"stop\", \"msg_id\": 12.5}"));
    assertEquals("12.5", stop.msgId().orElseThrow().toString());
    Command string =
        assertInstanceOf(Command.class, parse("{\"cmd\": \"stop\", \"msg_id\": \"12\"}"));
    assertEquals("\"12\"", string.msgId().orElseThrow().toString());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          {"cmd": "conf", "msg_id": "x"}   | Unknown command type 'conf'
          {"msg_id": "x"}                  | cmd: missing (config, stop or reset_counts)
          {"cmd": null, "msg_id": "x"}     | cmd: missing (config, stop or reset_counts)
          {"cmd": ["stop"], "msg_id": "x"} | cmd: must be a string (config, stop or reset_counts), got ["stop"]
          {"cmd": "STOP", "msg_id": "x"}   | Unknown command type 'STOP'
          """)
  void refusesAnUnknownOrMissingCmdAndKeepsTheMsgId(String json, String message) {
    Rejection rejection = assertInstanceOf(Rejection.class, parse(json));
    assertEquals(message, rejection.message());
    assertEquals(Optional.of(MessageId.of("x")), rejection.msgId());
  }

  @Test
  void aMsgIdOfTheWrongTypeIsRefusedButStillEchoed() {
    Rejection rejection =
        assertInstanceOf(Rejection.class, parse("{\"cmd\": \"stop\", \"msg_id\": {\"a\": 1}}"));
    assertEquals("msg_id: must be a string or a number, got {\"a\":1}", rejection.message());
    assertEquals("\"{\\\"a\\\":1}\"", rejection.msgId().orElseThrow().toString());
  }

  @Test
  void aHugeMsgIdIsRefusedWithItsBeginning() {
    String id = "x".repeat(5000);
    Rejection rejection =
        assertInstanceOf(Rejection.class, parse("{\"cmd\": \"stop\", \"msg_id\": \"" + id + "\"}"));
    assertEquals("msg_id: longer than 1024 characters", rejection.message());
    assertEquals(
        CommandParser.MAX_MSG_ID_CHARS + 2, rejection.msgId().orElseThrow().toString().length());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          {"cmd": "stop", "cmd": "config", "msg_id": "d"}                           | Malformed JSON: Duplicate field 'cmd'
          {"cmd": "config", "histograms": [{"type": 1, "type": 2}], "msg_id": "d"}  | Malformed JSON: Duplicate field 'type'
          {"x": {"y": 1, "y": 2}, "x": 3, "msg_id": "d", "cmd": "stop"}             | Malformed JSON: Duplicate field 'y'
          {"cmd": "stop", "msg_id": "d"} trailing garbage                           | Malformed JSON: Unrecognized token 'trailing'
          {"cmd": "stop", "msg_id": "d", "histograms": [{"ty                        | Malformed JSON: Unexpected end-of-input
          {"msg_id": "d", "cmd": "stop", "msg_id": "e"}                             | Malformed JSON: Duplicate field 'msg_id'
          """)
  void aCommandRefusedAsMalformedIsAnsweredWhenItsMsgIdCanBeRead(String json, String message) {
    Rejection rejection = assertInstanceOf(Rejection.class, parse(json));
    assertTrue(rejection.message().startsWith(message), rejection.message());
    assertEquals(Optional.of(MessageId.of("d")), rejection.msgId());
  }

  @Test
  void aHugeMsgIdAfterADuplicatedKeyIsAnsweredWithItsBeginning() {
    String id = "x".repeat(5000);
    Rejection rejection =
        assertInstanceOf(
            Rejection.class,
            parse("{\"cmd\": \"stop\", \"cmd\": \"stop\", \"msg_id\": \"" + id + "\"}"));
    assertEquals(
        Optional.of(MessageId.of(id.substring(0, CommandParser.MAX_MSG_ID_CHARS))),
        rejection.msgId());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          {"cmd": "stop", "msg_id": "d
          {"cmd": "stop" "msg_id": "d"}
          {"cmd": "stop", "msg_id": ["d"], "cmd": "stop"}
          [{"msg_id": "d"}]
          """)
  void noMsgIdIsMadeUpWhereNoneCanBeRead(String json) {
    Rejection rejection = assertInstanceOf(Rejection.class, parse(json));
    assertEquals(Optional.empty(), rejection.msgId(), rejection.message());
  }

  @Test
  void userTextInMessagesIsCutShort() {
    String message = refusal("{\"cmd\": \"" + "c".repeat(10_000) + "\"}");
    assertEquals("Unknown command type '" + "c".repeat(60) + "...'", message);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          {"cmd": "stop"                      | Malformed JSON: Unexpected end-of-input: expected close marker for Object (start marker at [Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); line: 1, column: 1]) (line 1, column 15)
          {"cmd": "stop"} {                   | Malformed JSON: Trailing token (of type START_OBJECT) found after value (bound as `com.fasterxml.jackson.databind.JsonNode`): not allowed as per `DeserializationFeature.FAIL_ON_TRAILING_TOKENS` (line 1, column 17)
          {"cmd": "stop", "cmd": "config"}    | Malformed JSON: Duplicate field 'cmd' (line 1, column 22)
          {cmd: stop}                         | Malformed JSON: Unexpected character ('c' (code 99)): was expecting double-quote to start field name (line 1, column 2)
          """)
  void refusesMalformedJson(String json, String message) {
    assertEquals(message, refusal(json));
  }

  @Test
  void malformedJsonKeepsAMsgIdThatCameBeforeTheFlaw() {
    Rejection rejection =
        assertInstanceOf(
            Rejection.class,
            parse(
                "{\"big\": [1, [2]], \"msg_id\": \"m7\", \"cmd\": \"config\", \"histograms\": [}"));
    assertTrue(rejection.message().startsWith("Malformed JSON: "), rejection.message());
    assertEquals(Optional.of(MessageId.of("m7")), rejection.msgId());
    Rejection noId =
        assertInstanceOf(Rejection.class, parse("{\"cmd\": \"config\", \"histograms\": [}"));
    assertEquals(Optional.empty(), noId.msgId());
    Rejection objectId = assertInstanceOf(Rejection.class, parse("{\"msg_id\": [1], \"cmd\": }"));
    assertEquals(Optional.empty(), objectId.msgId());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          ''              | Empty command: expected a JSON object
          '   '           | Empty command: expected a JSON object
          '[1, 2]'        | Command must be a JSON object, got [1,2]
          '"stop"'        | Command must be a JSON object, got "stop"
          'null'          | Command must be a JSON object, got null
          """)
  void refusesWhatIsNotAnObject(String json, String message) {
    Rejection rejection = assertInstanceOf(Rejection.class, parse(json));
    assertEquals(message, rejection.message());
    assertEquals(Optional.empty(), rejection.msgId());
  }

  @Test
  void refusesInvalidUtf8() {
    byte[] bytes = {'{', '"', 'c', '"', ':', '"', (byte) 0xff, '"', '}'};
    assertTrue(
        assertInstanceOf(Rejection.class, parser.parse(bytes))
            .message()
            .startsWith("Malformed JSON: "));
  }

  // ---------------------------------------------------------------- big and deep commands

  private static String roiWithRows(int rows) {
    StringBuilder edges = new StringBuilder(rows * 9).append('[');
    for (int i = 0; i < rows; i++) {
      edges.append(i == 0 ? "" : ",").append(i * 2);
    }
    return "{\"cmd\": \"config\", \"msg_id\": \"big\", \"histograms\": ["
        + ROIHIST.replace("[1, 11, 21]", edges.append(']')).replace("10}", "2}")
        + "]}";
  }

  @Test
  void aConfigOfTwoHundredThousandRoiRowsParses() {
    HistogramSpec spec = config(roiWithRows(200_000)).histograms().get(0);
    assertEquals(200_000, spec.getLeftEdgesCount());
    assertEquals(399_998, spec.getLeftEdges(199_999));
  }

  @Test
  void aTenMegabyteConfigIsRefusedForItsNumberOfValues() {
    String json = roiWithRows(1_400_000);
    assertTrue(json.length() > 10_000_000, "size " + json.length());
    Rejection rejection = assertInstanceOf(Rejection.class, parse(json));
    assertEquals("Command refused: more than 250000 values and fields", rejection.message());
    assertEquals(Optional.of(MessageId.of("big")), rejection.msgId());
  }

  @Test
  void tenMegabytesOfSmallObjectsAreRefusedBeforeTheyFillTheHeap() {
    String json = "{\"msg_id\": 3, \"cmd\": \"stop\", \"x\": [" + "{},".repeat(3_000_000) + "{}]}";
    Rejection rejection = assertInstanceOf(Rejection.class, parse(json));
    assertEquals("Command refused: more than 10000 objects and lists", rejection.message());
    assertEquals(Optional.of(MessageId.of(3)), rejection.msgId());
  }

  @Test
  void aTenMegabyteStringIsRefusedWithItsMsgId() {
    String json =
        "{\"msg_id\": \"s\", \"cmd\": \"config\", \"id\": \"" + "a".repeat(10_000_000) + "\"}";
    Rejection rejection = assertInstanceOf(Rejection.class, parse(json));
    assertTrue(
        rejection.message().startsWith("Command refused: String value length"),
        rejection.message());
    assertTrue(rejection.message().length() < 400, rejection.message());
    assertEquals(Optional.of(MessageId.of("s")), rejection.msgId());
  }

  @Test
  void deepNestingIsRefused() {
    String json = "{\"msg_id\": 1, \"cmd\": " + "[".repeat(100_000) + "]".repeat(100_000) + "}";
    Rejection rejection = assertInstanceOf(Rejection.class, parse(json));
    assertTrue(
        rejection.message().startsWith("Command refused: Document nesting depth"),
        rejection.message());
    assertEquals(Optional.of(MessageId.of(1)), rejection.msgId());
  }

  @Test
  void aCommandOverTheSizeCapIsRefusedUnread() {
    byte[] json = new byte[CommandParser.MAX_COMMAND_BYTES + 1];
    byte[] head = "{\"msg_id\": \"huge\", \"cmd\": \"stop\", \"pad\": \"".getBytes(UTF_8);
    System.arraycopy(head, 0, json, 0, head.length);
    java.util.Arrays.fill(json, head.length, json.length, (byte) 'x');
    Rejection rejection = assertInstanceOf(Rejection.class, parser.parse(json));
    assertEquals("Command too large: 16777217 bytes, at most 16777216", rejection.message());
    assertEquals(Optional.of(MessageId.of("huge")), rejection.msgId());
  }
}
