package eu.ess.justbinit.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * docs/benchmarks-cold.md: the cold-start figures (section "cold" of the results) against the
 * issue's targets and the original's figures, from the original's CSV of the same run when given,
 * else those measured on this kind of machine before.
 */
final class ColdStartReport {
  static final double START_TO_FIRST_TARGET_S = 1.0;
  static final double PROBE_TO_FIRST_TARGET_S = 0.5;
  static final double COLD_OVER_WARM_TARGET = 1.5;
  static final double RATE_OVER_ORIGINAL_TARGET = 3;

  /** The original's figures on a 2-core machine of this kind, median of 3, lower end. */
  private static final double QUOTED_START_TO_FIRST_S = 1.47;

  private static final double QUOTED_PROBE_TO_FIRST_S = 1.06;
  private static final Map<String, Double> QUOTED_CATCH_UP_S =
      Map.of(
          "A/hist1d", 2.56,
          "A/hist1d-det", 5.83,
          "A/hist2d", 4.41,
          "A/dethist", 3.82,
          "A/roihist", 3.32,
          "B/hist1d", 4.6,
          "B/hist1d-det", 42.4,
          "B/hist2d", 7.6,
          "B/dethist", 5.3,
          "B/roihist", 5.5);

  private final Results results;
  private final Map<String, List<Double>> original = new HashMap<>();
  private final String originalSource;

  /**
   * @param originalCsv the original's CSV (scripts/bench-original --cold), or null for the quoted
   *     figures
   */
  ColdStartReport(Results results, Path originalCsv) throws IOException {
    this.results = results;
    if (originalCsv == null) {
      originalSource =
          "the original's figures are quoted from an earlier run on a 2-core machine of this kind"
              + " (the lower end of its range), not measured in this run";
      return;
    }
    originalSource = "the original's figures are from " + originalCsv + ", measured beside these";
    List<String> lines = Files.readAllLines(originalCsv, StandardCharsets.UTF_8);
    List<String> columns = List.of(lines.get(0).trim().split(",", -1));
    for (String line : lines.subList(1, lines.size())) {
      if (line.isBlank()) {
        continue;
      }
      String[] cells = line.trim().split(",", -1);
      String cell = workloadKey(cells[columns.indexOf("workload")]);
      String type = typeKey(cells[columns.indexOf("type")]);
      for (String metric :
          List.of("start_to_first_histogram_s", "probe_to_first_histogram_s", "catch_up_s")) {
        int column = columns.indexOf(metric);
        if (column >= 0 && column < cells.length && !cells[column].isBlank()) {
          String key = metric.equals("catch_up_s") ? cell + "/" + type + "/" + metric : metric;
          original
              .computeIfAbsent(key, k -> new ArrayList<>())
              .add(Double.parseDouble(cells[column]));
        }
      }
    }
  }

  /** The bench's type key for what the original's CSV names it (hist1d+det_range and the like). */
  static String typeKey(String named) {
    String name = named.trim().toLowerCase(Locale.ROOT);
    if (name.startsWith("hist1d") && name.contains("det")) {
      return HistogramType.HIST1D_DET.key;
    }
    return HistogramType.of(name).key;
  }

  private static String workloadKey(String named) {
    String name = named.trim();
    int underscore = name.indexOf('_');
    return (underscore < 0 ? name : name.substring(0, underscore)).toUpperCase(Locale.ROOT);
  }

  private OptionalDouble originalStartToFirst() {
    return original.isEmpty()
        ? OptionalDouble.of(QUOTED_START_TO_FIRST_S)
        : medianOf("start_to_first_histogram_s");
  }

  private OptionalDouble originalProbeToFirst() {
    return original.isEmpty()
        ? OptionalDouble.of(QUOTED_PROBE_TO_FIRST_S)
        : medianOf("probe_to_first_histogram_s");
  }

  private OptionalDouble originalCatchUp(Workload workload, HistogramType type) {
    if (original.isEmpty()) {
      Double quoted = QUOTED_CATCH_UP_S.get(workload.base() + "/" + type.key);
      return quoted == null || !workload.name().equals(workload.base())
          ? OptionalDouble.empty()
          : OptionalDouble.of(quoted);
    }
    return medianOf(workload.base() + "/" + type.key + "/catch_up_s");
  }

  private OptionalDouble medianOf(String key) {
    List<Double> values = original.getOrDefault(key, List.of());
    return Results.median(values.stream().mapToDouble(Double::doubleValue).toArray());
  }

  String markdown(List<String> header, List<Workload> workloads, List<HistogramType> types) {
    StringBuilder text = new StringBuilder();
    text.append("# Cold-start benchmarks\n\n");
    text.append(
        "Written by `scripts/bench-cold` (the bench's cold phase); every raw figure is in"
            + " [benchmarks-cold.csv](benchmarks-cold.csv). The warm figures of a service that has"
            + " run a while are in [benchmarks-e2e.md](benchmarks-e2e.md).\n\n");
    for (String line : header) {
      text.append("- ").append(line).append('\n');
    }
    text.append("- Of the original: ").append(originalSource).append('\n');
    text.append('\n');
    text.append("## The protocol\n\n");
    text.append(
        "Every run starts a **fresh service**: the controller's command line (as"
            + " `scripts/just-bin-it` runs it) in a new JVM against the already running broker."
            + " As its process starts, a probe config (one hist1d, 1,000 bins, on the workload's"
            + " topic from its end) is sent, and sent again every 0.5 s until the controller"
            + " answers (as scripts/bench-original --cold does); its first histogram gives"
            + " **process start → first histogram** and **probe config → its first histogram**"
            + " (from the probe that was answered). Once per repeat, a service of its own gets"
            + " its first probe only one second after its start: **config 1 s after the start →"
            + " its first histogram**."
            + " The probe is stopped; one second later the **catch-up config** of one type (from"
            + " before the topic's first message; the first config of its type since the start)"
            + " is timed from its sending to the histogram that counted the last message"
            + " (**cold catch-up**); it is stopped, and one second later the same config again"
            + " (**warm catch-up**, the same service). Each figure is the median of the runs, each"
            + " on a service of its own.\n\n");

    text.append("## Start\n\n");
    text.append("| figure | median | runs | original | target | met |\n");
    text.append("|---|---:|---:|---:|---|---|\n");
    double[] start = results.values("cold", "start_to_first_s");
    double[] probe = results.values("cold", "probe_to_first_s");
    OptionalDouble startMedian = Results.median(start);
    OptionalDouble probeMedian = Results.median(probe);
    OptionalDouble originalStart = originalStartToFirst();
    boolean startMet =
        startMedian.isPresent()
            && startMedian.getAsDouble() <= START_TO_FIRST_TARGET_S
            && startMedian.getAsDouble() < originalStart.orElse(Double.MAX_VALUE);
    text.append(
        String.format(
            "| process start → first histogram | %s s | %s | %s s | ≤ %.1f s and below the"
                + " original | %s |%n",
            Report.fmt(startMedian),
            range(start),
            Report.fmt(originalStart),
            START_TO_FIRST_TARGET_S,
            Report.verdict(startMet)));
    text.append(
        String.format(
            "| probe config → its first histogram | %s s | %s | %s s | | |%n",
            Report.fmt(probeMedian), range(probe), Report.fmt(originalProbeToFirst())));
    double[] late = results.values("cold", "late_config_to_first_s");
    OptionalDouble lateMedian = Results.median(late);
    text.append(
        String.format(
            "| config 1 s after the start → its first histogram | %s s | %s | – | ≤ %.1f s | %s"
                + " |%n",
            Report.fmt(lateMedian),
            range(late),
            PROBE_TO_FIRST_TARGET_S,
            Report.verdict(
                lateMedian.isPresent() && lateMedian.getAsDouble() <= PROBE_TO_FIRST_TARGET_S)));
    text.append('\n');

    text.append("## Catch-up, the first config of its type after the start\n\n");
    text.append(
        "Seconds from the config's sending to the histogram that counted the last message."
            + " Targets: cold ≤ "
            + COLD_OVER_WARM_TARGET
            + " × warm, and at least "
            + (int) RATE_OVER_ORIGINAL_TARGET
            + " × the original's rate (the original's time ÷ ours).\n\n");
    text.append(
        "| workload | type | cold catch-up | warm catch-up | cold ÷ warm | cold: config → first"
            + " | original | × original's rate | worker peak | met |\n");
    text.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---|\n");
    for (Workload workload : workloads) {
      for (HistogramType type : types) {
        String w = workload.name();
        OptionalDouble cold = results.median("cold", w, type.key, "cold_catch_up_s");
        OptionalDouble warm = results.median("cold", w, type.key, "warm_catch_up_s");
        OptionalDouble first = results.median("cold", w, type.key, "cold_config_to_first_s");
        OptionalDouble peak = results.median("cold", w, type.key, "worker_peak_MB");
        OptionalDouble theirs = originalCatchUp(workload, type);
        if (cold.isEmpty()) {
          continue;
        }
        double ratio = warm.isPresent() ? cold.getAsDouble() / warm.getAsDouble() : Double.NaN;
        OptionalDouble times =
            theirs.isPresent()
                ? OptionalDouble.of(theirs.getAsDouble() / cold.getAsDouble())
                : OptionalDouble.empty();
        boolean met =
            ratio <= COLD_OVER_WARM_TARGET
                && (times.isEmpty() || times.getAsDouble() >= RATE_OVER_ORIGINAL_TARGET);
        text.append(
            String.format(
                "| %s | %s | %s s | %s s | %s | %s s | %s | %s | %s MB | %s |%n",
                w,
                type.label,
                Report.fmt(cold),
                Report.fmt(warm),
                Double.isNaN(ratio) ? "–" : String.format("%.2f", ratio),
                Report.fmt(first),
                theirs.isPresent() ? Report.fmt(theirs) + " s" : "–",
                times.isPresent() ? String.format("%.1f ×", times.getAsDouble()) : "–",
                Report.fmt(peak),
                Report.verdict(met)));
      }
    }
    text.append('\n');
    return text.toString();
  }

  private static String range(double[] values) {
    if (values.length == 0) {
      return "–";
    }
    double low = Double.MAX_VALUE;
    double high = -Double.MAX_VALUE;
    for (double value : values) {
      low = Math.min(low, value);
      high = Math.max(high, value);
    }
    return String.format("%d (%s–%s)", values.length, Report.fmt(low), Report.fmt(high));
  }
}
