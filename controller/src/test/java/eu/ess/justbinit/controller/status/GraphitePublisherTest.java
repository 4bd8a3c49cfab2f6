package eu.ess.justbinit.controller.status;

import static org.junit.jupiter.api.Assertions.assertEquals;

import eu.ess.justbinit.controller.supervisor.WorkerInfo;
import eu.ess.justbinit.testkit.Eventually;
import eu.ess.justbinit.wire.rpc.HistogramState;
import eu.ess.justbinit.wire.rpc.Statistics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

class GraphitePublisherTest {
  private static final Duration PATIENCE = Duration.ofSeconds(10);

  private static WorkerInfo histogram(int index, long sum, long diff, long pulseTimeNs) {
    return new WorkerInfo(
        "h" + index,
        index,
        1234,
        HistogramState.COUNTING,
        0,
        Statistics.newBuilder().setSum(sum).setDiff(diff).setLastPulseTimeNs(pulseTimeNs).build(),
        "");
  }

  @Test
  void sendsTheOriginalsLinesAndSurvivesAServerRestart() throws Exception {
    List<WorkerInfo> first =
        List.of(histogram(0, 1500, 300, 1_700_000_000_400_000_000L), histogram(1, 7, 0, 0));
    List<String> expected =
        List.of(
            "jbi.hist0-0-sum 1500 1700000000",
            "jbi.hist0-0-diff 300 1700000000",
            "jbi.hist1-0-sum 7 0",
            "jbi.hist1-0-diff 0 0");
    List<LogRecord> warnings = new ArrayList<>();
    Handler handler = recordingHandler(warnings);
    Logger logger = Logger.getLogger(GraphitePublisher.class.getName());
    logger.addHandler(handler);
    try {
      int port;
      GraphitePublisher publisher;
      try (GraphiteListener listener = new GraphiteListener(0)) {
        port = listener.port();
        publisher = new GraphitePublisher("127.0.0.1", port, "jbi", "hist");
        publisher.publish(first);
        assertEquals(expected, Eventually.get("4 lines", PATIENCE, () -> listener.received(4)));
      }

      publisher.publish(first);
      publisher.publish(first);
      assertEquals(1, warnings.size(), "a server that is down is logged once");

      try (GraphiteListener restarted = new GraphiteListener(port)) {
        List<WorkerInfo> later = List.of(histogram(0, 1800, 300, 1_700_000_001_500_000_000L));
        publisher.publish(later);
        assertEquals(
            List.of("jbi.hist0-0-sum 1800 1700000002", "jbi.hist0-0-diff 300 1700000002"),
            Eventually.get("2 lines", PATIENCE, () -> restarted.received(2)));
      }
    } finally {
      logger.removeHandler(handler);
    }
  }

  @Test
  void leavesOutTheDotWithoutPrefixAndHistogramsThatNeverReported() {
    GraphitePublisher publisher = new GraphitePublisher("127.0.0.1", 1, "", "m");
    WorkerInfo silent =
        new WorkerInfo(
            "",
            1,
            -1,
            HistogramState.HISTOGRAM_STATE_UNSPECIFIED,
            0,
            Statistics.getDefaultInstance(),
            "");

    assertEquals(
        "m0-0-sum 5 2\nm0-0-diff 1 2\n",
        publisher.lines(List.of(histogram(0, 5, 1, 2_500_000_000L), silent)));
  }

  private static Handler recordingHandler(List<LogRecord> records) {
    return new Handler() {
      @Override
      public void publish(LogRecord record) {
        if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
          records.add(record);
        }
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
  }
}
