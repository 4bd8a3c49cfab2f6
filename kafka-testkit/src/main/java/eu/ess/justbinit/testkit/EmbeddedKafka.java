package eu.ess.justbinit.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
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
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * A real single-node KRaft Kafka broker (combined broker and controller) in a child JVM, on free
 * loopback ports and in its own directory; the public face of the test kit's broker. Any thread may
 * call it: the methods that change or use the running broker are synchronized. The broker logs to
 * {@code server.log} in that directory. {@link #stop()} and {@link #start()} restart it on the same
 * ports and data, for tests of clients that must survive a broker outage.
 */
public final class EmbeddedKafka implements AutoCloseable {
  /** The largest message the broker accepts; clients need matching limits to use it. */
  public static final int MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

  private static final Logger LOG = Logger.getLogger(EmbeddedKafka.class.getName());
  private static final Duration LEADER_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration POLL_INTERVAL = Duration.ofMillis(50);
  private static final int SCRAM_ITERATIONS = 4096;

  private final Path dir;
  private final boolean ownsDir;
  private final BrokerConfig config;
  private final BrokerProcess broker;
  private final Thread shutdownHook;

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
    this.config =
        new BrokerConfig(dir, builder.port, Optional.ofNullable(builder.scramUser), builder.ssl);
    this.broker = new BrokerProcess(dir);
    this.shutdownHook = new Thread(this::kill, "embedded-kafka-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Starts the broker and returns once an admin client gets an answer from it. */
  public synchronized void start() {
    if (broker.isAlive()) {
      throw new IllegalStateException("the broker is already running");
    }
    long begin = System.nanoTime();
    try {
      if (config.ssl() && certificates == null) {
        certificates = BrokerCertificates.in(dir);
      }
      broker.launch(config.serverProperties(dir, certificates), config.clusterId());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the broker in " + dir, e);
    }
    // An admin client made before the broker listens backs off; one made after connects at once.
    broker.awaitPort(config.port());
    admin = Admin.create(adminProperties());
    broker.awaitAnswer(admin, "the broker");
    if (config.scramUser().isPresent() && !credentialsCreated) {
      createScramCredentials(config.scramUser().get());
      credentialsCreated = true;
    }
    lastStartDuration = Duration.ofNanos(System.nanoTime() - begin);
    LOG.info(
        () ->
            String.format(
                "Kafka broker up at %s in %d ms (pid %d, directory %s)",
                bootstrapServers(), lastStartDuration.toMillis(), broker.pid(), dir));
  }

  /** Stops the broker cleanly (SIGTERM, then SIGKILL after 30 s); its data stays. */
  public synchronized void stop() {
    if (admin != null) {
      admin.close(Duration.ZERO);
      admin = null;
    }
    broker.stop();
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
    return config.bootstrapServers();
  }

  /** The SASL_PLAINTEXT (SCRAM-SHA-512) listener; only with {@link Builder#withSaslScram}. */
  public String saslBootstrapServers() {
    return config.saslBootstrapServers();
  }

  /** The SASL_SSL (SCRAM-SHA-512) listener; only with {@link Builder#withSaslSsl}. */
  public String saslSslBootstrapServers() {
    return config.saslSslBootstrapServers();
  }

  /** The PEM certificate of the CA that signed the SASL_SSL listener's certificate. */
  public Path caFile() {
    saslSslBootstrapServers();
    return certificates.caFile();
  }

  /** Client properties for the PLAINTEXT listener: a fresh mutable map to add serialisers to. */
  public Map<String, Object> clientProperties() {
    return ClientProperties.plaintext(bootstrapServers());
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
    return ClientProperties.saslPlaintext(saslBootstrapServers(), username, password);
  }

  /** Client properties for the SASL_SSL listener, trusting {@link #caFile()}. */
  public Map<String, Object> saslSslClientProperties(String username, String password) {
    String servers = saslSslBootstrapServers();
    return ClientProperties.saslSsl(servers, username, password, caFile());
  }

  /** Client properties for the SASL_SSL listener, as the user the broker was built with. */
  public Map<String, Object> saslSslClientProperties() {
    ScramUser user = scramUser();
    return saslSslClientProperties(user.username(), user.password());
  }

  /**
   * Client properties for the SASL listener, authenticating as the user the broker was built with.
   */
  public Map<String, Object> saslClientProperties() {
    ScramUser user = scramUser();
    return saslClientProperties(user.username(), user.password());
  }

  private ScramUser scramUser() {
    return config
        .scramUser()
        .orElseThrow(
            () -> new IllegalStateException("this broker has no SASL listener: use withSaslScram"));
  }

  /** Admin client properties with short timeouts, so that a dead broker fails fast. */
  public Map<String, Object> adminProperties() {
    return ClientProperties.admin(bootstrapServers());
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
    return broker.isAlive();
  }

  /** The broker JVM's process id. */
  public long pid() {
    return broker.pid();
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
    return broker.logTail();
  }

  /** Completes when the broker JVM exits; for mains that live as long as their broker. */
  CompletableFuture<Process> onExit() {
    return broker.onExit();
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
      broker.awaitAnswer(saslAdmin, "the SASL listener");
    }
  }

  private void awaitLeaders(Collection<String> names) {
    long deadline = System.nanoTime() + LEADER_TIMEOUT.toNanos();
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

  /** The shutdown hook: ends the broker without taking the lock, then deletes its directory. */
  private void kill() {
    broker.kill();
    deleteOwnDirectory();
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
