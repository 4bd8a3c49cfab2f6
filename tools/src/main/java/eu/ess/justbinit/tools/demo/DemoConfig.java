package eu.ess.justbinit.tools.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import eu.ess.justbinit.tools.viewer.PlotKind;
import eu.ess.justbinit.tools.viewer.PlotKinds;
import java.util.Map;

/**
 * The demo's config: one histogram of each type over the generator's detector-map events (ids row *
 * 100 + column on a 100 × 100 detector), all published as hs01 to one topic.
 */
final class DemoConfig {
  static final String HIST_1D = "tof-1d";
  static final String HIST_2D = "tof-vs-detector-2d";
  static final String DETECTOR_MAP = "detector-map";
  static final String REGION = "region-of-interest";

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final int TOF_MAX = 100_000_000;
  private static final int DETECTOR_SIDE = 100;
  private static final int ROI_FIRST = 35;
  private static final int ROI_SIDE = 30;

  private DemoConfig() {}

  /** The type of each histogram, so that the live page names their axes. */
  static PlotKinds kinds() {
    return PlotKinds.of(
        Map.of(
            HIST_1D, PlotKind.HIST1D,
            HIST_2D, PlotKind.HIST2D,
            DETECTOR_MAP, PlotKind.DETHIST,
            REGION, PlotKind.ROIHIST));
  }

  static String json(String brokers, String eventTopic, String histogramTopic) {
    ObjectNode config = MAPPER.createObjectNode();
    config.put("cmd", "config");
    config.put("input_schema", "ev44");
    config.put("output_schema", "hs01");
    ArrayNode histograms = config.putArray("histograms");

    ObjectNode hist1d =
        histogram(histograms, "hist1d", HIST_1D, brokers, eventTopic, histogramTopic);
    hist1d.putArray("tof_range").add(0).add(TOF_MAX);
    hist1d.put("num_bins", 100);

    ObjectNode hist2d =
        histogram(histograms, "hist2d", HIST_2D, brokers, eventTopic, histogramTopic);
    hist2d.putArray("tof_range").add(0).add(TOF_MAX);
    hist2d.putArray("det_range").add(0).add(DETECTOR_SIDE * DETECTOR_SIDE);
    hist2d.putArray("num_bins").add(100).add(100);

    ObjectNode dethist =
        histogram(histograms, "dethist", DETECTOR_MAP, brokers, eventTopic, histogramTopic);
    dethist.putArray("det_range").add(0).add(DETECTOR_SIDE * DETECTOR_SIDE - 1);
    dethist.put("width", DETECTOR_SIDE);
    dethist.put("height", DETECTOR_SIDE);

    ObjectNode roihist =
        histogram(histograms, "roihist", REGION, brokers, eventTopic, histogramTopic);
    ArrayNode leftEdges = roihist.putArray("left_edges");
    for (int row = ROI_FIRST; row < ROI_FIRST + ROI_SIDE; row++) {
      leftEdges.add(row * DETECTOR_SIDE + ROI_FIRST);
    }
    roihist.put("width", ROI_SIDE);
    return config.toString();
  }

  private static ObjectNode histogram(
      ArrayNode histograms,
      String type,
      String id,
      String brokers,
      String eventTopic,
      String histogramTopic) {
    ObjectNode histogram = histograms.addObject();
    histogram.put("type", type);
    histogram.put("id", id);
    histogram.putArray("data_brokers").add(brokers);
    histogram.putArray("data_topics").add(eventTopic);
    histogram.put("topic", histogramTopic);
    return histogram;
  }
}
