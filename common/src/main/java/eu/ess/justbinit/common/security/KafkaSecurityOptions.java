package eu.ess.justbinit.common.security;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.Option;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The original's Kafka security options, as a picocli mixin for every command that talks to Kafka
 * ({@code @Mixin KafkaSecurityOptions security;}), turned into kafka-clients properties by {@link
 * #kafkaProperties()}. The password never shows in {@link #toString()}, in an exception message, or
 * in the toString of the properties.
 */
public final class KafkaSecurityOptions {
  /** The supported {@code --security-protocol} values. */
  public static final List<String> PROTOCOLS = List.of("PLAINTEXT", "SASL_PLAINTEXT", "SASL_SSL");

  /** The supported {@code --sasl-mechanism} values. */
  public static final List<String> MECHANISMS = List.of("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512");

  private static final String PEM_CERTIFICATE = "-----BEGIN CERTIFICATE-----";

  @Option(
      names = "--security-protocol",
      paramLabel = "PROTOCOL",
      description =
          "Kafka security protocol: PLAINTEXT, SASL_PLAINTEXT or SASL_SSL (default PLAINTEXT)")
  private String securityProtocol;

  @Option(
      names = "--sasl-mechanism",
      paramLabel = "MECHANISM",
      description = "Kafka SASL mechanism: PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512")
  private String saslMechanism;

  @Option(names = "--sasl-username", paramLabel = "USERNAME", description = "Kafka SASL username")
  private String saslUsername;

  @Option(
      names = "--sasl-password",
      paramLabel = "PASSWORD",
      description =
          "Kafka SASL password (any user can read a command line: prefer --sasl-password-file"
              + " or the config file)")
  private String saslPassword;

  @Option(
      names = "--sasl-password-file",
      paramLabel = "FILE",
      description = "file holding the Kafka SASL password (trailing line breaks are dropped)")
  private Path saslPasswordFile;

  @Option(
      names = "--ssl-cafile",
      paramLabel = "FILE",
      description = "Kafka SSL CA certificate (PEM) for SASL_SSL")
  private Path sslCaFile;

  /**
   * The kafka-clients properties for these options: {@code security.protocol}, and as the protocol
   * asks {@code sasl.mechanism}, {@code sasl.jaas.config}, {@code ssl.truststore.type} and {@code
   * ssl.truststore.location}. The map is unmodifiable and its toString hides the password.
   *
   * @throws KafkaSecurityException an unsupported value, a missing or doubly given credential, an
   *     unreadable password or CA file, or an option that the protocol does not use
   */
  public Map<String, String> kafkaProperties() throws KafkaSecurityException {
    String protocol = oneOf("--security-protocol", securityProtocol, "PLAINTEXT", PROTOCOLS);
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put("security.protocol", protocol);
    if (protocol.startsWith("SASL_")) {
      if (saslMechanism == null) {
        throw new KafkaSecurityException(
            "--sasl-mechanism: required with "
                + protocol
                + ", use "
                + String.join(", ", MECHANISMS));
      }
      String mechanism = oneOf("--sasl-mechanism", saslMechanism, null, MECHANISMS);
      if (saslUsername == null || saslUsername.isBlank()) {
        throw new KafkaSecurityException("--sasl-username: required with " + protocol);
      }
      properties.put("sasl.mechanism", mechanism);
      properties.put("sasl.jaas.config", jaasConfig(mechanism, saslUsername, password(protocol)));
    } else if (saslMechanism != null
        || saslUsername != null
        || saslPassword != null
        || saslPasswordFile != null) {
      throw new KafkaSecurityException(
          "--sasl-mechanism, --sasl-username, --sasl-password, --sasl-password-file: only with"
              + " --security-protocol SASL_PLAINTEXT or SASL_SSL, not "
              + protocol);
    }
    if (sslCaFile != null) {
      if (!protocol.equals("SASL_SSL")) {
        throw new KafkaSecurityException("--ssl-cafile: only with --security-protocol SASL_SSL");
      }
      checkCaFile(sslCaFile);
      properties.put("ssl.truststore.type", "PEM");
      properties.put("ssl.truststore.location", sslCaFile.toAbsolutePath().toString());
    }
    return new RedactedProperties(properties);
  }

  /**
   * Picocli's handler of bad command lines, but with every value of {@code --sasl-password} cut out
   * of the message: picocli quotes a value that looks like an option ("Expected parameter for
   * option '--sasl-password' but found '-s3cret'"). Install it on every command that mixes these
   * options in: {@code commandLine.setParameterExceptionHandler(...)}.
   */
  public static IParameterExceptionHandler passwordHidingHandler() {
    return (exception, args) -> {
      CommandLine commandLine = exception.getCommandLine();
      PrintWriter err = commandLine.getErr();
      err.println(hidePasswords(exception.getMessage(), args));
      if (!UnmatchedArgumentException.printSuggestions(exception, err)) {
        commandLine.usage(err);
      }
      return commandLine.getCommandSpec().exitCodeOnInvalidInput();
    };
  }

  static String hidePasswords(String text, String[] args) {
    String hidden = text;
    for (int i = 0; i < args.length; i++) {
      String password = null;
      if (args[i].equals("--sasl-password") && i + 1 < args.length) {
        password = args[i + 1];
      } else if (args[i].startsWith("--sasl-password=")) {
        password = args[i].substring("--sasl-password=".length());
      }
      if (password != null && !password.isEmpty()) {
        hidden = hidden.replace(password, "(hidden)");
      }
    }
    return hidden;
  }

  private static String oneOf(String option, String given, String fallback, List<String> allowed)
      throws KafkaSecurityException {
    String value = given == null ? fallback : given.trim().toUpperCase(Locale.ROOT);
    if (!allowed.contains(value)) {
      throw new KafkaSecurityException(
          option + ": '" + given + "' is not supported, use " + String.join(", ", allowed));
    }
    return value;
  }

  private String password(String protocol) throws KafkaSecurityException {
    if (saslPassword != null && saslPasswordFile != null) {
      throw new KafkaSecurityException(
          "--sasl-password and --sasl-password-file: give the password only once");
    }
    String password;
    if (saslPasswordFile != null) {
      try {
        password =
            Files.readString(saslPasswordFile, StandardCharsets.UTF_8).replaceAll("[\\r\\n]+$", "");
      } catch (IOException | RuntimeException e) {
        // The exception's own message could quote the file's content (a malformed-input
        // message), so only its kind is told.
        throw new KafkaSecurityException(
            "--sasl-password-file "
                + saslPasswordFile
                + ": cannot be read ("
                + e.getClass().getSimpleName()
                + ")");
      }
      if (password.isEmpty()) {
        throw new KafkaSecurityException(
            "--sasl-password-file " + saslPasswordFile + ": the file is empty");
      }
    } else if (saslPassword != null && !saslPassword.isEmpty()) {
      password = saslPassword;
    } else {
      throw new KafkaSecurityException(
          "--sasl-password-file or --sasl-password: a password is required with " + protocol);
    }
    return password;
  }

  private static String jaasConfig(String mechanism, String username, String password) {
    String module =
        mechanism.equals("PLAIN")
            ? "org.apache.kafka.common.security.plain.PlainLoginModule"
            : "org.apache.kafka.common.security.scram.ScramLoginModule";
    return module
        + " required username=\""
        + jaasQuoted(username)
        + "\" password=\""
        + jaasQuoted(password)
        + "\";";
  }

  /** Kafka reads the JAAS values with a StreamTokenizer: backslash escapes inside quotes. */
  private static String jaasQuoted(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"");
  }

  private static void checkCaFile(Path file) throws KafkaSecurityException {
    String content;
    try {
      content = Files.readString(file, StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      throw new KafkaSecurityException(
          "--ssl-cafile " + file + ": cannot be read (" + e.getClass().getSimpleName() + ")");
    }
    if (!content.contains(PEM_CERTIFICATE)) {
      throw new KafkaSecurityException(
          "--ssl-cafile " + file + ": not a PEM certificate (no " + PEM_CERTIFICATE + " line)");
    }
  }

  @Override
  public String toString() {
    return "KafkaSecurityOptions[protocol="
        + (securityProtocol == null ? "PLAINTEXT" : securityProtocol)
        + ", mechanism="
        + saslMechanism
        + ", username="
        + saslUsername
        + ", password="
        + (saslPassword == null ? "none" : "(hidden)")
        + ", passwordFile="
        + saslPasswordFile
        + ", caFile="
        + sslCaFile
        + "]";
  }
}
