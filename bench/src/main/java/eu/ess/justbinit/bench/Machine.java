package eu.ess.justbinit.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * The machine the bench runs on, as the report's header and the progress lines name it: its CPU,
 * memory and Java, and its load average. Stateless; any thread may call it.
 */
final class Machine {
  /**
   * The cores of the device tool's machine, whose figures the report points to on a smaller one.
   */
  private static final int DEVICE_CORES = 16;

  private Machine() {}

  /** The report's header lines that describe this machine. */
  static List<String> describe() throws IOException {
    String cpu =
        Files.readAllLines(Path.of("/proc/cpuinfo"), StandardCharsets.UTF_8).stream()
            .filter(l -> l.startsWith("model name"))
            .findFirst()
            .map(l -> l.substring(l.indexOf(':') + 1).trim())
            .orElse("unknown CPU");
    String memory =
        Files.readAllLines(Path.of("/proc/meminfo"), StandardCharsets.UTF_8).stream()
            .filter(l -> l.startsWith("MemTotal"))
            .findFirst()
            .map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024 / 1024 + " GiB")
            .orElse("?");
    int cores = Runtime.getRuntime().availableProcessors();
    List<String> lines =
        Report.lines(
            String.format(
                "Run %s on %d cores (%s), %s memory, Java %s",
                Instant.now().toString().substring(0, 16).replace('T', ' '),
                cores,
                cpu,
                memory,
                System.getProperty("java.version")));
    if (cores < DEVICE_CORES) {
      lines.add(
          "Scaling stops at this machine's cores; the 16-core figures (the device tool's machine)"
              + " are in [benchmarks-e2e-device.md](benchmarks-e2e-device.md)");
    }
    return lines;
  }

  /** The 1, 5 and 15 minute load averages, "?" where /proc has none. */
  static String loadAverage() {
    try {
      String[] fields =
          Files.readString(Path.of("/proc/loadavg"), StandardCharsets.UTF_8).trim().split(" ", -1);
      return fields[0] + ", " + fields[1] + ", " + fields[2];
    } catch (IOException e) {
      return "?";
    }
  }
}
