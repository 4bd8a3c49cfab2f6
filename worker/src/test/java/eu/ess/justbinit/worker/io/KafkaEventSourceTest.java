package eu.ess.justbinit.worker.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.ess.justbinit.testkit.EmbeddedKafka;
import eu.ess.justbinit.testkit.KafkaBrokerExtension;
import eu.ess.justbinit.testkit.ProcessLevel;
import eu.ess.justbinit.wire.rpc.HistogramSchema;
import eu.ess.justbinit.wire.rpc.HistogramSpec;
import eu.ess.justbinit.wire.rpc.PartitionOffset;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Start positions of the data topics, against the real broker; and, with the client's MockConsumer,
 * the one case a broker cannot be made to produce on demand.
 */
@ExtendWith(KafkaBrokerExtension.class)
@ProcessLevel
class KafkaEventSourceTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @Test
  void aFreshTopicWhoseFirstMessageIsAfterStartIsReadFromItsFirstMessage(EmbeddedKafka kafka)
      throws Exception {
    long base = System.currentTimeMillis() - 10_000;
    String topic = topicWithMessages(kafka, base, 3);
    try (KafkaEventSource source = open(kafka, topic)) {
      assertEquals(Optional.empty(), source.seekToTime(base - 60_000));
      assertEquals(List.of(0L, 1L, 2L), readOffsets(source, 3));
    }
  }

  @Test
  void aStartAfterEveryMessageStartsAtTheEnd(EmbeddedKafka kafka) throws Exception {
    long base = System.currentTimeMillis() - 10_000;
    String topic = topicWithMessages(kafka, base, 2, 4);
    try (KafkaEventSource source = open(kafka, topic)) {
      assertEquals(Optional.empty(), source.seekToTime(base + 2500));
      assertEquals(List.of(2L, 3L), List.of(offset(source, 0), offset(source, 1)));
      assertEquals(List.of(3L), readOffsets(source, 1));
    }
  }

  @Test
  void aMessageProducedWhileTheStartIsLookedUpIsRead(EmbeddedKafka kafka) throws Exception {
    long base = System.currentTimeMillis() - 10_000;
    String topic = topicWithMessages(kafka, base, 2, 0);
    long start = base + 5000;
    try (KafkaEventSource source = open(kafka, topic)) {
      // Neither partition has a message from start on when its start offset is looked up; each
      // gets one before its position is set.
      source.afterStartLookup(
          () -> {
            try {
              TestTopics.send(kafka, topic, 0, start, 1);
              TestTopics.send(kafka, topic, 1, start, 1);
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          });
      assertEquals(Optional.empty(), source.seekToTime(start));
      assertEquals(List.of(2L, 0L), List.of(offset(source, 0), offset(source, 1)));
      assertFalse(source.isCaughtUp(), "the two messages are still to be read");
      List<Long> read = readOffsets(source, 2);
      read.sort(Long::compare);
      assertEquals(List.of(0L, 2L), read);
    }
  }

  @Test
  void aPartitionWithoutRecordedOffsetIsReadFromItsBeginning(EmbeddedKafka kafka) throws Exception {
    // Partition 1 stands for one created after the controller recorded the ends: its two
    // messages were produced after the config was accepted, before the worker opened its source.
    String topic = topicWithMessages(kafka, null, 2, 2);
    try (KafkaEventSource source = open(kafka, topic)) {
      source.seekToOffsets(
          List.of(
              PartitionOffset.newBuilder().setTopic(topic).setPartition(0).setOffset(1).build()));
      assertEquals(List.of(1L, 0L), List.of(offset(source, 0), offset(source, 1)));
      assertFalse(source.isCaughtUp(1), "its two messages are still to be read");
      TestTopics.send(kafka, topic, 1, null, 1);
      List<Long> read = readOffsets(source, 4);
      read.sort(Long::compare);
      assertEquals(List.of(0L, 1L, 1L, 2L), read);
      assertEquals(List.of(2L, 3L), List.of(offset(source, 0), offset(source, 1)));
    }
  }

  @Test
  void theFirstFetchSentEarlyMovesNoPositionAndLosesNoMessage(EmbeddedKafka kafka)
      throws Exception {
    long base = System.currentTimeMillis() - 10_000;
    String topic = topicWithMessages(kafka, base, 3, 2);
    try (KafkaEventSource source = open(kafka, topic)) {
      assertEquals(Optional.empty(), source.seekToTime(base - 60_000));
      source.startFetching();
      assertEquals(List.of(0L, 0L), List.of(offset(source, 0), offset(source, 1)));
      List<Long> read = readOffsets(source, 5);
      read.sort(Long::compare);
      assertEquals(List.of(0L, 0L, 1L, 1L, 2L), read);
    }
  }

  @Test
  void aPartitionNoLongerReadGivesNoMoreMessagesAndDoesNotHoldBackCatchingUp(EmbeddedKafka kafka)
      throws Exception {
    long base = System.currentTimeMillis() - 10_000;
    String topic = topicWithMessages(kafka, base, 4, 3);
    try (KafkaEventSource source = open(kafka, topic)) {
      assertEquals(Optional.empty(), source.seekToTime(base - 60_000));
      assertEquals(
          List.of(new TopicPartition(topic, 0), new TopicPartition(topic, 1)), source.partitions());
      source.stopReading(0);
      List<Integer> partitions = new ArrayList<>();
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (!(partitions.size() >= 3 && source.isCaughtUp()) && System.nanoTime() < deadline) {
        for (ConsumerRecord<ByteBuffer, ByteBuffer> record : source.poll(Duration.ofMillis(100))) {
          partitions.add(record.partition());
        }
      }
      assertEquals(List.of(1, 1, 1), partitions, "only partition 1 is read");
      assertTrue(source.poll(Duration.ofMillis(500)).isEmpty(), "nor later partition 0");
      assertTrue(source.isCaughtUp(), "partition 0's four unread messages do not count");
      assertTrue(source.isCaughtUp(1));
      assertFalse(source.isCaughtUp(0));
      assertEquals(0L, offset(source, 0));
    }
  }

  @Test
  void aFirstFetchBackAtOnceLeavesThePositionsAtItsFirstMessages() {
    TopicPartition partition = new TopicPartition("events", 0);
    MockConsumer<ByteBuffer, ByteBuffer> consumer = new MockConsumer<>("earliest");
    consumer.assign(List.of(partition));
    consumer.updateBeginningOffsets(Map.of(partition, 0L));
    consumer.seek(partition, 4);
    for (long offset = 4; offset < 7; offset++) {
      consumer.addRecord(new ConsumerRecord<>("events", 0, offset, null, ByteBuffer.allocate(1)));
    }
    try (KafkaEventSource source = new KafkaEventSource(consumer, List.of(partition))) {
      source.startFetching();
      assertEquals(4L, offset(source, 0));
    }
  }

  /**
   * A new topic of {@code counts.length} partitions, partition p holding {@code counts[p]} messages
   * timestamped as {@link TestTopics#send} says.
   */
  @Test
  void theWorkersClientsRegisterNoMetricsMBeans(EmbeddedKafka kafka) throws Exception {
    String topic = topicWithMessages(kafka, null, 1);
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    try (KafkaEventSource source = open(kafka, topic);
        HistogramSink sink =
            HistogramSink.open(
                HistogramSpec.newBuilder()
                    .setOutputTopic(topic)
                    .setOutputSchema(HistogramSchema.HS01)
                    .build(),
                kafka.clientSettings(),
                "sink-test",
                10,
                11,
                "lz4")) {
      source.seekToOffsets(List.of());
      assertEquals(
          Set.of(),
          server.queryNames(new ObjectName("kafka.consumer:client-id=source-test,*"), null));
      sink.publish(0, 0, new int[] {10}, new double[][] {new double[11]}, new long[10], null, "{}");
      assertEquals(
          Set.of(),
          server.queryNames(new ObjectName("kafka.producer:client-id=sink-test,*"), null));
    }
  }

  private static String topicWithMessages(EmbeddedKafka kafka, Long base, int... counts)
      throws Exception {
    String topic = TestTopics.topic(kafka, counts.length);
    for (int partition = 0; partition < counts.length; partition++) {
      TestTopics.send(kafka, topic, partition, base, counts[partition]);
    }
    return topic;
  }

  private static KafkaEventSource open(EmbeddedKafka kafka, String topic) {
    return KafkaEventSource.open(List.of(topic), kafka.clientSettings(), "source-test");
  }

  private static long offset(KafkaEventSource source, int partition) {
    return source.nextOffsets().get(partition).getOffset();
  }

  private static List<Long> readOffsets(KafkaEventSource source, int count) {
    List<Long> offsets = new ArrayList<>();
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (offsets.size() < count && System.nanoTime() < deadline) {
      for (ConsumerRecord<ByteBuffer, ByteBuffer> record : source.poll(Duration.ofMillis(100))) {
        offsets.add(record.offset());
      }
    }
    assertTrue(source.poll(Duration.ofMillis(200)).isEmpty(), "nothing more to read");
    return offsets;
  }
}
