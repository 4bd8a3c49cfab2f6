package eu.ess.justbinit.controller.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class BackoffTest {
  @Test
  void doublesUpToTheCeilingAndStartsOverAfterAReset() {
    Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofMillis(1000));

    List<Long> delays = Stream.generate(backoff::grow).limit(6).map(Duration::toMillis).toList();

    assertEquals(List.of(100L, 200L, 400L, 800L, 1000L, 1000L), delays);
    backoff.reset();
    assertEquals(Duration.ofMillis(100), backoff.current());
  }
}
