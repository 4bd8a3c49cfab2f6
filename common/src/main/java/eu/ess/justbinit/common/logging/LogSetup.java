package eu.ess.justbinit.common.logging;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The one logging set-up of the controller and of every worker: java.util.logging's root logger
 * writes one line per record to stderr, at the level of the original's {@code -l 1..5}.
 */
public final class LogSetup {
  /** The lowest and highest {@code --log-level}. */
  public static final int MIN_LEVEL = 1;

  public static final int MAX_LEVEL = 5;

  private LogSetup() {}

  /**
   * The JUL level of a {@code --log-level}: 1 debug (FINE), 2 info, 3 warning, 4 error and 5
   * critical (both SEVERE: JUL has nothing above it).
   *
   * @throws IllegalArgumentException outside 1..5
   */
  public static Level level(int logLevel) {
    return switch (logLevel) {
      case 1 -> Level.FINE;
      case 2 -> Level.INFO;
      case 3 -> Level.WARNING;
      case 4, 5 -> Level.SEVERE;
      default ->
          throw new IllegalArgumentException(
              "log level must be 1 (debug) to 5 (critical), got " + logLevel);
    };
  }

  /**
   * Replaces the root logger's handlers with one stderr handler at {@code logLevel} (1..5).
   *
   * @param prefix put before every message (a worker passes its histogram id); may be empty
   */
  public static void configure(int logLevel, String prefix) {
    Level level = level(logLevel);
    Logger root = LogManager.getLogManager().getLogger("");
    for (Handler handler : root.getHandlers()) {
      root.removeHandler(handler);
    }
    Handler handler = new ConsoleHandler();
    handler.setLevel(level);
    handler.setFormatter(new OneLineFormatter(prefix));
    root.addHandler(handler);
    root.setLevel(level);
  }

  /**
   * {@code 2026-11-24T13:52:59.123Z WARNING Controller: [prefix] message}, then any stack trace.
   */
  static final class OneLineFormatter extends Formatter {
    private final String prefix;

    OneLineFormatter(String prefix) {
      this.prefix = prefix.isEmpty() ? "" : "[" + prefix + "] ";
    }

    @Override
    public String format(LogRecord record) {
      StringBuilder line = new StringBuilder(128);
      line.append(Instant.ofEpochMilli(record.getMillis()))
          .append(' ')
          .append(record.getLevel().getName())
          .append(' ')
          .append(shortName(record.getLoggerName()))
          .append(": ")
          .append(prefix)
          .append(formatMessage(record))
          .append(System.lineSeparator());
      if (record.getThrown() != null) {
        StringWriter trace = new StringWriter();
        record.getThrown().printStackTrace(new PrintWriter(trace));
        line.append(trace);
      }
      return line.toString();
    }

    private static String shortName(String loggerName) {
      if (loggerName == null || loggerName.isEmpty()) {
        return "root";
      }
      return loggerName.substring(loggerName.lastIndexOf('.') + 1);
    }
  }
}
