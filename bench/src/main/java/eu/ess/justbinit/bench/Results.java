package eu.ess.justbinit.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;

/** Every raw figure of a run, one row each, and their medians. */
final class Results {
  private final List<Row> rows = new ArrayList<>();

  /**
   * @param section what was measured (read, catchup, latency, rss, scaling, ...)
   * @param workload A, B, A10 or "" when none
   * @param subject the type, reader, or process
   * @param metric the figure's name
   * @param run 1.. within the median of 3
   * @param value the figure
   * @param unit its unit
   */
  record Row(
      String section,
      String workload,
      String subject,
      String metric,
      int run,
      double value,
      String unit) {}

  synchronized void add(
      String section,
      String workload,
      String subject,
      String metric,
      int run,
      double value,
      String unit) {
    rows.add(new Row(section, workload, subject, metric, run, value, unit));
    System.out.printf(
        "  %s %s %s %s #%d: %.4g %s%n", section, workload, subject, metric, run, value, unit);
  }

  /** The median over the runs of one figure; empty when it was not measured. */
  synchronized OptionalDouble median(
      String section, String workload, String subject, String metric) {
    double[] values =
        rows.stream()
            .filter(
                r ->
                    r.section.equals(section)
                        && r.workload.equals(workload)
                        && r.subject.equals(subject)
                        && r.metric.equals(metric))
            .mapToDouble(Row::value)
            .toArray();
    return median(values);
  }

  /** Every value of one figure, over every workload and subject of a section. */
  synchronized double[] values(String section, String metric) {
    return rows.stream()
        .filter(r -> r.section.equals(section) && r.metric.equals(metric))
        .mapToDouble(Row::value)
        .toArray();
  }

  /** The names of a section's figures, in the order they were first added. */
  synchronized List<String> metrics(String section) {
    return rows.stream()
        .filter(r -> r.section.equals(section))
        .map(Row::metric)
        .distinct()
        .toList();
  }

  /** The largest value of one figure over every workload and subject of a section. */
  synchronized OptionalDouble max(String section, String metric) {
    return rows.stream()
        .filter(r -> r.section.equals(section) && r.metric.equals(metric))
        .mapToDouble(Row::value)
        .max();
  }

  static OptionalDouble median(double[] values) {
    if (values.length == 0) {
      return OptionalDouble.empty();
    }
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int middle = sorted.length / 2;
    return OptionalDouble.of(
        sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2);
  }

  /** The value below which {@code fraction} of the values lie (nearest rank). */
  static double percentile(double[] values, double fraction) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(fraction * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  synchronized void writeCsv(Path file) throws IOException {
    StringBuilder csv = new StringBuilder("section,workload,subject,metric,run,value,unit\n");
    for (Row r : rows) {
      csv.append(
          String.join(
              ",",
              r.section,
              r.workload,
              r.subject,
              r.metric,
              Integer.toString(r.run),
              Objects.toString(r.value),
              r.unit));
      csv.append('\n');
    }
    Files.writeString(file, csv, StandardCharsets.UTF_8);
  }
}
