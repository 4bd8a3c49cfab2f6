package eu.ess.justbinit.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * A real single-node KRaft Kafka broker (combined broker and controller) in a child JVM, on free
 * loopback ports and in its own directory. The broker logs to {@code server.log} in that directory.
 * {@link #stop()} and {@link #start()} restart it on the same ports and data, for tests of clients
 * that must survive a broker outage.
 */
public final class EmbeddedKafka implements AutoCloseable {
  /** The largest message the broker accepts; clients need matching limits to use it. */
  public static final int MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

  private static final Logger LOG = Logger.getLogger(EmbeddedKafka.class.getName());
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration KILL_GRACE = Duration.ofSeconds(10);
  private static final Duration POLL_INTERVAL = Duration.ofMillis(50);
  // -Xms32m: the default initial heap (1/64 of the machine's memory) lets start-up garbage fill
  // hundreds of MB before the first collection; with it the broker stays near 170 MB RSS.
  private static final List<String> JVM_OPTIONS =
      List.of("-Xms32m", "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
  private static final String SCRAM_MECHANISM = "SCRAM-SHA-512";
  private static final int SCRAM_ITERATIONS = 4096;
  private static final int LOG_TAIL_LINES = 40;

  private final Path dir;
  private final boolean ownsDir;
  private final int port;
  private final int controllerPort;
  private final int saslPort;
  private final int saslSslPort;
  private final Optional<ScramUser> scramUser;
  private final String clusterId;
  private final boolean ssl;
  private final Thread shutdownHook;

  private volatile Process process;
  private BrokerCertificates certificates;
  private Admin admin;
  private boolean credentialsCreated;
  private Duration lastStartDuration = Duration.ZERO;

  private EmbeddedKafka(Builder builder) throws IOException {
    this.ownsDir = builder.dataDir == null;
    this.dir =
        ownsDir
            ? Files.createTempDirectory("embedded-kafka-")
            : Files.createDirectories(builder.dataDir.toAbsolutePath());
    this.scramUser = Optional.ofNullable(builder.scramUser);
    this.ssl = builder.ssl;
    if (ssl && scramUser.isEmpty()) {
      throw new IllegalArgumentException("withSaslSsl needs withSaslScram: SCRAM is its mechanism");
    }
    int[] ports = freePorts(4);
    this.port = builder.port != 0 ? builder.port : ports[0];
    this.controllerPort = ports[1];
    this.saslPort = scramUser.isPresent() ? ports[2] : 0;
    this.saslSslPort = ssl ? ports[3] : 0;
    this.clusterId = BrokerFiles.clusterId(dir).orElseGet(EmbeddedKafka::newClusterId);
    this.shutdownHook = new Thread(this::kill, "embedded-kafka-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Starts the broker and returns once an admin client gets an answer from it. */
  public synchronized void start() {
    if (process != null && process.isAlive()) {
      throw new IllegalStateException("the broker is already running");
    }
    long begin = System.nanoTime();
    try {
      if (ssl && certificates == null) {
        certificates = BrokerCertificates.in(dir);
      }
      Path properties = BrokerFiles.write(dir, serverProperties());
      Path jvmArgs = BrokerFiles.writeJvmArgs(dir, JVM_OPTIONS, brokerClasspath());
      ProcessBuilder builder =
          new ProcessBuilder(
                  javaExecutable(),
                  "@" + jvmArgs,
                  BrokerMain.class.getName(),
                  properties.toString(),
                  clusterId)
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(BrokerFiles.console(dir).toFile()));
      // stdin stays a pipe that only this JVM holds: its end of file tells the child to exit.
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the broker in " + dir, e);
    }
    // An admin client made before the broker listens backs off; one made after connects at once.
    awaitPort();
    admin = Admin.create(adminProperties());
    awaitAnswer(admin, "the broker");
    if (scramUser.isPresent() && !credentialsCreated) {
      createScramCredentials(scramUser.get());
      credentialsCreated = true;
    }
    lastStartDuration = Duration.ofNanos(System.nanoTime() - begin);
    LOG.info(
        () ->
            String.format(
                "Kafka broker up at %s in %d ms (pid %d, directory %s)",
                bootstrapServers(), lastStartDuration.toMillis(), process.pid(), dir));
  }

  /** Stops the broker cleanly (SIGTERM, then SIGKILL after 30 s); its data stays. */
  public synchronized void stop() {
    if (admin != null) {
      admin.close(Duration.ZERO);
      admin = null;
    }
    Process running = process;
    if (running == null) {
      return;
    }
    running.destroy();
    try {
      if (!running.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warning("the broker did not stop within " + STOP_TIMEOUT + ": killing it");
        running.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      running.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    process = null;
  }

  /** Stops the broker and deletes its directory unless the caller chose it. */
  @Override
  public synchronized void close() {
    stop();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // The JVM is shutting down: the hook runs anyway.
    }
    deleteOwnDirectory();
  }

  public String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  /** The SASL_PLAINTEXT (SCRAM-SHA-512) listener; only with {@link Builder#withSaslScram}. */
  public String saslBootstrapServers() {
    if (scramUser.isEmpty()) {
      throw new IllegalStateException("this broker has no SASL listener: use withSaslScram");
    }
    return "127.0.0.1:" + saslPort;
  }

  /** The SASL_SSL (SCRAM-SHA-512) listener; only with {@link Builder#withSaslSsl}. */
  public String saslSslBootstrapServers() {
    if (!ssl) {
      throw new IllegalStateException("this broker has no SASL_SSL listener: use withSaslSsl");
    }
    return "127.0.0.1:" + saslSslPort;
  }

  /** The PEM certificate of the CA that signed the SASL_SSL listener's certificate. */
  public Path caFile() {
    saslSslBootstrapServers();
    return certificates.caFile();
  }

  /** Client properties for the PLAINTEXT listener: a fresh mutable map to add serialisers to. */
  public Map<String, Object> clientProperties() {
    Map<String, Object> properties = new HashMap<>();
    properties.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    return properties;
  }

  /**
   * {@link #clientProperties()} as strings: the Kafka settings as a worker receives them from the
   * controller.
   */
  public Map<String, String> clientSettings() {
    Map<String, String> settings = new HashMap<>();
    clientProperties().forEach((key, value) -> settings.put(key, String.valueOf(value)));
    return settings;
  }

  /** Client properties for the SASL listener, authenticating as the given user. */
  public Map<String, Object> saslClientProperties(String username, String password) {
    return scramProperties(saslBootstrapServers(), "SASL_PLAINTEXT", username, password);
  }

  /** Client properties for the SASL_SSL listener, trusting {@link #caFile()}. */
  public Map<String, Object> saslSslClientProperties(String username, String password) {
    Map<String, Object> properties =
        scramProperties(saslSslBootstrapServers(), "SASL_SSL", username, password);
    properties.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PEM");
    properties.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, caFile().toString());
    return properties;
  }

  /** Client properties for the SASL_SSL listener, as the user the broker was built with. */
  public Map<String, Object> saslSslClientProperties() {
    ScramUser user = scramUser();
    return saslSslClientProperties(user.username(), user.password());
  }

  private static Map<String, Object> scramProperties(
      String bootstrapServers, String protocol, String username, String password) {
    Map<String, Object> properties = new HashMap<>();
    properties.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    properties.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, protocol);
    properties.put(SaslConfigs.SASL_MECHANISM, SCRAM_MECHANISM);
    properties.put(
        SaslConfigs.SASL_JAAS_CONFIG,
        String.format(
            "org.apache.kafka.common.security.scram.ScramLoginModule required"
                + " username=\"%s\" password=\"%s\";",
            jaasEscape(username), jaasEscape(password)));
    return properties;
  }

  /**
   * Client properties for the SASL listener, authenticating as the user the broker was built with.
   */
  public Map<String, Object> saslClientProperties() {
    ScramUser user = scramUser();
    return saslClientProperties(user.username(), user.password());
  }

  private ScramUser scramUser() {
    return scramUser.orElseThrow(
        () -> new IllegalStateException("this broker has no SASL listener: use withSaslScram"));
  }

  /** Admin client properties with short timeouts, so that a dead broker fails fast. */
  public Map<String, Object> adminProperties() {
    Map<String, Object> properties = clientProperties();
    properties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
    properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
    properties.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 200);
    return properties;
  }

  /** Creates a topic with replication factor 1 and waits until every partition has a leader. */
  public void createTopic(String name, int partitions) {
    createTopics(partitions, name);
  }

  /** Creates topics of {@code partitions} partitions each. */
  public synchronized void createTopics(int partitions, String... names) {
    List<NewTopic> topics =
        Arrays.stream(names)
            .map(name -> new NewTopic(name, partitions, (short) 1))
            .collect(Collectors.toList());
    await(runningAdmin().createTopics(topics).all());
    awaitLeaders(Arrays.asList(names));
  }

  public synchronized void deleteTopic(String name) {
    await(runningAdmin().deleteTopics(List.of(name)).all());
  }

  /**
   * Waits for a record produced on partition 0 of {@code topic} after this call (a service's next
   * heartbeat, say: older ones on a kept data dir do not count), for at most {@code timeout} and
   * while {@code keepWaiting} holds.
   *
   * @return whether such a record arrived
   */
  public boolean awaitNextRecord(String topic, Duration timeout, BooleanSupplier keepWaiting) {
    TopicPartition partition = new TopicPartition(topic, 0);
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            clientProperties(), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.assign(List.of(partition));
      consumer.seekToEnd(List.of(partition));
      // seekToEnd is lazy: fix the position now, or a record sent before the first poll is lost.
      consumer.position(partition);
      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline && keepWaiting.getAsBoolean()) {
        if (!consumer.poll(POLL_INTERVAL).isEmpty()) {
          return true;
        }
      }
      return false;
    }
  }

  /** The names of the topics that exist, internal ones excluded. */
  public synchronized Set<String> topics() {
    return await(runningAdmin().listTopics().names());
  }

  public boolean isRunning() {
    Process running = process;
    return running != null && running.isAlive();
  }

  /** The broker JVM's process id. */
  public long pid() {
    Process running = process;
    if (running == null) {
      throw new IllegalStateException("the broker is not running");
    }
    return running.pid();
  }

  /** How long the last {@link #start()} took, from launching the JVM to the broker answering. */
  public Duration lastStartDuration() {
    return lastStartDuration;
  }

  /** The broker's directory: server.properties, server.log, data. */
  public Path directory() {
    return dir;
  }

  /** The last lines the broker logged, for failure messages. */
  public String logTail() {
    return BrokerFiles.tail(dir, LOG_TAIL_LINES);
  }

  /** Completes when the broker JVM exits; for mains that live as long as their broker. */
  CompletableFuture<Process> onExit() {
    Process running = process;
    if (running == null) {
      throw new IllegalStateException("the broker is not running");
    }
    return running.onExit();
  }

  private Map<String, String> serverProperties() throws IOException {
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
    p.put("message.max.bytes", Integer.toString(MAX_MESSAGE_BYTES));
    p.put("replica.fetch.max.bytes", Integer.toString(MAX_MESSAGE_BYTES));
    // The default 128 MB dedupe buffer would be most of the broker's memory.
    p.put("log.cleaner.dedupe.buffer.size", Integer.toString(8 * 1024 * 1024));
    return p;
  }

  private void createScramCredentials(ScramUser user) {
    ScramCredentialInfo info =
        new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, SCRAM_ITERATIONS);
    await(
        admin
            .alterUserScramCredentials(
                List.of(new UserScramCredentialUpsertion(user.username(), info, user.password())))
            .all());
    // The broker applies the new credentials from the metadata log a moment later.
    Map<String, Object> sasl = saslClientProperties();
    sasl.putAll(Map.of(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 200));
    try (Admin saslAdmin = Admin.create(sasl)) {
      awaitAnswer(saslAdmin, "the SASL listener");
    }
  }

  /** Polls {@code probe} until it passes; fails when the broker dies or START_TIMEOUT passes. */
  private void pollUntil(String what, Probe probe) {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    Exception last = null;
    while (System.nanoTime() < deadline) {
      Process running = process;
      if (!running.isAlive()) {
        throw new IllegalStateException(
            "the broker exited with status " + running.exitValue() + ":\n" + logTail());
      }
      try {
        probe.check();
        return;
      } catch (IOException | ExecutionException e) {
        last = e;
      }
      try {
        // Waits for the poll interval, or less when the broker dies meanwhile.
        running.waitFor(POLL_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for " + what, e);
      }
    }
    kill();
    throw new IllegalStateException(
        what + " did not answer within " + START_TIMEOUT + " (last: " + last + "):\n" + logTail());
  }

  /** Waits for an admin client's answer; a fresh client connects at once once the port is open. */
  private void awaitAnswer(Admin client, String what) {
    pollUntil(
        what,
        () -> {
          try {
            client.describeCluster(new DescribeClusterOptions().timeoutMs(1_000)).nodes().get();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + what, e);
          }
        });
  }

  private void awaitPort() {
    pollUntil(
        "the broker's port",
        () -> {
          try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1_000);
          }
        });
  }

  /** A readiness check: returns when ready, throws while not yet. */
  @FunctionalInterface
  private interface Probe {
    void check() throws IOException, ExecutionException;
  }

  private void awaitLeaders(Collection<String> names) {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (true) {
      boolean led;
      try {
        Map<String, TopicDescription> topics =
            await(runningAdmin().describeTopics(names).allTopicNames());
        led =
            topics.values().stream()
                .flatMap(topic -> topic.partitions().stream())
                .map(TopicPartitionInfo::leader)
                .allMatch(leader -> leader != null && !leader.isEmpty());
      } catch (UnknownTopicOrPartitionException notYet) {
        // A topic created a moment ago may not be in the broker's metadata cache yet.
        led = false;
      }
      if (led) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("topics " + names + " have no leader");
      }
      try {
        TimeUnit.MILLISECONDS.sleep(POLL_INTERVAL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for leaders", e);
      }
    }
  }

  private Admin runningAdmin() {
    if (admin == null) {
      throw new IllegalStateException("the broker is not running");
    }
    return admin;
  }

  private static <T> T await(KafkaFuture<T> future) {
    try {
      return future.get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException) {
        throw (RuntimeException) cause;
      }
      throw new IllegalStateException(cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /**
   * Stops the broker, cleanly if it manages within {@link #KILL_GRACE}. For the shutdown hook and
   * failed starts: takes no lock, since the thread holding it may never return.
   */
  private void kill() {
    Process running = process;
    if (running != null) {
      running.destroy();
      try {
        if (!running.waitFor(KILL_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
          running.destroyForcibly().waitFor(KILL_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        }
      } catch (InterruptedException e) {
        running.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
    if (Thread.currentThread() == shutdownHook) {
      deleteOwnDirectory();
    }
  }

  private void deleteOwnDirectory() {
    if (!ownsDir) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      List<Path> all = paths.sorted(Comparator.reverseOrder()).collect(Collectors.toList());
      for (Path path : all) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      LOG.warning("cannot delete " + dir + ": " + e);
    }
  }

  /**
   * Kafka's own generator: 16 random bytes base64url, but never starting with '-', which the
   * storage formatter would read as an option (1 id in 64 otherwise).
   */
  private static String newClusterId() {
    return Uuid.randomUuid().toString();
  }

  private static String brokerClasspath() {
    return ChildClasspath.forBroker(ChildClasspath.current());
  }

  private static String javaExecutable() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
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

  private static String jaasEscape(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"");
  }

  /** A SCRAM user; its password never shows in toString. */
  private record ScramUser(String username, String password) {
    @Override
    public String toString() {
      return "ScramUser[" + username + "]";
    }
  }

  /** Options of a broker; {@link #start()} builds and starts it. */
  public static final class Builder {
    private int port;
    private Path dataDir;
    private ScramUser scramUser;
    private boolean ssl;

    private Builder() {}

    /** The PLAINTEXT listener's port (default: a free one). */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /** A directory that survives {@link EmbeddedKafka#close()} (default: a temporary one). */
    public Builder dataDir(Path dataDir) {
      this.dataDir = dataDir;
      return this;
    }

    /**
     * Adds a SASL_SSL listener too (SCRAM-SHA-512, with {@link #withSaslScram}'s user), its
     * certificate signed by a CA made for this broker ({@link EmbeddedKafka#caFile()}).
     */
    public Builder withSaslSsl() {
      this.ssl = true;
      return this;
    }

    /** Adds a SASL_PLAINTEXT listener with SCRAM-SHA-512 and this user. */
    public Builder withSaslScram(String username, String password) {
      this.scramUser = new ScramUser(username, password);
      return this;
    }

    public EmbeddedKafka start() {
      EmbeddedKafka kafka;
      try {
        kafka = new EmbeddedKafka(this);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot prepare the broker's directory", e);
      }
      try {
        kafka.start();
      } catch (RuntimeException e) {
        kafka.close();
        throw e;
      }
      return kafka;
    }
  }
}
