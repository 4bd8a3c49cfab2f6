package eu.ess.justbinit.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed certificate authority and a broker key store it signed (for 127.0.0.1 and
 * localhost), made with the JDK's keytool on first use and kept in the broker's directory. Clients
 * trust the broker through {@link #caFile()}, a PEM file, as {@code --ssl-cafile} expects.
 */
final class BrokerCertificates {
  private static final String VALIDITY_DAYS = "30";
  private static final long KEYTOOL_TIMEOUT_S = 60;

  private final Path dir;

  private BrokerCertificates(Path dir) {
    this.dir = dir;
  }

  /** The certificates in {@code brokerDir/tls}, made now unless they exist. */
  static BrokerCertificates in(Path brokerDir) throws IOException {
    BrokerCertificates certificates = new BrokerCertificates(brokerDir.resolve("tls"));
    if (!Files.exists(certificates.keyStore())) {
      certificates.make();
    }
    return certificates;
  }

  /** The CA certificate, PEM. */
  Path caFile() {
    return dir.resolve("ca.pem");
  }

  /** The broker's PKCS12 key store: its key and the chain up to the CA. */
  Path keyStore() {
    return dir.resolve("broker.p12");
  }

  /** The password of both key stores, made up when they were. */
  String password() throws IOException {
    return Files.readString(passwordFile(), StandardCharsets.UTF_8).strip();
  }

  private Path passwordFile() {
    return dir.resolve("store.pass");
  }

  private void make() throws IOException {
    Files.createDirectories(dir);
    byte[] secret = new byte[18];
    new SecureRandom().nextBytes(secret);
    Files.writeString(
        passwordFile(), Base64.getUrlEncoder().encodeToString(secret), StandardCharsets.UTF_8);
    Path ca = dir.resolve("ca.p12");
    Path request = dir.resolve("broker.csr");
    Path chain = dir.resolve("broker-chain.pem");
    Path temporaryKeyStore = dir.resolve("broker.p12.tmp");
    keytool(ca, "-genkeypair", "-alias", "ca", "-dname", "CN=just-bin-it test CA", "-ext", "bc:c");
    keytool(ca, "-exportcert", "-alias", "ca", "-rfc", "-file", caFile().toString());
    keytool(temporaryKeyStore, "-genkeypair", "-alias", "broker", "-dname", "CN=localhost");
    keytool(temporaryKeyStore, "-certreq", "-alias", "broker", "-file", request.toString());
    keytool(
        ca,
        "-gencert",
        "-alias",
        "ca",
        "-rfc",
        "-infile",
        request.toString(),
        "-outfile",
        chain.toString(),
        "-ext",
        "SAN=ip:127.0.0.1,dns:localhost");
    // A certificate reply holding the whole chain installs without the CA in the key store.
    Files.writeString(
        chain,
        Files.readString(chain, StandardCharsets.US_ASCII)
            + Files.readString(caFile(), StandardCharsets.US_ASCII),
        StandardCharsets.US_ASCII);
    keytool(temporaryKeyStore, "-importcert", "-alias", "broker", "-file", chain.toString());
    // Renamed last, so that a key store that exists is complete.
    Files.move(temporaryKeyStore, keyStore());
  }

  private void keytool(Path keyStore, String command, String... arguments) throws IOException {
    List<String> line = new ArrayList<>();
    line.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    // A short-lived JVM: the same start-up options as the broker's.
    line.addAll(List.of("-J-XX:TieredStopAtLevel=1", "-J-XX:+UseSerialGC", command));
    line.addAll(List.of(arguments));
    // -storepass:file keeps the password off the command line.
    line.addAll(
        List.of(
            "-keystore",
            keyStore.toString(),
            "-storetype",
            "PKCS12",
            "-storepass:file",
            passwordFile().toString(),
            "-noprompt"));
    if (command.equals("-genkeypair")) {
      // EC keys: RSA key generation costs seconds on a busy machine.
      line.addAll(List.of("-keyalg", "EC", "-groupname", "secp256r1", "-validity", VALIDITY_DAYS));
    }
    Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
    String output;
    try {
      output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(KEYTOOL_TIMEOUT_S, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IOException("keytool " + command + " did not finish");
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running keytool " + command, e);
    }
    if (process.exitValue() != 0) {
      throw new IOException("keytool " + command + " failed: " + output);
    }
  }
}
