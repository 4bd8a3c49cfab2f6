package eu.ess.justbinit.controller.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.ess.justbinit.controller.supervisor.SparePool;
import eu.ess.justbinit.controller.supervisor.WorkerInfo;
import eu.ess.justbinit.testkit.Eventually;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/** The status ticker, with a mock producer. */
class StatusTickerTest {
  private static final Duration PATIENCE = Duration.ofSeconds(30);

  static ControllerSettings settings(Optional<String> heartbeatTopic) {
    return new ControllerSettings(
        List.of("localhost:1"),
        "commands",
        heartbeatTopic,
        ControllerSettings.HeartbeatFormat.JSON,
        Optional.empty(),
        Optional.empty(),
        false,
        3,
        Map.of(),
        Duration.ofMillis(500),
        List.of(),
        SparePool.fixed(0),
        Path.of("target"));
  }

  @Test
  void aHeartbeatThatFailsOnceIsPublishedAgainTheNextSecond() {
    MockProducer<byte[], byte[]> producer =
        new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
    AtomicInteger asked = new AtomicInteger();
    Supplier<List<WorkerInfo>> histograms =
        () -> {
          if (asked.incrementAndGet() == 1) {
            throw new IllegalStateException("the supervisor is not ready");
          }
          return List.of();
        };
    StatusTicker ticker =
        StatusTicker.start(settings(Optional.of("beat")), producer, Clock.systemUTC(), histograms);
    try {
      Eventually.await(
          "a heartbeat after the failed one", PATIENCE, () -> !producer.history().isEmpty());
    } finally {
      ticker.close();
    }
    assertEquals("beat", producer.history().get(0).topic());
    String message = new String(producer.history().get(0).value(), StandardCharsets.UTF_8);
    assertTrue(message.contains("\"message_interval\":1000"), message);
  }

  @Test
  void withNoHeartbeatTopicNorGraphiteNothingIsPublished() {
    MockProducer<byte[], byte[]> producer =
        new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
    AtomicInteger asked = new AtomicInteger();
    StatusTicker.start(
            settings(Optional.empty()),
            producer,
            Clock.systemUTC(),
            () -> {
              asked.incrementAndGet();
              return List.of();
            })
        .close();
    assertEquals(0, asked.get());
    assertEquals(List.of(), producer.history());
  }
}
