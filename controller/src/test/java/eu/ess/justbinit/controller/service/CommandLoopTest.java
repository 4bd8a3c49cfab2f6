package eu.ess.justbinit.controller.service;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The command loop's stop, without a broker. */
class CommandLoopTest {
  @Test
  void aCommandLoopStoppedBeforeItRunsReturnsWithoutListening() {
    CommandLoop loop = new CommandLoop(StatusTickerTest.settings(Optional.empty()), Instant.now());
    loop.stop();
    loop.run(null);
    assertFalse(loop.listening());
  }
}
