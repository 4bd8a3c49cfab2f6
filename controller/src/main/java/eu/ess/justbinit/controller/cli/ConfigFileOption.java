package eu.ess.justbinit.controller.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Unmatched;

/**
 * The first of picocli's two passes over the arguments: a command that knows only {@code -c}, so
 * that the config file it names can serve as the defaults of the second pass, the {@code
 * just-bin-it} command itself. Every other argument is left unmatched, unchecked: the second pass
 * judges them. Used once, by the thread that parses the command line.
 */
@Command(name = "just-bin-it")
final class ConfigFileOption {
  @Option(names = {"-c", "--config-file"})
  private Path configFile;

  /**
   * The arguments that are not {@code -c}, for the second pass; captured here so that picocli
   * neither refuses them nor warns of them.
   */
  @SuppressWarnings("UnusedVariable")
  @Unmatched
  private List<String> others;

  private ConfigFileOption() {}

  /**
   * The config file that {@code args} name, in any form picocli takes ({@code -c FILE}, {@code
   * -cFILE}, {@code -c=FILE}, {@code --config-file FILE}, {@code --config-file=FILE}); empty when
   * none, or when {@code -c} has no value (the second pass says so).
   */
  static Optional<Path> in(String... args) {
    ConfigFileOption first = new ConfigFileOption();
    try {
      new CommandLine(first).parseArgs(args);
    } catch (ParameterException e) {
      return Optional.empty();
    }
    return Optional.ofNullable(first.configFile);
  }
}
