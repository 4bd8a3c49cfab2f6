package eu.ess.justbinit.controller.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code -c} file: one {@code option = value} or {@code option: value} per line, naming a long
 * option without its dashes; lines starting with {@code #} and blank lines are skipped. A value may
 * stand in double quotes (kept whole, spaces included). A {@code #} after a value is part of it: a
 * password may hold one.
 */
final class ConfigFile {
  private static final Pattern LINE =
      Pattern.compile("([A-Za-z][A-Za-z0-9-]*)\\s*[=:]\\s*(.*?)\\s*");

  /** One setting and where it stands. */
  record Entry(String key, String value, int line) {}

  private final Path file;
  private final Map<String, Entry> entries;

  private ConfigFile(Path file, Map<String, Entry> entries) {
    this.file = file;
    this.entries = entries;
  }

  static ConfigFile read(Path file) throws StartupException {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new StartupException(
          "config file " + file + ": cannot be read (" + e.getClass().getSimpleName() + ")");
    }
    Map<String, Entry> entries = new LinkedHashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      int number = i + 1;
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      Matcher matcher = LINE.matcher(line);
      if (!matcher.matches()) {
        // The line is not quoted back: it could be a password in the wrong place.
        throw new StartupException(
            file + ":" + number + ": expected 'option = value' or 'option: value'");
      }
      String key = matcher.group(1);
      String value = unquoted(matcher.group(2));
      if (value.isEmpty()) {
        throw new StartupException(file + ":" + number + ": no value for '" + key + "'");
      }
      Entry first = entries.putIfAbsent(key, new Entry(key, value, number));
      if (first != null) {
        throw new StartupException(
            file
                + ":"
                + number
                + ": '"
                + key
                + "' given twice (first on line "
                + first.line()
                + ")");
      }
    }
    return new ConfigFile(file, entries);
  }

  private static String unquoted(String value) {
    return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
        ? value.substring(1, value.length() - 1)
        : value;
  }

  Path file() {
    return file;
  }

  Map<String, Entry> entries() {
    return entries;
  }
}
