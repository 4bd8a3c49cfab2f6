package eu.ess.justbinit.testkit;

import static eu.ess.justbinit.testkit.EmbeddedKafkaTest.fixture;
import static eu.ess.justbinit.testkit.EmbeddedKafkaTest.producer;
import static eu.ess.justbinit.testkit.EmbeddedKafkaTest.readAll;
import static eu.ess.justbinit.testkit.EmbeddedKafkaTest.sendFailure;
import static eu.ess.justbinit.testkit.EmbeddedKafkaTest.uniqueTopic;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@ProcessLevel
class SaslSslTest {
  private static EmbeddedKafka kafka;

  @BeforeAll
  static void startBroker() {
    kafka = EmbeddedKafka.builder().withSaslScram("tls-user", "tls-pass").withSaslSsl().start();
  }

  @AfterAll
  static void stopBroker() {
    kafka.close();
  }

  @Test
  void aClientTrustingTheCaFileProducesAndConsumes() throws Exception {
    assertTrue(Files.readString(kafka.caFile()).startsWith("-----BEGIN CERTIFICATE-----"));
    String topic = uniqueTopic("tls");
    kafka.createTopic(topic, 1);
    byte[] hs01 = fixture("hs01_dethist.bin");
    try (KafkaProducer<byte[], byte[]> producer = producer(kafka.saslSslClientProperties())) {
      producer.send(new ProducerRecord<>(topic, hs01)).get();
    }
    assertArrayEquals(hs01, readAll(kafka.saslSslClientProperties(), topic, 1).get(0).value());
  }

  @Test
  void aClientThatDoesNotTrustTheCaFailsTheHandshake() {
    String topic = uniqueTopic("tls-untrusted");
    kafka.createTopic(topic, 1);
    Map<String, Object> properties = kafka.saslSslClientProperties();
    properties.remove(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG);
    properties.remove(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG);
    assertInstanceOf(SslAuthenticationException.class, sendFailure(properties, topic, 10_000));
  }
}
