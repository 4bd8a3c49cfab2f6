package eu.ess.justbinit.version;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The project's version, written into a resource by the build; for the CLI and the service. */
public final class SoftwareVersion {
  private SoftwareVersion() {}

  /** The version, e.g. {@code 0.1.0-SNAPSHOT} (the heartbeat's software_version). */
  public static String version() {
    Properties properties = new Properties();
    try (InputStream in = SoftwareVersion.class.getResourceAsStream("version.properties")) {
      if (in == null) {
        return "unknown";
      }
      properties.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return properties.getProperty("version", "unknown");
  }
}
