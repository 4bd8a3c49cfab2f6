package eu.ess.justbinit.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.stream.Collectors;

/** The histograms the bench measures, each with its settings and the original's rates. */
enum HistogramType {
  HIST1D("hist1d", "hist1d, 1,000 bins", 92.6, 17.1),
  HIST1D_DET("hist1d-det", "hist1d, det_range [1, 6144]", 7.6, 0.71),
  HIST2D("hist2d", "hist2d [100, 100]", 13.1, 6.1),
  DETHIST("dethist", "dethist 32 × 192", 21.9, 13.0),
  ROIHIST("roihist", "roihist, 16 rows of 16", 95.5, 17.0);

  /** The detector of the stored events: 32 pixels wide, 192 high, ids from 1. */
  private static final int DETECTOR_WIDTH = 32;

  private static final int DETECTOR_HEIGHT = 192;
  private static final int ROI_SIDE = 16;

  /** The region's first row and column: its middle, where the Gaussian ids are densest. */
  private static final int ROI_FIRST_ROW = (DETECTOR_HEIGHT - ROI_SIDE) / 2;

  private static final int ROI_FIRST_COLUMN = (DETECTOR_WIDTH - ROI_SIDE) / 2;

  final String key;
  final String label;
  private final double pythonRateA;
  private final double pythonRateB;

  HistogramType(String key, String label, double pythonRateA, double pythonRateB) {
    this.key = key;
    this.label = label;
    this.pythonRateA = pythonRateA;
    this.pythonRateB = pythonRateB;
  }

  static HistogramType of(String key) {
    for (HistogramType type : values()) {
      if (type.key.equals(key)) {
        return type;
      }
    }
    throw new IllegalArgumentException(
        "unknown type "
            + key
            + ": "
            + Arrays.stream(values()).map(t -> t.key).collect(Collectors.joining(", ")));
  }

  /**
   * The original's catch-up rate after its first histogram, M events/s, for the bench's workload
   * {@code base} (A10 is A's kind of message).
   */
  double pythonRate(String base) {
    return base.equals("B") ? pythonRateB : pythonRateA;
  }

  /** Adds this type's fields to a histogram of a config. */
  void configure(ObjectNode histogram) {
    switch (this) {
      case HIST1D -> {
        histogram.put("type", "hist1d");
        histogram.putArray("tof_range").add(0).add(EventData.TOF_MAX);
        histogram.put("num_bins", 1000);
      }
      case HIST1D_DET -> {
        histogram.put("type", "hist1d");
        histogram.putArray("tof_range").add(0).add(EventData.TOF_MAX);
        histogram.putArray("det_range").add(EventData.PIXEL_MIN).add(EventData.PIXEL_MAX);
        histogram.put("num_bins", 1000);
      }
      case HIST2D -> {
        histogram.put("type", "hist2d");
        histogram.putArray("tof_range").add(0).add(EventData.TOF_MAX);
        histogram.putArray("det_range").add(EventData.PIXEL_MIN).add(EventData.PIXEL_MAX);
        histogram.putArray("num_bins").add(100).add(100);
      }
      case DETHIST -> {
        histogram.put("type", "dethist");
        histogram.putArray("det_range").add(EventData.PIXEL_MIN).add(EventData.PIXEL_MAX);
        histogram.put("width", DETECTOR_WIDTH);
        histogram.put("height", DETECTOR_HEIGHT);
      }
      case ROIHIST -> {
        histogram.put("type", "roihist");
        ArrayNode leftEdges = histogram.putArray("left_edges");
        for (int row = ROI_FIRST_ROW; row < ROI_FIRST_ROW + ROI_SIDE; row++) {
          leftEdges.add(EventData.PIXEL_MIN + row * DETECTOR_WIDTH + ROI_FIRST_COLUMN);
        }
        histogram.put("width", ROI_SIDE);
      }
    }
  }
}
