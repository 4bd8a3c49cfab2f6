package eu.ess.justbinit.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class EventuallyTest {
  @Test
  void returnsTheFirstValueTheProbeYields() {
    AtomicInteger probes = new AtomicInteger();
    int value =
        Eventually.get(
            "the third probe",
            Duration.ofSeconds(30),
            () -> Optional.of(probes.incrementAndGet()).filter(count -> count == 3));
    assertEquals(3, value);
    assertEquals(3, probes.get());
  }

  @Test
  void failsAtTheDeadlineDescribingWhatWasSeenThen() {
    AtomicInteger probes = new AtomicInteger();
    AssertionError error =
        assertThrows(
            AssertionError.class,
            () ->
                Eventually.await(
                    () -> "never; probed " + (probes.get() > 1 ? "again" : "once"),
                    Duration.ofMillis(100),
                    () -> probes.incrementAndGet() < 0));
    assertEquals("Timed out after PT0.1S waiting for: never; probed again", error.getMessage());
  }
}
