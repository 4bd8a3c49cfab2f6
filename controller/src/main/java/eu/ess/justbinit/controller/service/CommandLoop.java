package eu.ess.justbinit.controller.service;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The command loop. {@link #run} runs on the controller's command thread; {@link #stop} and {@link
 * #listening} may be called from any thread (the shutdown hook, tests). It takes no lock: a stop is
 * a latch and a consumer wakeup, both thread-safe.
 *
 * <p>It reads partition 0 of the config topic from the first command stamped at or after the time
 * it is given (the service's start, less a margin: {@link Controller#COMMANDS_BEFORE_START}), or
 * from its end when there is none yet, so that a command sent while the service was still starting
 * is answered and older ones are not replayed; it hands each poll's records as one batch to a
 * {@link CommandHandler}. While the config topic cannot be read (no broker, no topic, a refused
 * login) it says why and tries again every few seconds.
 */
final class CommandLoop {
  private static final Logger LOG = Logger.getLogger(CommandLoop.class.getName());
  private static final Duration POLL = Duration.ofMillis(100);
  private static final Duration RETRY = Duration.ofSeconds(3);

  private final ControllerSettings settings;
  private final Instant since;
  private final CountDownLatch stopRequested = new CountDownLatch(1);
  private final CountDownLatch listening = new CountDownLatch(1);
  private volatile KafkaConsumer<byte[], byte[]> consumer;

  /** A loop that reads the commands sent from {@code since} on. */
  CommandLoop(ControllerSettings settings, Instant since) {
    this.settings = settings;
    this.since = since;
  }

  /** Hands each batch of commands to {@code handler} until {@link #stop}; then returns. */
  void run(CommandHandler handler) {
    try (KafkaConsumer<byte[], byte[]> commands = new KafkaConsumer<>(consumerProperties())) {
      consumer = commands;
      if (stopRequested() || !subscribe(commands)) {
        return;
      }
      while (!stopRequested()) {
        List<byte[]> batch = new ArrayList<>();
        commands.poll(POLL).forEach(record -> batch.add(record.value()));
        if (!batch.isEmpty()) {
          handler.handle(batch);
        }
      }
    } catch (WakeupException e) {
      LOG.fine("Woken up to stop");
    } finally {
      consumer = null;
    }
  }

  /** Asks {@link #run} to return, now or as soon as it starts; does not wait. */
  void stop() {
    stopRequested.countDown();
    KafkaConsumer<byte[], byte[]> reading = consumer;
    if (reading != null) {
      reading.wakeup();
    }
  }

  /** Whether commands sent from now on will be read. */
  boolean listening() {
    return listening.getCount() == 0;
  }

  private boolean stopRequested() {
    return stopRequested.getCount() == 0;
  }

  /**
   * Waits until the config topic can be read, then starts at the first command sent since {@code
   * since}, or at its end.
   */
  private boolean subscribe(KafkaConsumer<byte[], byte[]> commands) {
    TopicPartition partition = new TopicPartition(settings.configTopic(), 0);
    while (!stopRequested()) {
      String why;
      try {
        List<PartitionInfo> partitions = commands.partitionsFor(settings.configTopic(), RETRY);
        if (partitions != null && !partitions.isEmpty()) {
          commands.assign(List.of(partition));
          OffsetAndTimestamp first =
              commands
                  .offsetsForTimes(Map.of(partition, since.toEpochMilli()), RETRY)
                  .get(partition);
          if (first == null) {
            commands.seekToEnd(List.of(partition));
          } else {
            commands.seek(partition, first.offset());
          }
          long position = commands.position(partition, RETRY);
          listening.countDown();
          LOG.info(
              () ->
                  "Listening for commands on "
                      + settings.configTopic()
                      + " sent since "
                      + since
                      + " from offset "
                      + position);
          return true;
        }
        why = "the config topic " + settings.configTopic() + " does not exist";
      } catch (WakeupException e) {
        return false;
      } catch (AuthenticationException e) {
        why =
            "authentication failed with the brokers "
                + settings.brokers()
                + ", check the SASL username and password: "
                + e.getMessage();
      } catch (KafkaException e) {
        why = "cannot reach the brokers " + settings.brokers() + ": " + e.getMessage();
      }
      LOG.warning(
          "Cannot listen for commands yet (" + why + "); retrying in " + RETRY.toSeconds() + " s");
      try {
        if (stopRequested.await(RETRY.toMillis(), TimeUnit.MILLISECONDS)) {
          return false;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return false;
  }

  private Map<String, Object> consumerProperties() {
    Map<String, Object> properties = new HashMap<>(settings.kafkaSecurity());
    properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, String.join(",", settings.brokers()));
    properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    properties.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    properties.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 64 * 1024 * 1024);
    properties.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 32 * 1024 * 1024);
    return properties;
  }
}
