package eu.ess.justbinit.tools.viewer;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Tick values a reader takes in at a glance: steps of 1, 2 or 5 times a power of ten, written short
 * (20 k, 1.5 M rather than 20000 and 1500000). Stateless.
 */
final class AxisTicks {
  private AxisTicks() {}

  /** Round values from {@code low} to {@code high}, about {@code count} of them, both inclusive. */
  static double[] linear(double low, double high, int count) {
    if (!(high > low) || !Double.isFinite(low) || !Double.isFinite(high)) {
      return new double[] {low};
    }
    double step = step(low, high, count);
    List<Double> ticks = new ArrayList<>();
    double first = Math.ceil(low / step - 1e-9) * step;
    for (int i = 0; ; i++) {
      double value = first + i * step;
      if (value > high + step * 1e-9) {
        break;
      }
      ticks.add(Math.abs(value) < step * 1e-9 ? 0 : value);
    }
    return ticks.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /** Counts for a log(1 + count) scale up to {@code max}: 0, 1, 10, 100, ... */
  static double[] logCounts(double max) {
    List<Double> ticks = new ArrayList<>(List.of(0.0));
    for (double value = 1; value <= max; value *= 10) {
      ticks.add(value);
    }
    return ticks.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /** The tick step for about {@code count} ticks over the range. */
  static double step(double low, double high, int count) {
    double raw = (high - low) / Math.max(1, count);
    double power = Math.pow(10, Math.floor(Math.log10(raw)));
    double fraction = raw / power;
    double nice = fraction < 1.5 ? 1 : fraction < 3.5 ? 2 : fraction < 7.5 ? 5 : 10;
    return nice * power;
  }

  /**
   * The labels of an axis' ticks, in one unit for all: whole numbers below 100,000 as they are,
   * larger ones in k, M, G or T as the largest tick needs, fractions with as many decimals as
   * {@code step} needs.
   */
  static String[] labels(double[] values, double step) {
    double magnitude = Math.abs(step);
    for (double value : values) {
      magnitude = Math.max(magnitude, Math.abs(value));
    }
    String[] labels = new String[values.length];
    for (int i = 0; i < values.length; i++) {
      labels[i] = label(values[i], step, magnitude);
    }
    return labels;
  }

  /** One label, as {@link #labels} writes it on an axis that reaches {@code magnitude}. */
  static String label(double value, double step, double magnitude) {
    if (value == 0) {
      return "0";
    }
    if (magnitude >= 1e5) {
      int thousands = Math.min(4, (int) Math.floor(Math.log10(magnitude) / 3));
      double scale = Math.pow(1e3, thousands);
      return plain(value / scale, step / scale) + " " + "kMGT".charAt(thousands - 1);
    }
    return plain(value, step);
  }

  /** A count as it is, with thousands separated: 1,326,000. */
  static String count(double value) {
    return String.format(Locale.ROOT, "%,d", Math.round(value));
  }

  private static String plain(double value, double step) {
    int decimals = 0;
    while (decimals < 6
        && Math.abs(step * Math.pow(10, decimals) - Math.rint(step * Math.pow(10, decimals)))
            > 1e-6) {
      decimals++;
    }
    return String.format(Locale.ROOT, "%." + decimals + "f", value);
  }
}
