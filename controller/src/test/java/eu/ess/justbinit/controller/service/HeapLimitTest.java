package eu.ess.justbinit.controller.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import eu.ess.justbinit.controller.supervisor.WorkerHeap;
import eu.ess.justbinit.controller.supervisor.WorkerInfo;
import eu.ess.justbinit.testkit.EmbeddedKafka;
import eu.ess.justbinit.testkit.Eventually;
import eu.ess.justbinit.testkit.KafkaBrokerExtension;
import eu.ess.justbinit.testkit.ProcessLevel;
import eu.ess.justbinit.testkit.PublishedHistogram;
import eu.ess.justbinit.testkit.PublishedHistograms;
import eu.ess.justbinit.testkit.TopicReader;
import eu.ess.justbinit.wire.codec.EventEncoder;
import eu.ess.justbinit.wire.rpc.HistogramState;
import eu.ess.justbinit.wire.rpc.WorkerContract;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * With --max-worker-heap at 256 MB, the largest hist1d that heap allows (by the controller's own
 * formula) is acknowledged and counts in a real worker JVM given exactly that heap, reading the
 * real broker; one bin more is refused at config with the field and both sizes, and the running
 * histogram goes on counting.
 */
@ExtendWith(KafkaBrokerExtension.class)
@ProcessLevel
class HeapLimitTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_HEAP_MB = 256;

  /** A hist1d of bins 1 wide over [0, bins], so that a time of flight t counts in bin t. */
  private static final String HIST1D =
      """
      {"type": "hist1d", "data_brokers": ["%s"], "data_topics": ["%s"], "tof_range": [0, %d],
       "num_bins": %d, "topic": "%s", "id": "%s"}""";

  @Test
  void theLargestHist1dTheCapAllowsRunsAndOneBinMoreIsRefused(EmbeddedKafka kafka) {
    // A hist1d of n bins has n + 1 edges.
    int bins = (int) ((WorkerHeap.largestValues(MAX_HEAP_MB) - 1) / 2);
    try (ServiceHarness service =
        new ServiceHarness(
            kafka,
            settings ->
                settings
                    .withWorkers(
                        // Each publish is some 18 MB before compression: fewer of them.
                        Duration.ofSeconds(1),
                        // No -Xmx: the controller fits the worker's heap, within the cap.
                        List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"))
                    .withMaxWorkerHeap(MAX_HEAP_MB),
            WorkerContract.MAIN_CLASS,
            true)) {
      String data = service.prefix + "data";
      String out = service.prefix + "out";
      kafka.createTopic(data, 1);
      kafka.createTopic(out, 1);
      service.awaitListening();
      String broker = kafka.bootstrapServers();

      PublishedHistograms published =
          service.configure(out, HIST1D.formatted(broker, data, bins, bins, out, "at-limit"));
      WorkerInfo worker =
          Eventually.get("the worker", ServiceHarness.PATIENCE, () -> running(service));
      assertEquals("-Xmx" + MAX_HEAP_MB + "m", heapOption(worker.pid()));
      // Live: the events must come after the ACK. bins + 5 lies outside the range.
      int[] first = {0, 1, bins / 2, bins - 1, bins - 1, bins + 5};
      service.send(data, 0, EventEncoder.ev44("det", 1, 1_000_000L, first, new int[6]), null);
      PublishedHistogram counted = published.await("at-limit", "five events", h -> h.sum() == 5);
      long[] expected = new long[bins];
      expected[0] = 1;
      expected[1] = 1;
      expected[bins / 2] = 1;
      expected[bins - 1] = 2;
      assertEquals(bins, counted.counts().length);
      assertEquals(nonZero(expected), nonZero(counted.counts()));
      assertEquals("COUNTING", counted.state());

      JsonNode refused =
          response(
              service,
              """
              {"cmd": "config", "msg_id": "one-more", "output_schema": "hs01",
               "histograms": [%s]}"""
                  .formatted(HIST1D.formatted(broker, data, bins + 1, bins + 1, out, "over")),
              "one-more");
      assertEquals("ERR", refused.path("response").asText(), refused.toString());
      assertEquals(
          "histograms[0].num_bins: "
              + (2L * (bins + 1) + 1)
              + " bins and edges need a worker heap of "
              + (MAX_HEAP_MB + 1)
              + " MB, more than the "
              + MAX_HEAP_MB
              + " MB --max-worker-heap allows a worker",
          refused.path("message").asText());

      int[] second = {2, bins - 1, bins - 1};
      service.send(data, 0, EventEncoder.ev44("det", 2, 2_000_000L, second, new int[3]), null);
      expected[2] = 1;
      expected[bins - 1] = 4;
      PublishedHistogram goesOn = published.await("at-limit", "eight events", h -> h.sum() == 8);
      assertEquals(nonZero(expected), nonZero(goesOn.counts()));
      assertEquals("COUNTING", goesOn.state());
      WorkerInfo after = running(service).orElseThrow();
      assertEquals(worker.pid(), after.pid());
      assertEquals(HistogramState.COUNTING, after.state());
      assertEquals(0, after.restarts());
    }
  }

  private static Optional<WorkerInfo> running(ServiceHarness service) {
    List<WorkerInfo> workers = service.controller.workers();
    return workers.size() == 1 && workers.get(0).pid() > 0
        ? Optional.of(workers.get(0))
        : Optional.empty();
  }

  /** Index=count of every bin that counted something: short enough to compare and print. */
  private static List<String> nonZero(long[] counts) {
    List<String> bins = new ArrayList<>();
    for (int i = 0; i < counts.length; i++) {
      if (counts[i] != 0) {
        bins.add(i + "=" + counts[i]);
      }
    }
    return bins;
  }

  private static JsonNode response(ServiceHarness service, String config, String msgId) {
    TopicReader responses = service.reader(service.responseTopic);
    service.command(config);
    try {
      return JSON.readTree(
          responses
              .await(
                  "the response to " + msgId,
                  r -> ServiceHarness.text(r).contains("\"" + msgId + "\""))
              .value());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String heapOption(long pid) {
    Path commandLine = Path.of("/proc", Long.toString(pid), "cmdline");
    assumeTrue(Files.exists(commandLine), "needs /proc");
    try {
      return Arrays.stream(Files.readString(commandLine).split("\0"))
          .filter(a -> a.startsWith("-Xmx"))
          .findFirst()
          .orElse("none");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
