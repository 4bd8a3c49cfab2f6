package eu.ess.justbinit.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU seconds from /proc (Linux): of one process, and of the whole machine busy, so that a run
 * shows where its cores went (how many the broker kept busy, how many were idle).
 */
final class CpuTime {
  /** USER_HZ, the unit of /proc's times: 100 on every Linux we run on. */
  private static final double TICKS_PER_SECOND = 100;

  private CpuTime() {}

  /** User and system CPU seconds of process {@code pid}; 0 when it is gone. */
  static double processSeconds(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // Fields after the command name, which is in parentheses and may hold spaces.
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ", -1);
      return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND;
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  /** CPU seconds every core of the machine spent busy (not idle, not waiting for I/O). */
  static double machineBusySeconds() {
    try {
      String line = Files.readAllLines(Path.of("/proc/stat"), StandardCharsets.UTF_8).get(0);
      String[] fields = line.trim().split("\\s+", -1);
      long busy = 0;
      for (int i = 1; i < fields.length; i++) {
        // 4: idle, 5: iowait; 9, 10: guest time, already counted in user time.
        if (i != 4 && i != 5 && i != 9 && i != 10) {
          busy += Long.parseLong(fields[i]);
        }
      }
      return busy / TICKS_PER_SECOND;
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }
}
