package eu.ess.justbinit.tools.viewer;

import eu.ess.justbinit.wire.codec.HistogramMessage;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The histogram type a plot shows, which names its axes: a published histogram does not say its
 * type, so the viewer is told it or guesses it from the shape and the bin edges. Immutable.
 */
public enum PlotKind {
  HIST1D("time of flight", "counts"),
  HIST2D("time of flight", "detector id"),
  DETHIST("pixel x", "pixel y"),
  ROIHIST("pixel in the row", "ROI row");

  private final String xQuantity;
  private final String yQuantity;

  PlotKind(String xQuantity, String yQuantity) {
    this.xQuantity = xQuantity;
    this.yQuantity = yQuantity;
  }

  /** The config's name of a type ({@code hist1d}, ...), if it is one. */
  public static Optional<PlotKind> named(String type) {
    for (PlotKind kind : values()) {
      if (kind.name().toLowerCase(Locale.ROOT).equals(type)) {
        return Optional.of(kind);
      }
    }
    return Optional.empty();
  }

  /**
   * The type of a histogram as its shape and edges tell: one dimension is hist1d; two whose edges
   * are the pixel indices 0, 1, 2, ... are a detector map (a region of interest looks the same:
   * only a hint tells it apart), any other two are hist2d.
   */
  public static PlotKind guess(HistogramMessage message) {
    List<HistogramMessage.Dimension> dimensions = message.dimensions();
    if (dimensions.size() < 2) {
      return HIST1D;
    }
    return pixelIndices(dimensions.get(0).boundaries())
            && pixelIndices(dimensions.get(1).boundaries())
        ? DETHIST
        : HIST2D;
  }

  private static boolean pixelIndices(double[] edges) {
    for (int i = 0; i < edges.length; i++) {
      if (edges[i] != i) {
        return false;
      }
    }
    return edges.length > 0;
  }

  /** Whether the first axis is time of flight, in ns in the histogram. */
  boolean timeOfFlight() {
    return this == HIST1D || this == HIST2D;
  }

  String xQuantity() {
    return xQuantity;
  }

  String yQuantity() {
    return yQuantity;
  }
}
