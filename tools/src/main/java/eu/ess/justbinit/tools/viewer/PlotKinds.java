package eu.ess.justbinit.tools.viewer;

import eu.ess.justbinit.wire.codec.HistogramMessage;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the viewer is told of the histograms' types, by id or for all: a published histogram does
 * not carry its type, and a region of interest looks like a detector map. Immutable.
 */
public final class PlotKinds {
  private final Map<String, PlotKind> byId;
  private final Optional<PlotKind> all;

  private PlotKinds(Map<String, PlotKind> byId, Optional<PlotKind> all) {
    this.byId = Map.copyOf(byId);
    this.all = all;
  }

  /** Nothing told: every type is guessed. */
  public static PlotKinds none() {
    return new PlotKinds(Map.of(), Optional.empty());
  }

  /** The types of these histogram ids. */
  public static PlotKinds of(Map<String, PlotKind> byId) {
    return new PlotKinds(byId, Optional.empty());
  }

  /**
   * Reads {@code --type} values: {@code ID=TYPE} for one histogram, {@code TYPE} for all.
   *
   * @throws IllegalArgumentException naming a value whose type is not hist1d, hist2d, dethist or
   *     roihist
   */
  public static PlotKinds parse(List<String> values) {
    Map<String, PlotKind> byId = new HashMap<>();
    Optional<PlotKind> all = Optional.empty();
    for (String value : values) {
      int equals = value.lastIndexOf('=');
      String type = value.substring(equals + 1);
      PlotKind kind =
          PlotKind.named(type)
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "--type "
                              + value
                              + ": the type must be hist1d, hist2d, dethist or roihist"));
      if (equals < 0) {
        all = Optional.of(kind);
      } else {
        byId.put(value.substring(0, equals), kind);
      }
    }
    return new PlotKinds(byId, all);
  }

  /** The type of histogram {@code id}: as told, else as its shape and edges tell. */
  public PlotKind of(String id, HistogramMessage message) {
    PlotKind told = byId.get(id);
    return told != null ? told : all.orElseGet(() -> PlotKind.guess(message));
  }
}
