package eu.ess.justbinit.common.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

class LogSetupTest {
  @Test
  void mapsTheOriginalsLevelsToJul() {
    assertEquals(Level.FINE, LogSetup.level(1));
    assertEquals(Level.INFO, LogSetup.level(2));
    assertEquals(Level.WARNING, LogSetup.level(3));
    assertEquals(Level.SEVERE, LogSetup.level(4));
    assertEquals(Level.SEVERE, LogSetup.level(5));
  }

  @Test
  void refusesLevelsOutsideOneToFive() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> LogSetup.level(0));
    assertTrue(e.getMessage().contains("got 0"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> LogSetup.level(6));
  }

  @Test
  void configureLeavesOneHandlerAtTheLevelEvenWhenCalledTwice() {
    LogSetup.configure(1, "");
    LogSetup.configure(4, "hist-7");
    Logger root = LogManager.getLogManager().getLogger("");
    Handler[] handlers = root.getHandlers();
    assertEquals(1, handlers.length);
    assertEquals(Level.SEVERE, root.getLevel());
    assertEquals(Level.SEVERE, handlers[0].getLevel());
    LogRecord record = new LogRecord(Level.SEVERE, "lost {0}");
    record.setParameters(new Object[] {"broker"});
    record.setLoggerName("eu.ess.justbinit.worker.engine.Worker");
    String line = handlers[0].getFormatter().format(record);
    assertTrue(
        line.endsWith(" SEVERE Worker: [hist-7] lost broker" + System.lineSeparator()), line);
    LogSetup.configure(3, "");
  }

  @Test
  void formatsTheStackTraceAfterTheLine() {
    LogRecord record = new LogRecord(Level.WARNING, "failed");
    record.setThrown(new IllegalStateException("why"));
    String text = new LogSetup.OneLineFormatter("").format(record);
    assertTrue(text.contains(" WARNING root: failed"), text);
    assertTrue(text.contains("java.lang.IllegalStateException: why"), text);
  }
}
