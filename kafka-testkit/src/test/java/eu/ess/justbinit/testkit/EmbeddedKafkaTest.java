package eu.ess.justbinit.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.ess.justbinit.wire.codec.EventDecoder;
import eu.ess.justbinit.wire.codec.EventMessage;
import eu.ess.justbinit.wire.codec.HistogramDecoder;
import eu.ess.justbinit.wire.codec.HistogramMessage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaBrokerExtension.class)
@ProcessLevel
class EmbeddedKafkaTest {
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

  @Test
  void brokerAnswersAndReportsItsStartTime(EmbeddedKafka kafka, TestReporter reporter)
      throws IOException {
    String figures =
        String.format(
            "broker start %d ms, RSS %s",
            kafka.lastStartDuration().toMillis(), residentSetSize(kafka.pid()).orElse("unknown"));
    reporter.publishEntry("embedded-kafka", figures);
    System.out.println("embedded-kafka: " + figures);
    assertTrue(kafka.isRunning());
    assertTrue(kafka.bootstrapServers().startsWith("127.0.0.1:"));
  }

  @Test
  void ev44AndHs01BytesComeBackUnchanged(EmbeddedKafka kafka) throws Exception {
    String topic = uniqueTopic("fixtures");
    kafka.createTopic(topic, 2);
    byte[] ev44 = fixture("ev44_basic.bin");
    byte[] hs01 = fixture("hs01_hist1d.bin");

    try (KafkaProducer<byte[], byte[]> producer = producer(kafka.clientProperties())) {
      producer.send(new ProducerRecord<>(topic, 0, null, ev44)).get();
      producer.send(new ProducerRecord<>(topic, 1, null, hs01)).get();
    }

    List<ConsumerRecord<byte[], byte[]>> records = readAll(kafka.clientProperties(), topic, 2);
    assertEquals(2, records.size());
    for (ConsumerRecord<byte[], byte[]> record : records) {
      assertArrayEquals(record.partition() == 0 ? ev44 : hs01, record.value());
    }
    // Values from the fixtures' .json twins.
    EventMessage events = new EventDecoder().decode(ByteBuffer.wrap(valueOf(records, 0)));
    assertEquals("test_source", events.sourceName());
    assertEquals(123456, events.messageId());
    assertArrayEquals(new int[] {100, 200, 300, 400, 500}, events.timeOfFlight().toArray());
    assertArrayEquals(new int[] {1, 2, 3, 4, 5}, events.pixelId().toArray());
    HistogramMessage histogram =
        new HistogramDecoder().decode(ByteBuffer.wrap(valueOf(records, 1)));
    assertEquals("just-bin-it", histogram.source());
    assertEquals(1700000000500000000L, histogram.timestampNs());
    assertArrayEquals(new int[] {5}, histogram.shape());
    assertArrayEquals(
        new double[] {0, 20, 40, 60, 80, 100}, histogram.dimensions().get(0).boundaries());
  }

  private static byte[] valueOf(List<ConsumerRecord<byte[], byte[]>> records, int partition) {
    return records.stream()
        .filter(record -> record.partition() == partition)
        .findFirst()
        .orElseThrow()
        .value();
  }

  @Test
  void producingToAMissingTopicDoesNotCreateIt(EmbeddedKafka kafka) {
    String topic = uniqueTopic("missing");
    assertInstanceOf(TimeoutException.class, sendFailure(kafka.clientProperties(), topic, 1_000));
    assertFalse(kafka.topics().contains(topic));
  }

  @Test
  void rightScramCredentialsProduceAndConsume(EmbeddedKafka kafka) throws Exception {
    String topic = uniqueTopic("scram");
    kafka.createTopic(topic, 1);
    byte[] ev44 = fixture("ev44_basic.bin");
    try (KafkaProducer<byte[], byte[]> producer = producer(kafka.saslClientProperties())) {
      producer.send(new ProducerRecord<>(topic, ev44)).get();
    }
    List<ConsumerRecord<byte[], byte[]>> records = readAll(kafka.saslClientProperties(), topic, 1);
    assertArrayEquals(ev44, records.get(0).value());
  }

  @Test
  void aWrongScramPasswordFailsWithAnAuthenticationError(EmbeddedKafka kafka) {
    String topic = uniqueTopic("scram-wrong");
    kafka.createTopic(topic, 1);
    String wrong = "not-the-password-" + UUID.randomUUID();
    Map<String, Object> properties =
        kafka.saslClientProperties(KafkaBrokerExtension.SCRAM_USER, wrong);
    SaslAuthenticationException cause =
        assertInstanceOf(SaslAuthenticationException.class, sendFailure(properties, topic, 10_000));
    assertTrue(
        cause.getMessage().contains("Authentication failed"),
        () -> "unexpected message: " + cause.getMessage());
    assertFalse(cause.getMessage().contains(wrong), "the message shows the password");
  }

  @Test
  void stopAndStartKeepPortsTopicsDataAndCredentials() throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.builder().withSaslScram("restart", "s3cret").start()) {
      String topic = uniqueTopic("restart");
      kafka.createTopic(topic, 2);
      String bootstrap = kafka.bootstrapServers();
      byte[] before = fixture("hs01_hist2d.bin");
      try (KafkaProducer<byte[], byte[]> producer = producer(kafka.clientProperties())) {
        producer.send(new ProducerRecord<>(topic, 1, null, before)).get();
      }

      kafka.stop();
      assertFalse(kafka.isRunning());
      kafka.start();

      assertEquals(bootstrap, kafka.bootstrapServers());
      assertTrue(kafka.topics().contains(topic));
      byte[] after = fixture("ev44_10k.bin");
      try (KafkaProducer<byte[], byte[]> producer = producer(kafka.saslClientProperties())) {
        producer.send(new ProducerRecord<>(topic, 0, null, after)).get();
      }
      List<ConsumerRecord<byte[], byte[]>> records =
          readAll(kafka.saslClientProperties(), topic, 2);
      for (ConsumerRecord<byte[], byte[]> record : records) {
        assertArrayEquals(record.partition() == 1 ? before : after, record.value());
      }
    }
  }

  static String uniqueTopic(String prefix) {
    return prefix + "-" + UUID.randomUUID();
  }

  static byte[] fixture(String name) throws IOException {
    return Files.readAllBytes(Path.of(System.getProperty("jbi.testdata.dir"), "fixtures", name));
  }

  /** Sends one record that must fail, waiting at most {@code maxBlockMs}; returns why it failed. */
  static Throwable sendFailure(Map<String, Object> properties, String topic, int maxBlockMs) {
    properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, maxBlockMs);
    try (KafkaProducer<byte[], byte[]> producer = producer(properties)) {
      return assertThrows(
              ExecutionException.class,
              () -> producer.send(new ProducerRecord<>(topic, new byte[] {1})).get())
          .getCause();
    }
  }

  static KafkaProducer<byte[], byte[]> producer(Map<String, Object> properties) {
    properties.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, EmbeddedKafka.MAX_MESSAGE_BYTES);
    return new KafkaProducer<>(properties, new ByteArraySerializer(), new ByteArraySerializer());
  }

  /** Reads {@code count} records from the start of every partition of {@code topic}. */
  static List<ConsumerRecord<byte[], byte[]>> readAll(
      Map<String, Object> properties, String topic, int count) {
    try (TopicReader reader = new TopicReader(properties, topic, READ_TIMEOUT)) {
      List<ConsumerRecord<byte[], byte[]>> records = reader.awaitCount(count);
      assertEquals(count, records.size(), "records read from " + topic);
      return records;
    }
  }

  private static Optional<String> residentSetSize(long pid) throws IOException {
    Path status = Path.of("/proc", Long.toString(pid), "status");
    if (!Files.exists(status)) {
      return Optional.empty();
    }
    return Files.readAllLines(status).stream()
        .filter(line -> line.startsWith("VmRSS:"))
        .map(line -> line.substring("VmRSS:".length()).trim())
        .findFirst();
  }
}
