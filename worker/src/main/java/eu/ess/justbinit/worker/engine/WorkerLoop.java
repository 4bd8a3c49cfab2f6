package eu.ess.justbinit.worker.engine;

import eu.ess.justbinit.wire.codec.CodecException;
import eu.ess.justbinit.wire.rpc.ControllerMessage;
import eu.ess.justbinit.wire.rpc.HistogramSpec;
import eu.ess.justbinit.wire.rpc.HistogramState;
import eu.ess.justbinit.wire.rpc.PartitionOffset;
import eu.ess.justbinit.wire.rpc.PartitionProgress;
import eu.ess.justbinit.worker.histogram.Histogram;
import eu.ess.justbinit.worker.histogram.HistogramInput;
import eu.ess.justbinit.worker.histogram.HistogramSnapshot;
import eu.ess.justbinit.worker.io.HistogramSink;
import eu.ess.justbinit.worker.io.RecordSource;
import eu.ess.justbinit.worker.link.ControllerLink;
import eu.ess.justbinit.worker.link.SupervisorMessages;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;

/**
 * The worker's one thread: poll, decode, bin; between two batches obey the controller, publish,
 * report and checkpoint. Single writer of the histogram, sole user of source, sink and link.
 *
 * <p>Threads (docs/architecture.md, "Threads"): runs on the worker's main thread alone, and locks
 * nothing. It meets other threads only through what it calls: the link's queues (commands in,
 * messages out), the sink's volatile refusal, and the checkpoint that the link's sender thread
 * builds from a snapshot whose arrays are its own, handed over through the sender's queue.
 */
final class WorkerLoop {
  private static final Logger LOG = Logger.getLogger(WorkerLoop.class.getName());

  /** The longest the loop stays in a poll: how long a Stop or Reset may wait. */
  private static final long LONGEST_POLL_MS = 100;

  /** How long after stop a caught-up partition waits for late data before it ends by the clock. */
  private static final long STOP_LEEWAY_MS = 5000;

  /** Skipped messages get a warning this many times, then debug lines. */
  private static final int LOUD_SKIPS = 5;

  private final HistogramSpec spec;
  private final long publishIntervalMs;
  private RecordSource source;
  private final Histogram histogram;
  private final HistogramSink sink;
  private final ControllerLink link;
  private final List<PartitionProgress> resumedPartitions;
  private final HistogramInput input;

  /** The source's partitions and their numbers in the histogram. */
  private List<TopicPartition> partitions = List.of();

  private final Map<TopicPartition, Integer> partitionNumbers = new HashMap<>();

  private long skippedMessages;
  private HistogramState publishedState;
  private boolean readSinceCheckpoint;

  /** More data was waiting after the last batch: the loop is catching up. */
  private boolean behind;

  WorkerLoop(
      HistogramSpec spec,
      long publishIntervalMs,
      Histogram histogram,
      HistogramSink sink,
      ControllerLink link,
      long skippedMessages,
      List<PartitionProgress> resumedPartitions) {
    this.spec = spec;
    this.publishIntervalMs = publishIntervalMs;
    this.histogram = histogram;
    this.sink = sink;
    this.link = link;
    this.skippedMessages = skippedMessages;
    this.resumedPartitions = resumedPartitions;
    this.input = new HistogramInput(histogram, spec.getInputSchema());
  }

  /** Whether a publish also hands the controller a checkpoint. */
  private enum Checkpointing {
    /** Always: the state changed, the counts were reset, or the positions were just fixed. */
    FORCED,
    /** When something was read since the last one, and the controller keeps up. */
    ROUTINE,
    /** Never: in the middle of a batch the consumer's positions are ahead of the counts. */
    NONE
  }

  /** Publishes the histogram as it starts (INITIALISED, or as resumed), before reading. */
  void publishStart() {
    publish(Checkpointing.ROUTINE);
  }

  /**
   * Counts what {@code source} delivers until the histogram is finished or failed, or the
   * controller has gone.
   *
   * @return the final state; empty when the controller has gone
   */
  Optional<HistogramState> run(RecordSource source) {
    this.source = source;
    readPartitions();
    // Now that the positions are fixed (a partition without a recorded offset starts at its
    // beginning), the controller gets them: a replacement worker starts from the same ones.
    publish(Checkpointing.FORCED);
    long nextPublishMs = System.currentTimeMillis() + publishIntervalMs;
    while (!isOver(histogram.state()) && !link.isGone()) {
      obeyController();
      ConsumerRecords<ByteBuffer, ByteBuffer> records = poll(nextPublishMs);
      int openBefore = histogram.openPartitions();
      for (TopicPartition partition : records.partitions()) {
        int number = partitionNumbers.get(partition);
        if (histogram.hasEnded(number)) {
          continue;
        }
        for (ConsumerRecord<ByteBuffer, ByteBuffer> record : records.records(partition)) {
          count(number, record);
          if (histogram.hasEnded(number)) {
            // A message after stop ended it: the rest of the batch from it goes unread.
            LOG.info(() -> partition + " ended at offset " + record.offset() + ": after stop");
            source.stopReading(number);
            break;
          }
          // Catching up, one batch can take longer than the interval to bin: publish on time.
          if (System.currentTimeMillis() >= nextPublishMs) {
            publish(Checkpointing.NONE);
            nextPublishMs = System.currentTimeMillis() + publishIntervalMs;
          }
        }
      }
      long nowMs = System.currentTimeMillis();
      boolean backlogCounted = false;
      if (!records.isEmpty()) {
        readSinceCheckpoint = true;
        boolean caughtUp = source.isCaughtUp();
        backlogCounted = behind && caughtUp;
        behind = !caughtUp;
      }
      endPartitionsPastStop(nowMs);
      boolean changed =
          histogram.state() != publishedState || histogram.openPartitions() != openBefore;
      // The histogram that holds a whole backlog goes out the moment it is counted, not up to an
      // interval later: the original's one histogram after catching up does too.
      if (changed || nowMs >= nextPublishMs || backlogCounted) {
        publish(changed ? Checkpointing.FORCED : Checkpointing.ROUTINE);
        nextPublishMs = nowMs + publishIntervalMs;
      }
    }
    return link.isGone() ? Optional.empty() : Optional.of(histogram.state());
  }

  /**
   * Numbers the source's partitions in the histogram; a resumed histogram continues each as its
   * checkpoint left it, and reads nothing more from those that had ended.
   */
  private void readPartitions() {
    partitions = source.partitions();
    for (int number = 0; number < partitions.size(); number++) {
      partitionNumbers.put(partitions.get(number), number);
    }
    histogram.readPartitions(partitions.size());
    for (PartitionProgress progress : resumedPartitions) {
      Integer number =
          partitionNumbers.get(new TopicPartition(progress.getTopic(), progress.getPartition()));
      if (number != null) {
        histogram.resumePartition(
            number, progress.getEnded(), progress.getSum(), progress.getLastPulseTimeNs());
        if (progress.getEnded()) {
          source.stopReading(number);
        }
      }
    }
    if (!resumedPartitions.isEmpty()) {
      LOG.info(
          () ->
              "Resumed with "
                  + (partitions.size() - histogram.openPartitions())
                  + " of "
                  + partitions.size()
                  + " partitions ended");
    }
  }

  private static boolean isOver(HistogramState state) {
    return state == HistogramState.FINISHED || state == HistogramState.ERROR;
  }

  private ConsumerRecords<ByteBuffer, ByteBuffer> poll(long nextPublishMs) {
    long waitMs =
        Math.max(0, Math.min(LONGEST_POLL_MS, nextPublishMs - System.currentTimeMillis()));
    try {
      return source.poll(Duration.ofMillis(waitMs));
    } catch (AuthenticationException | AuthorizationException e) {
      histogram.fail("Cannot read the data topics: " + e.getMessage());
      return ConsumerRecords.empty();
    }
  }

  /**
   * Decodes one message of partition number {@code partition} and offers it to the histogram; a
   * message of the histogram's kind that cannot be decoded or used is skipped, one of the other
   * kind ignored.
   */
  private void count(int partition, ConsumerRecord<ByteBuffer, ByteBuffer> record) {
    ByteBuffer value = record.value();
    if (value == null) {
      skip(record, "it has no value");
      return;
    }
    try {
      if (input.offer(partition, value, record.timestamp()) == HistogramInput.Outcome.UNUSABLE) {
        skip(record, input.unusableReason());
      }
    } catch (CodecException e) {
      skip(record, e.getMessage());
    } catch (RuntimeException e) {
      // Whatever a malformed message provokes, it must not stop the counting.
      skip(record, e.toString());
    }
  }

  private void skip(ConsumerRecord<ByteBuffer, ByteBuffer> record, String reason) {
    skippedMessages++;
    Level level = skippedMessages <= LOUD_SKIPS ? Level.WARNING : Level.FINE;
    if (LOG.isLoggable(level)) {
      LOG.log(
          level,
          "Skipped the message at "
              + record.topic()
              + "-"
              + record.partition()
              + "@"
              + record.offset()
              + ": "
              + reason);
    }
  }

  /**
   * Past stop + 5 s each partition that is caught up ends, by the clock; with no partition at all,
   * the histogram finishes.
   */
  private void endPartitionsPastStop(long nowMs) {
    if (!spec.hasStopMs()
        || nowMs <= spec.getStopMs() + STOP_LEEWAY_MS
        || isOver(histogram.state())) {
      return;
    }
    for (int number = 0; number < partitions.size(); number++) {
      if (!histogram.hasEnded(number) && source.isCaughtUp(number)) {
        TopicPartition partition = partitions.get(number);
        LOG.info(() -> partition + " ended: caught up, past stop and no more data");
        histogram.endPartition(number);
        source.stopReading(number);
      }
    }
    if (histogram.openPartitions() == 0) {
      histogram.finish();
    }
  }

  private void obeyController() {
    Optional<ControllerMessage> command;
    while ((command = link.nextCommand()).isPresent()) {
      if (command.get().hasStop()) {
        LOG.info("Stopped by the controller");
        histogram.finish();
      } else if (command.get().hasResetCounts()) {
        LOG.info("Counts reset by the controller");
        histogram.clear();
        publish(Checkpointing.FORCED);
      }
    }
  }

  /**
   * Publishes the histogram, reports it, and hands the controller a checkpoint as {@code
   * checkpointing} says: counts and positions both as of the end of the last batch. A routine
   * checkpoint is left out when nothing was read since the last one, or dropped when the controller
   * is not keeping up.
   */
  private void publish(Checkpointing checkpointing) {
    HistogramSnapshot snapshot = histogram.snapshotForPublish();
    String refusal = sink.refusal().orElse("");
    sink.publish(
        nanosSinceEpoch(),
        snapshot.lastPulseTimeNs(),
        snapshot.shape(),
        snapshot.edges(),
        snapshot.counts(),
        snapshot.values(),
        snapshot.info(spec, skippedMessages, refusal));
    if (snapshot.state() != publishedState) {
      LOG.info(() -> "Histogram " + snapshot.state() + ", sum " + snapshot.sum());
    }
    publishedState = snapshot.state();
    long skipped = skippedMessages;
    link.send(SupervisorMessages.report(snapshot, skipped, refusal));
    boolean forced = checkpointing == Checkpointing.FORCED;
    if (forced || (checkpointing == Checkpointing.ROUTINE && readSinceCheckpoint)) {
      List<PartitionOffset> nextOffsets = source.nextOffsets();
      List<TopicPartition> numbered = partitions;
      readSinceCheckpoint =
          !link.sendCheckpoint(
              () -> SupervisorMessages.checkpoint(snapshot, nextOffsets, numbered, skipped),
              forced);
    }
  }

  private static long nanosSinceEpoch() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }
}
