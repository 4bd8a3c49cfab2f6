package eu.ess.justbinit.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** The project's version, written into a resource by the build. */
public final class VersionProvider implements IVersionProvider {
  /** The version, e.g. {@code 0.1.0-SNAPSHOT} (the heartbeat's software_version). */
  public static String version() {
    Properties properties = new Properties();
    try (InputStream in = VersionProvider.class.getResourceAsStream("version.properties")) {
      if (in == null) {
        return "unknown";
      }
      properties.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return properties.getProperty("version", "unknown");
  }

  @Override
  public String[] getVersion() {
    return new String[] {"just-bin-it " + version(), "Java " + Runtime.version()};
  }
}
