package eu.ess.justbinit.common.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class UnawaitedTest {
  private final Logger log = Logger.getLogger(UnawaitedTest.class.getName());
  private final List<LogRecord> records = new CopyOnWriteArrayList<>();
  private final Handler capture =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          records.add(record);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  @BeforeEach
  void capture() {
    log.addHandler(capture);
  }

  @AfterEach
  void release() {
    log.removeHandler(capture);
  }

  @Test
  void logsTheFailureOfAFutureNobodyWaitsFor() {
    CompletableFuture<Void> future = new CompletableFuture<>();
    Unawaited.log(future, log, "watching worker 7");
    IllegalStateException failure = new IllegalStateException("gone");
    future.completeExceptionally(failure);

    assertEquals(1, records.size());
    assertEquals(Level.SEVERE, records.get(0).getLevel());
    assertTrue(records.get(0).getMessage().contains("watching worker 7"));
    assertSame(failure, records.get(0).getThrown());
  }

  @Test
  void logsNothingForAFutureThatCompletes() {
    CompletableFuture<Void> future = new CompletableFuture<>();
    Unawaited.log(future, log, "watching worker 7");
    future.complete(null);

    assertEquals(List.of(), records);
  }

  @Test
  void aTaskLogsItsFailureAndStillThrowsIt() {
    IllegalStateException failure = new IllegalStateException("broken");
    Runnable task =
        Unawaited.task(
            log,
            "refilling",
            () -> {
              throw failure;
            });

    assertSame(failure, assertThrows(IllegalStateException.class, task::run));
    assertEquals(1, records.size());
    assertTrue(records.get(0).getMessage().contains("refilling"));
    assertSame(failure, records.get(0).getThrown());
  }

  @Test
  void aTaskThatSucceedsRunsAndLogsNothing() {
    int[] runs = {0};
    Unawaited.task(log, "refilling", () -> runs[0]++).run();

    assertEquals(1, runs[0]);
    assertEquals(List.of(), records);
  }
}
