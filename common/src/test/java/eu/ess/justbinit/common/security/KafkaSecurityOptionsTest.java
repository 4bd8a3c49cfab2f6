package eu.ess.justbinit.common.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.security.auth.login.AppConfigurationEntry;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.common.security.JaasContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

class KafkaSecurityOptionsTest {
  private static final String PASSWORD = "s3cr3t-PASS";

  @TempDir Path dir;

  @Command
  static final class Host {
    @Mixin KafkaSecurityOptions security;
  }

  private static KafkaSecurityOptions options(String... args) {
    Host host = new Host();
    new CommandLine(host).parseArgs(args);
    return host.security;
  }

  private static Map<String, String> properties(String... args) throws KafkaSecurityException {
    return options(args).kafkaProperties();
  }

  private static String refusal(String... args) {
    KafkaSecurityOptions options = options(args);
    String message =
        assertThrows(KafkaSecurityException.class, options::kafkaProperties).getMessage();
    assertFalse(message.contains(PASSWORD), message);
    assertFalse(options.toString().contains(PASSWORD), options.toString());
    return message;
  }

  /** The JAAS entry as Kafka's clients read it. */
  private static AppConfigurationEntry jaas(Map<String, String> properties) {
    return JaasContext.loadClientContext(
            Map.of("sasl.jaas.config", new Password(properties.get("sasl.jaas.config"))))
        .configurationEntries()
        .get(0);
  }

  @Test
  void plaintextByDefault() throws KafkaSecurityException {
    assertEquals(Map.of("security.protocol", "PLAINTEXT"), properties());
  }

  @Test
  void saslScramMakesAJaasConfigThatKafkaReads() throws KafkaSecurityException {
    Map<String, String> properties =
        properties(
            "--security-protocol", "SASL_PLAINTEXT",
            "--sasl-mechanism", "SCRAM-SHA-512",
            "--sasl-username", "jbi",
            "--sasl-password", PASSWORD);
    assertEquals("SASL_PLAINTEXT", properties.get("security.protocol"));
    assertEquals("SCRAM-SHA-512", properties.get("sasl.mechanism"));
    AppConfigurationEntry entry = jaas(properties);
    assertEquals(
        "org.apache.kafka.common.security.scram.ScramLoginModule", entry.getLoginModuleName());
    assertEquals("jbi", entry.getOptions().get("username"));
    assertEquals(PASSWORD, entry.getOptions().get("password"));
    assertFalse(properties.toString().contains(PASSWORD), properties.toString());
    assertTrue(properties.toString().contains("sasl.jaas.config=(hidden)"), properties.toString());
  }

  @Test
  void plainUsesThePlainLoginModuleAndValuesAreCaseInsensitive() throws KafkaSecurityException {
    Map<String, String> properties =
        properties(
            "--security-protocol", "sasl_ssl",
            "--sasl-mechanism", "plain",
            "--sasl-username", "u",
            "--sasl-password", PASSWORD);
    assertEquals("SASL_SSL", properties.get("security.protocol"));
    assertEquals("PLAIN", properties.get("sasl.mechanism"));
    assertEquals(
        "org.apache.kafka.common.security.plain.PlainLoginModule",
        jaas(properties).getLoginModuleName());
  }

  @Test
  void quotesAndBackslashesInCredentialsSurviveTheJaasConfig() throws KafkaSecurityException {
    String password = "a\"b\\c d;";
    Map<String, String> properties =
        properties(
            "--security-protocol", "SASL_PLAINTEXT",
            "--sasl-mechanism", "SCRAM-SHA-256",
            "--sasl-username", "user \"x\"",
            "--sasl-password", password);
    assertEquals(password, jaas(properties).getOptions().get("password"));
    assertEquals("user \"x\"", jaas(properties).getOptions().get("username"));
  }

  @Test
  void thePasswordFileIsReadWithoutItsLineBreak() throws IOException, KafkaSecurityException {
    Path file = Files.writeString(dir.resolve("password"), PASSWORD + "\n");
    Map<String, String> properties =
        properties(
            "--security-protocol", "SASL_PLAINTEXT",
            "--sasl-mechanism", "SCRAM-SHA-512",
            "--sasl-username", "jbi",
            "--sasl-password-file", file.toString());
    assertEquals(PASSWORD, jaas(properties).getOptions().get("password"));
  }

  @Test
  void thePemCaFileBecomesThePemTruststore() throws IOException, KafkaSecurityException {
    Path ca =
        Files.writeString(
            dir.resolve("ca.pem"),
            "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
    Map<String, String> properties =
        properties(
            "--security-protocol", "SASL_SSL",
            "--sasl-mechanism", "PLAIN",
            "--sasl-username", "u",
            "--sasl-password", PASSWORD,
            "--ssl-cafile", ca.toString());
    assertEquals("PEM", properties.get("ssl.truststore.type"));
    assertEquals(ca.toAbsolutePath().toString(), properties.get("ssl.truststore.location"));
  }

  @Test
  void refusesUnsupportedValues() {
    assertEquals(
        "--security-protocol: 'SSL' is not supported, use PLAINTEXT, SASL_PLAINTEXT, SASL_SSL",
        refusal("--security-protocol", "SSL"));
    assertEquals(
        "--sasl-mechanism: 'GSSAPI' is not supported, use PLAIN, SCRAM-SHA-256, SCRAM-SHA-512",
        refusal(
            "--security-protocol", "SASL_PLAINTEXT",
            "--sasl-mechanism", "GSSAPI",
            "--sasl-username", "u",
            "--sasl-password", PASSWORD));
  }

  @Test
  void refusesSaslWithoutMechanismUsernameOrPassword() {
    assertEquals(
        "--sasl-mechanism: required with SASL_PLAINTEXT, use PLAIN, SCRAM-SHA-256, SCRAM-SHA-512",
        refusal(
            "--security-protocol", "SASL_PLAINTEXT",
            "--sasl-username", "u",
            "--sasl-password", PASSWORD));
    assertEquals(
        "--sasl-username: required with SASL_SSL",
        refusal(
            "--security-protocol", "SASL_SSL",
            "--sasl-mechanism", "PLAIN",
            "--sasl-password", PASSWORD));
    assertEquals(
        "--sasl-password-file or --sasl-password: a password is required with SASL_PLAINTEXT",
        refusal(
            "--security-protocol", "SASL_PLAINTEXT",
            "--sasl-mechanism", "PLAIN",
            "--sasl-username", "u"));
  }

  @Test
  void refusesThePasswordGivenTwice() throws IOException {
    Path file = Files.writeString(dir.resolve("password"), PASSWORD);
    assertEquals(
        "--sasl-password and --sasl-password-file: give the password only once",
        refusal(
            "--security-protocol", "SASL_PLAINTEXT",
            "--sasl-mechanism", "PLAIN",
            "--sasl-username", "u",
            "--sasl-password", PASSWORD,
            "--sasl-password-file", file.toString()));
  }

  @Test
  void refusesAnUnreadableOrEmptyPasswordFile() throws IOException {
    Path missing = dir.resolve("missing");
    assertEquals(
        "--sasl-password-file " + missing + ": cannot be read (NoSuchFileException)",
        refusal(
            "--security-protocol", "SASL_PLAINTEXT",
            "--sasl-mechanism", "PLAIN",
            "--sasl-username", "u",
            "--sasl-password-file", missing.toString()));
    Path empty = Files.writeString(dir.resolve("empty"), "\n");
    assertEquals(
        "--sasl-password-file " + empty + ": the file is empty",
        refusal(
            "--security-protocol", "SASL_PLAINTEXT",
            "--sasl-mechanism", "PLAIN",
            "--sasl-username", "u",
            "--sasl-password-file", empty.toString()));
    Path binary = Files.write(dir.resolve("binary"), new byte[] {(byte) 0xff, (byte) 0xfe, 'P'});
    assertEquals(
        "--sasl-password-file " + binary + ": cannot be read (MalformedInputException)",
        refusal(
            "--security-protocol", "SASL_PLAINTEXT",
            "--sasl-mechanism", "PLAIN",
            "--sasl-username", "u",
            "--sasl-password-file", binary.toString()));
  }

  @Test
  void refusesOptionsThatTheProtocolDoesNotUse() throws IOException {
    assertEquals(
        "--sasl-mechanism, --sasl-username, --sasl-password, --sasl-password-file: only with"
            + " --security-protocol SASL_PLAINTEXT or SASL_SSL, not PLAINTEXT",
        refusal("--sasl-password", PASSWORD));
    Path ca = Files.writeString(dir.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----\n");
    assertEquals(
        "--ssl-cafile: only with --security-protocol SASL_SSL",
        refusal(
            "--security-protocol", "SASL_PLAINTEXT",
            "--sasl-mechanism", "PLAIN",
            "--sasl-username", "u",
            "--sasl-password", PASSWORD,
            "--ssl-cafile", ca.toString()));
  }

  @Test
  void refusesAMissingOrNonPemCaFile() throws IOException {
    List<String> sasl =
        List.of(
            "--security-protocol",
            "SASL_SSL",
            "--sasl-mechanism",
            "PLAIN",
            "--sasl-username",
            "u",
            "--sasl-password",
            PASSWORD,
            "--ssl-cafile");
    Path missing = dir.resolve("nope.pem");
    List<String> args = new ArrayList<>(sasl);
    args.add(missing.toString());
    assertEquals(
        "--ssl-cafile " + missing + ": cannot be read (NoSuchFileException)",
        refusal(args.toArray(String[]::new)));
    Path der = Files.write(dir.resolve("ca.der"), new byte[] {0x30, (byte) 0x82, 1, 2});
    args.set(args.size() - 1, der.toString());
    assertEquals(
        "--ssl-cafile " + der + ": not a PEM certificate (no -----BEGIN CERTIFICATE----- line)",
        refusal(args.toArray(String[]::new)));
  }

  @Test
  void toStringHidesThePassword() {
    String text =
        options(
                "--security-protocol", "SASL_PLAINTEXT",
                "--sasl-mechanism", "PLAIN",
                "--sasl-username", "u",
                "--sasl-password", PASSWORD)
            .toString();
    assertFalse(text.contains(PASSWORD), text);
    assertTrue(text.contains("password=(hidden)"), text);
  }

  @Test
  void aBadCommandLineIsReportedWithoutThePassword() {
    // An argument left over is quoted in picocli's message: here, the password itself.
    for (String[] args :
        List.of(
            new String[] {"--sasl-password", PASSWORD, PASSWORD},
            new String[] {"--sasl-password=" + PASSWORD, PASSWORD})) {
      java.io.StringWriter err = new java.io.StringWriter();
      CommandLine commandLine = new CommandLine(new Host());
      commandLine.setErr(new java.io.PrintWriter(err, true));
      commandLine.setParameterExceptionHandler(KafkaSecurityOptions.passwordHidingHandler());

      int exit = commandLine.execute(args);

      assertEquals(commandLine.getCommandSpec().exitCodeOnInvalidInput(), exit);
      assertFalse(err.toString().contains(PASSWORD), err.toString());
      assertTrue(err.toString().contains("(hidden)"), err.toString());
    }
  }
}
