package eu.ess.justbinit.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/** docs/benchmarks-e2e.md: the medians of a run against the anchors and targets. */
final class Report {
  /**
   * The anchors: the original and librdkafka measured on this kind of machine, same broker set-up.
   */
  static final double LIBRDKAFKA_ANCHOR_MEVENTS = 125;

  static final double CONFIG_TO_FIRST_TARGET_S = 1.0;
  static final double PYTHON_CONFIG_TO_FIRST_S = 2.15;
  static final long WORKER_RSS_TARGET_MB = 160;
  static final double LATENCY_MARGIN_MS = 200;

  private final Results results;
  private final StringBuilder text = new StringBuilder();

  Report(Results results) {
    this.results = results;
  }

  /**
   * @param csvName the file name of the CSV beside the report
   */
  void header(List<String> lines, String csvName) {
    text.append("# End-to-end benchmarks\n\n");
    text.append(
        "Written by `scripts/bench` (the engine's microbenchmark is in"
            + " [benchmarks.md](benchmarks.md)); every raw figure is in ["
            + csvName
            + "]("
            + csvName
            + "). Each figure is the median of the runs"
            + " of one bench run, against the embedded single-node broker (kafka-testkit) on"
            + " loopback.\n\n");
    for (String line : lines) {
      text.append("- ").append(line).append('\n');
    }
    text.append('\n');
  }

  void readCeilings(List<Workload> workloads) {
    text.append("## Read ceiling (no decoding)\n\n");
    text.append(
        "M events/s (MB/s); a fresh JVM's first pass, then its second (warm). Anchors: librdkafka"
            + " ≈ 125 M events/s (≈ 1.0 GB/s); untuned kafka-clients 70 M (A) / 49 M (B) warm,"
            + " 19.5 M fresh.\n\n");
    text.append("| workload | reader | fresh JVM, 1st pass | warm (2nd pass) | warm MB/s |\n");
    text.append("|---|---|---:|---:|---:|\n");
    for (Workload w : workloads) {
      for (String reader : ReadCeilingRuns.READERS) {
        OptionalDouble warm = results.median("read", w.name(), reader, "warm_Mevents_per_s");
        if (warm.isEmpty()) {
          continue;
        }
        text.append(
            String.format(
                "| %s | %s | %s | %s | %s |%n",
                w.name(),
                reader,
                reader.equals(ReadCeilingRuns.LIBRDKAFKA)
                    ? "—"
                    : fmt(results.median("read", w.name(), reader, "fresh_Mevents_per_s")),
                fmt(warm),
                fmt(results.median("read", w.name(), reader, "warm_MB_per_s"))));
      }
    }
    text.append('\n');
  }

  /** The librdkafka rate this workload's catch-up is held against: measured, else the anchor. */
  double librdkafkaRate(Workload w) {
    return results
        .median("read", w.name(), ReadCeilingRuns.LIBRDKAFKA, "warm_Mevents_per_s")
        .orElse(LIBRDKAFKA_ANCHOR_MEVENTS);
  }

  void catchUps(List<Workload> workloads, List<HistogramType> types, long publishIntervalMs) {
    text.append("## Catch-up (config with `start` before the first message)\n\n");
    text.append(
        String.format(
            "Rate after the first histogram: the workload's events over the time from the first"
                + " published histogram to the first one whose last_pulse_time is the last"
                + " message's (publication timestamps, publish interval %d ms, so the end is"
                + " known to within one interval). Target: at least 1.2 × the original and at"
                + " least 0.8 × librdkafka's read rate of the same topic (measured above). Worker"
                + " CPU: the seconds of CPU the worker spent from the config to that histogram.%n%n",
            publishIntervalMs));
    text.append(
        "| workload | type | rate M ev/s | original | ≥ 1.2 × original | ≥ 0.8 × librdkafka |"
            + " send → all counted s | config → first s | histograms during catch-up (longest"
            + " gap ms) | worker CPU s |\n");
    text.append("|---|---|---:|---:|---|---|---:|---:|---:|---:|\n");
    for (Workload w : workloads) {
      for (HistogramType type : types) {
        OptionalDouble rate = results.median("catchup", w.name(), type.key, "rate_Mevents_per_s");
        if (rate.isEmpty()) {
          continue;
        }
        double python = type.pythonRate(w.base());
        double librdkafka = librdkafkaRate(w);
        text.append(
            String.format(
                "| %s | %s | %s | %s | %s | %s | %s | %s | %s (%s) | %s |%n",
                w.name(),
                type.label,
                fmt(rate),
                fmt(python),
                verdict(rate.getAsDouble() >= 1.2 * python),
                verdict(rate.getAsDouble() >= 0.8 * librdkafka)
                    + String.format(" (%.0f)", 0.8 * librdkafka),
                fmt(results.median("catchup", w.name(), type.key, "send_to_done_s")),
                fmt(results.median("catchup", w.name(), type.key, "config_to_first_s")),
                fmt(results.median("catchup", w.name(), type.key, "publishes")),
                fmt(results.median("catchup", w.name(), type.key, "max_gap_ms")),
                fmt(results.median("catchup", w.name(), type.key, "worker_cpu_s"))));
      }
    }
    text.append('\n');
  }

  /** Each catch-up's worker CPU by thread: one column per workload and type, medians. */
  void threadCpu(List<Workload> workloads, List<HistogramType> types) {
    List<String> threads = results.metrics("thread_cpu");
    if (threads.isEmpty()) {
      return;
    }
    text.append("### The worker's CPU by thread while catching up\n\n");
    text.append(
        "CPU seconds of each of the worker's threads from the config to the histogram that"
            + " counted the last message (/proc, 10 ms ticks; a pool's threads together), median"
            + " of the runs; threads below 0.01 s everywhere left out.\n\n");
    StringBuilder header = new StringBuilder("| thread |");
    StringBuilder rule = new StringBuilder("|---|");
    for (Workload w : workloads) {
      for (HistogramType type : types) {
        header.append(' ').append(w.name()).append(' ').append(type.key).append(" |");
        rule.append("---:|");
      }
    }
    text.append(header).append('\n').append(rule).append('\n');
    for (String thread : threads) {
      StringBuilder row = new StringBuilder("| `" + thread + "` |");
      boolean worthARow = false;
      for (Workload w : workloads) {
        for (HistogramType type : types) {
          OptionalDouble seconds = results.median("thread_cpu", w.name(), type.key, thread);
          worthARow |= seconds.orElse(0) >= 0.01;
          row.append(' ').append(String.format("%.2f", seconds.orElse(0))).append(" |");
        }
      }
      if (worthARow) {
        text.append(row).append('\n');
      }
    }
    text.append('\n');
  }

  void targets(List<String> rows) {
    text.append("## The other targets\n\n");
    text.append("| figure | measured | target | |\n|---|---:|---:|---|\n");
    for (String row : rows) {
      text.append(row).append('\n');
    }
    text.append('\n');
  }

  /** A row of the targets table. */
  static String targetRow(String figure, String measured, String target, boolean met) {
    return String.format("| %s | %s | %s | %s |", figure, measured, target, verdict(met));
  }

  void section(String title, String body) {
    text.append("## ").append(title).append("\n\n").append(body).append('\n');
  }

  void write(Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(file, text, StandardCharsets.UTF_8);
  }

  static String verdict(boolean met) {
    return met ? "met" : "**missed**";
  }

  static String fmt(OptionalDouble value) {
    return value.isPresent() ? fmt(value.getAsDouble()) : "—";
  }

  static String fmt(double value) {
    if (value >= 100) {
      return String.format("%.0f", value);
    }
    if (value >= 10) {
      return String.format("%.1f", value);
    }
    return String.format("%.2f", value);
  }

  static List<String> lines(String... lines) {
    return new ArrayList<>(List.of(lines));
  }
}
