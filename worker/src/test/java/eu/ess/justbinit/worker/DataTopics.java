package eu.ess.justbinit.worker;

import eu.ess.justbinit.testkit.EmbeddedKafka;
import eu.ess.justbinit.wire.codec.EventEncoder;
import eu.ess.justbinit.wire.rpc.PartitionOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Writes ev44 messages of known event counts to the data topics of a test. */
final class DataTopics implements AutoCloseable {
  /** Every time of flight made here lies in [0, TOF_HIGH): all count in the tests' hist1d. */
  static final int TOF_HIGH = 100_000_000;

  /** The bins of the tests' hist1d ({@link WorkerProcessTest#hist1d}), each TOF_HIGH / 50 wide. */
  static final int BINS = 50;

  private final EmbeddedKafka kafka;
  private final KafkaProducer<byte[], byte[]> producer;
  private final SplittableRandom random = new SplittableRandom(44);
  private long messageId;

  DataTopics(EmbeddedKafka kafka) {
    this.kafka = kafka;
    this.producer =
        new KafkaProducer<>(
            kafka.clientProperties(), new ByteArraySerializer(), new ByteArraySerializer());
  }

  Map<String, String> clientSettings() {
    return kafka.clientSettings();
  }

  static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** Sends one ev44 message of {@code events} events and returns {@code events}. */
  long send(String topic, int partition, int events) throws Exception {
    return send(topic, partition, null, events);
  }

  /** The same with the Kafka timestamp {@code timestampMs} (null: now). */
  long send(String topic, int partition, Long timestampMs, int events) throws Exception {
    return send(topic, partition, timestampMs, events, new long[BINS]);
  }

  /** The same, adding each event to its bin of {@code counts}, {@link #BINS} long. */
  long send(String topic, int partition, Long timestampMs, int events, long[] counts)
      throws Exception {
    int[] tof = new int[events];
    int[] pixels = new int[events];
    for (int i = 0; i < events; i++) {
      tof[i] = random.nextInt(TOF_HIGH);
      counts[tof[i] / (TOF_HIGH / BINS)]++;
      pixels[i] = 1 + random.nextInt(100);
    }
    messageId++;
    byte[] message = EventEncoder.ev44("detector", messageId, messageId * 1_000_000L, tof, pixels);
    sendBytes(topic, partition, timestampMs, message);
    return events;
  }

  void sendBytes(String topic, int partition, Long timestampMs, byte[] value)
      throws InterruptedException, ExecutionException {
    producer.send(new ProducerRecord<>(topic, partition, timestampMs, null, value)).get();
  }

  /** The end offset of each of {@code partitions} of {@code topic}, now. */
  List<PartitionOffset> endOffsets(String topic, int... partitions) throws Exception {
    try (Admin admin = Admin.create(kafka.adminProperties())) {
      Map<TopicPartition, OffsetSpec> query = new HashMap<>();
      for (int partition : partitions) {
        query.put(new TopicPartition(topic, partition), OffsetSpec.latest());
      }
      Map<TopicPartition, ListOffsetsResultInfo> ends = admin.listOffsets(query).all().get();
      List<PartitionOffset> offsets = new ArrayList<>();
      ends.forEach(
          (partition, info) ->
              offsets.add(
                  PartitionOffset.newBuilder()
                      .setTopic(partition.topic())
                      .setPartition(partition.partition())
                      .setOffset(info.offset())
                      .build()));
      return offsets;
    }
  }

  @Override
  public void close() {
    producer.close();
  }
}
