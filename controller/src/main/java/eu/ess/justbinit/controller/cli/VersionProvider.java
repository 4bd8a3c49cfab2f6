package eu.ess.justbinit.controller.cli;

import eu.ess.justbinit.controller.status.SoftwareVersion;
import picocli.CommandLine.IVersionProvider;

/** What {@code --version} prints: the version, the commit it was built from, and the Java. */
public final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    return new String[] {
      "just-bin-it " + SoftwareVersion.version(),
      "commit " + SoftwareVersion.commit(),
      "Java " + Runtime.version()
    };
  }
}
