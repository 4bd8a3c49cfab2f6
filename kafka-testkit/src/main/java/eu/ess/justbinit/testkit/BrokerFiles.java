package eu.ess.justbinit.testkit;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/** The files of a broker's directory: its configuration, its JVM arguments and its logs. */
final class BrokerFiles {
  private static final String SERVER_LOG = "server.log";
  private static final String CONSOLE = "console.log";

  private BrokerFiles() {}

  /** Writes server.properties and the log4j2 configuration; returns server.properties. */
  static Path write(Path dir, Map<String, String> serverProperties) throws IOException {
    StringBuilder text = new StringBuilder();
    serverProperties.forEach(
        (key, value) -> text.append(key).append('=').append(escape(value)).append('\n'));
    Path properties = dir.resolve("server.properties");
    Files.writeString(properties, text, StandardCharsets.UTF_8);
    Files.writeString(log4jConfig(dir), log4jText(dir), StandardCharsets.UTF_8);
    return properties;
  }

  /**
   * Writes the JVM options and classpath as a java argument file, which keeps the command line
   * short whatever the classpath's length.
   */
  static Path writeJvmArgs(Path dir, List<String> options, String classpath) throws IOException {
    List<String> lines = new ArrayList<>(options);
    lines.add("-Dlog4j2.configurationFile=" + quote(log4jConfig(dir).toString()));
    lines.add("-cp");
    lines.add(quote(classpath));
    Path args = dir.resolve("jvm.args");
    Files.write(args, lines, StandardCharsets.UTF_8);
    return args;
  }

  /** Where the broker keeps its topics and its metadata log. */
  static Path dataDir(Path dir) {
    return dir.resolve("data");
  }

  /** The cluster id of a directory formatted before: reusing it is the only way to start again. */
  static Optional<String> clusterId(Path dir) throws IOException {
    Path meta = dataDir(dir).resolve("meta.properties");
    if (!Files.exists(meta)) {
      return Optional.empty();
    }
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(meta, StandardCharsets.UTF_8)) {
      properties.load(reader);
    }
    return Optional.ofNullable(properties.getProperty("cluster.id"));
  }

  /** Where the broker JVM's stdout and stderr go: what it prints before log4j2 takes over. */
  static Path console(Path dir) {
    return dir.resolve(CONSOLE);
  }

  /** The last lines of the broker's log and console, for failure messages. */
  static String tail(Path dir, int lines) {
    return tailOf(dir.resolve(SERVER_LOG), lines) + tailOf(console(dir), lines);
  }

  private static String tailOf(Path file, int lines) {
    try {
      List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
      return "--- "
          + file
          + " ---\n"
          + String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()))
          + "\n";
    } catch (NoSuchFileException e) {
      return "--- " + file + ": none ---\n";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path log4jConfig(Path dir) {
    return dir.resolve("log4j2.properties");
  }

  private static String log4jText(Path dir) {
    return String.join(
        "\n",
        "status = warn",
        "appender.file.type = File",
        "appender.file.name = FILE",
        "appender.file.fileName = " + escape(dir.resolve(SERVER_LOG).toString()),
        "appender.file.layout.type = PatternLayout",
        "appender.file.layout.pattern = [%d] %p %m (%c)%n",
        "rootLogger.level = INFO",
        "rootLogger.appenderRef.file.ref = FILE",
        // Per-request and per-partition chatter that drowns what matters.
        "logger.state.name = state.change.logger",
        "logger.state.level = WARN",
        "logger.request.name = kafka.request.logger",
        "logger.request.level = WARN",
        "");
  }

  private static String escape(String value) {
    return value.replace("\\", "\\\\");
  }

  private static String quote(String value) {
    return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }
}
