package eu.ess.justbinit.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * CPU seconds from /proc (Linux): of one process, and of the whole machine busy, so that a run
 * shows where its cores went (how many the broker kept busy, how many were idle).
 */
final class CpuTime {
  /** USER_HZ, the unit of /proc's times: 100 on every Linux we run on. */
  private static final double TICKS_PER_SECOND = 100;

  /** A thread name's trailing number: "#1", "-2", "3" (what differs between a pool's threads). */
  private static final Pattern THREAD_NUMBER = Pattern.compile("[#-]?[0-9]+$");

  private CpuTime() {}

  /** User and system CPU seconds of process {@code pid}; 0 when it is gone. */
  static double processSeconds(long pid) {
    try {
      return cpuSeconds(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  /**
   * User and system CPU seconds of each thread of process {@code pid}, summed by the thread's name
   * without its number ("GC Thread#1" counts as "GC Thread"); empty when it is gone. Linux keeps
   * the first 15 characters of a name.
   */
  static Map<String, Double> threadSeconds(long pid) {
    Map<String, Double> seconds = new TreeMap<>();
    try (DirectoryStream<Path> tasks =
        Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
      for (Path task : tasks) {
        try {
          String stat = Files.readString(task.resolve("stat"));
          String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
          seconds.merge(THREAD_NUMBER.matcher(name).replaceAll(""), cpuSeconds(stat), Double::sum);
        } catch (IOException e) {
          // A thread that ended between listing and reading: its time is lost, as it would be
          // anyway; the other threads still count.
        }
      }
    } catch (IOException | RuntimeException e) {
      // The process is gone.
    }
    return seconds;
  }

  /** User and system CPU seconds of a /proc stat line, a process's or a thread's. */
  private static double cpuSeconds(String stat) {
    // Fields after the command name, which is in parentheses and may hold spaces.
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ", -1);
    return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND;
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
