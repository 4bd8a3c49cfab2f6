package eu.ess.justbinit.testkit;

import static eu.ess.justbinit.testkit.EmbeddedKafkaTest.fixture;
import static eu.ess.justbinit.testkit.EmbeddedKafkaTest.producer;
import static eu.ess.justbinit.testkit.EmbeddedKafkaTest.readAll;
import static eu.ess.justbinit.testkit.EmbeddedKafkaTest.uniqueTopic;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/** The second backend: the same round trip through Kafka in a container, where Docker answers. */
@ProcessLevel
class TestcontainersKafkaTest {
  private static final DockerImageName IMAGE = DockerImageName.parse("apache/kafka:4.1.1");

  @Test
  void ev44BytesComeBackUnchangedFromAKafkaContainer() throws Exception {
    assumeTrue(
        DockerClientFactory.instance().isDockerAvailable(),
        "no Docker engine answers: the Testcontainers backend is not tested here");
    try (KafkaContainer kafka = new KafkaContainer(IMAGE)) {
      kafka.start();
      String topic = uniqueTopic("container");
      Map<String, Object> properties = new HashMap<>();
      properties.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, kafka.getBootstrapServers());
      try (Admin admin = Admin.create(properties)) {
        admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
      }
      byte[] ev44 = fixture("ev44_basic.bin");
      try (KafkaProducer<byte[], byte[]> producer = producer(new HashMap<>(properties))) {
        producer.send(new ProducerRecord<>(topic, ev44)).get();
      }
      assertArrayEquals(ev44, readAll(new HashMap<>(properties), topic, 1).get(0).value());
    }
  }
}
