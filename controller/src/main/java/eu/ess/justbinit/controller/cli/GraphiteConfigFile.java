package eu.ess.justbinit.controller.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import eu.ess.justbinit.controller.service.ControllerSettings.GraphiteSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The {@code -g} file: JSON with address, port, prefix and metric, as the original's. */
final class GraphiteConfigFile {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private GraphiteConfigFile() {}

  static GraphiteSettings read(Path file) throws StartupException {
    String where = "Graphite config file " + file;
    JsonNode root;
    try {
      root = MAPPER.readTree(Files.readAllBytes(file));
    } catch (JsonProcessingException e) {
      throw new StartupException(where + ": malformed JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new StartupException(where + ": cannot be read (" + e.getClass().getSimpleName() + ")");
    }
    if (root == null || !root.isObject()) {
      throw new StartupException(
          where + ": must be a JSON object with address, port, prefix and metric");
    }
    String address = text(root, "address", where);
    if (address.isBlank()) {
      throw new StartupException(where + ": 'address' is empty");
    }
    JsonNode port = field(root, "port", where);
    if (!port.canConvertToInt()
        || !port.isIntegralNumber()
        || port.intValue() < 1
        || port.intValue() > 65535) {
      throw new StartupException(
          where + ": 'port' must be an integer from 1 to 65535, got " + port);
    }
    String prefix = text(root, "prefix", where);
    String metric = text(root, "metric", where);
    return new GraphiteSettings(address, port.intValue(), prefix, metric);
  }

  private static JsonNode field(JsonNode root, String name, String where) throws StartupException {
    JsonNode value = root.get(name);
    if (value == null || value.isNull()) {
      throw new StartupException(where + ": '" + name + "' is missing");
    }
    return value;
  }

  /** A metric name part: Graphite's plaintext lines are split on whitespace. */
  private static String text(JsonNode root, String name, String where) throws StartupException {
    JsonNode value = field(root, name, where);
    if (!value.isTextual()) {
      throw new StartupException(where + ": '" + name + "' must be a string, got " + value);
    }
    if (value.textValue().chars().anyMatch(Character::isWhitespace)) {
      throw new StartupException(where + ": '" + name + "' must not contain whitespace");
    }
    return value.textValue();
  }
}
