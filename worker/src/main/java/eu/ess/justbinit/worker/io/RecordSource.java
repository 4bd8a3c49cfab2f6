package eu.ess.justbinit.worker.io;

import eu.ess.justbinit.wire.rpc.PartitionOffset;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;

/**
 * Where a worker's event messages come from: the data topics, or the simulator. Values are views
 * into the fetched data, valid until the next poll.
 */
public interface RecordSource extends AutoCloseable {

  /** The next batch of messages, waiting at most {@code timeout}; empty when none came. */
  ConsumerRecords<ByteBuffer, ByteBuffer> poll(Duration timeout);

  /**
   * The partitions read, each once; a partition's place in this list is its number in the
   * histogram.
   */
  List<TopicPartition> partitions();

  /** Whether every partition still read was read to its end as of the last fetch. */
  boolean isCaughtUp();

  /** Whether partition number {@code partition} was read to its end as of the last fetch. */
  boolean isCaughtUp(int partition);

  /** Reads nothing more from partition number {@code partition}. */
  void stopReading(int partition);

  /** For every partition read, the offset of the next message {@link #poll} returns. */
  List<PartitionOffset> nextOffsets();

  @Override
  void close();
}
