package eu.ess.justbinit.kafka;

import eu.ess.justbinit.rpc.PartitionOffset;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecords;

/**
 * Where a worker's event messages come from: the data topics, or the simulator. Values are views
 * into the fetched data, valid until the next poll.
 */
public interface RecordSource extends AutoCloseable {

  /** The next batch of messages, waiting at most {@code timeout}; empty when none came. */
  ConsumerRecords<ByteBuffer, ByteBuffer> poll(Duration timeout);

  /** Whether every partition was read to its end as of the last fetch. */
  boolean isCaughtUp();

  /** For every partition read, the offset of the next message {@link #poll} returns. */
  List<PartitionOffset> nextOffsets();

  @Override
  void close();
}
