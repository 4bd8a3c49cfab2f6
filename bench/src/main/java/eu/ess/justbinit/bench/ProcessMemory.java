package eu.ess.justbinit.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/** A process's resident memory from /proc/PID/status (Linux). */
final class ProcessMemory {
  private ProcessMemory() {}

  /** VmRSS: resident now, MB; empty when the process is gone. */
  static OptionalLong residentMb(long pid) {
    return field(pid, "VmRSS:");
  }

  /** VmHWM: the most it was ever resident, MB; empty when the process is gone. */
  static OptionalLong peakResidentMb(long pid) {
    return field(pid, "VmHWM:");
  }

  private static OptionalLong field(long pid, String name) {
    try {
      for (String line :
          Files.readAllLines(
              Path.of("/proc", Long.toString(pid), "status"), StandardCharsets.UTF_8)) {
        if (line.startsWith(name)) {
          String kb = line.substring(name.length()).trim().split("\\s+", -1)[0];
          return OptionalLong.of(Long.parseLong(kb) / 1024);
        }
      }
      return OptionalLong.empty();
    } catch (IOException e) {
      return OptionalLong.empty();
    }
  }
}
