package eu.ess.justbinit.testkit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.Uuid;

/**
 * The set-up of an embedded single-node KRaft broker: its cluster id, its listeners and their
 * ports, and the server.properties that declare them with their SASL and SSL settings. Immutable
 * once made, so any thread may read it.
 */
final class BrokerConfig {
  static final String SCRAM_MECHANISM = "SCRAM-SHA-512";

  private final int port;
  private final int controllerPort;
  private final int saslPort;
  private final int saslSslPort;
  private final Optional<ScramUser> scramUser;
  private final boolean ssl;
  private final String clusterId;

  /**
   * Chooses free loopback ports for the listeners the options ask for ({@code port} 0: a free one
   * for PLAINTEXT too) and keeps the cluster id of a data directory that has one.
   */
  BrokerConfig(Path dir, int port, Optional<ScramUser> scramUser, boolean ssl) throws IOException {
    this.scramUser = scramUser;
    this.ssl = ssl;
    if (ssl && scramUser.isEmpty()) {
      throw new IllegalArgumentException("withSaslSsl needs withSaslScram: SCRAM is its mechanism");
    }
    int[] ports = freePorts(4);
    this.port = port != 0 ? port : ports[0];
    this.controllerPort = ports[1];
    this.saslPort = scramUser.isPresent() ? ports[2] : 0;
    this.saslSslPort = ssl ? ports[3] : 0;
    this.clusterId = BrokerFiles.clusterId(dir).orElseGet(BrokerConfig::newClusterId);
  }

  String clusterId() {
    return clusterId;
  }

  Optional<ScramUser> scramUser() {
    return scramUser;
  }

  boolean ssl() {
    return ssl;
  }

  /** The PLAINTEXT listener's port. */
  int port() {
    return port;
  }

  String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  String saslBootstrapServers() {
    if (scramUser.isEmpty()) {
      throw new IllegalStateException("this broker has no SASL listener: use withSaslScram");
    }
    return "127.0.0.1:" + saslPort;
  }

  String saslSslBootstrapServers() {
    if (!ssl) {
      throw new IllegalStateException("this broker has no SASL_SSL listener: use withSaslSsl");
    }
    return "127.0.0.1:" + saslSslPort;
  }

  /**
   * The broker's server.properties for data in {@code dir}; {@code certificates} is the SASL_SSL
   * listener's key store, null without that listener.
   */
  Map<String, String> serverProperties(Path dir, BrokerCertificates certificates)
      throws IOException {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("process.roles", "broker,controller");
    p.put("node.id", "1");
    p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
    p.put("controller.listener.names", "CONTROLLER");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    String listeners = "PLAINTEXT://127.0.0.1:" + port;
    String protocols = "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT";
    if (scramUser.isPresent()) {
      listeners += ",SASL_PLAINTEXT://127.0.0.1:" + saslPort;
      protocols += ",SASL_PLAINTEXT:SASL_PLAINTEXT";
      p.put("sasl.enabled.mechanisms", SCRAM_MECHANISM);
      // The server side of SCRAM needs no secret: credentials live in the cluster metadata.
      p.put(
          "listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config",
          "org.apache.kafka.common.security.scram.ScramLoginModule required;");
    }
    if (ssl) {
      listeners += ",SASL_SSL://127.0.0.1:" + saslSslPort;
      protocols += ",SASL_SSL:SASL_SSL";
      p.put(
          "listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config",
          "org.apache.kafka.common.security.scram.ScramLoginModule required;");
      p.put("ssl.keystore.type", "PKCS12");
      p.put("ssl.keystore.location", certificates.keyStore().toString());
      p.put("ssl.keystore.password", certificates.password());
      p.put("ssl.key.password", certificates.password());
    }
    p.put("advertised.listeners", listeners);
    p.put("listeners", listeners + ",CONTROLLER://127.0.0.1:" + controllerPort);
    p.put("listener.security.protocol.map", protocols);
    p.put("log.dirs", BrokerFiles.dataDir(dir).toString());
    p.put("num.partitions", "1");
    // Keep everything: tests send messages with timestamps years old (the conformance cases), and
    // time-based retention, checked every 5 min, would otherwise delete them now and then between
    // their sending and their reading. Tests that need deleted data delete records explicitly.
    p.put("log.retention.ms", "-1");
    p.put("auto.create.topics.enable", "false");
    p.put("offsets.topic.replication.factor", "1");
    p.put("offsets.topic.num.partitions", "1");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("transaction.state.log.num.partitions", "1");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    p.put("group.initial.rebalance.delay.ms", "0");
    p.put("message.max.bytes", Integer.toString(EmbeddedKafka.MAX_MESSAGE_BYTES));
    p.put("replica.fetch.max.bytes", Integer.toString(EmbeddedKafka.MAX_MESSAGE_BYTES));
    // The default 128 MB dedupe buffer would be most of the broker's memory.
    p.put("log.cleaner.dedupe.buffer.size", Integer.toString(8 * 1024 * 1024));
    return p;
  }

  /**
   * Kafka's own generator: 16 random bytes base64url, but never starting with '-', which the
   * storage formatter would read as an option (1 id in 64 otherwise).
   */
  private static String newClusterId() {
    return Uuid.randomUuid().toString();
  }

  private static int[] freePorts(int count) throws IOException {
    // All sockets stay open until every port is chosen, so the ports differ.
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < count; i++) {
        sockets.add(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
      }
      return sockets.stream().mapToInt(ServerSocket::getLocalPort).toArray();
    } finally {
      for (ServerSocket socket : sockets) {
        socket.close();
      }
    }
  }
}
