package eu.ess.justbinit.controller.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import eu.ess.justbinit.controller.service.ControllerSettings.ConfigMode;
import eu.ess.justbinit.controller.supervisor.WorkerInfo;
import eu.ess.justbinit.testkit.EmbeddedKafka;
import eu.ess.justbinit.testkit.Eventually;
import eu.ess.justbinit.testkit.KafkaBrokerExtension;
import eu.ess.justbinit.testkit.ProcessLevel;
import eu.ess.justbinit.testkit.PublishedHistogram;
import eu.ess.justbinit.testkit.PublishedHistograms;
import eu.ess.justbinit.testkit.TopicReader;
import eu.ess.justbinit.wire.rpc.HistogramState;
import eu.ess.justbinit.wire.rpc.WorkerContract;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Several clients on one service, as PSI's NICOS drives it (one client per detector image, each
 * sending a config of one histogram and stopping or resetting only its own), against the real
 * broker with real worker JVMs. Every histogram published is checked to carry {@code "num events"}
 * equal to its sum.
 */
@ExtendWith(KafkaBrokerExtension.class)
@ProcessLevel
class MultiClientTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What SINQ's NICOS sends for one image: every parameter, whatever the type uses. */
  private static final String SINQ_HISTOGRAM =
      """
      {"type": "hist1d", "data_brokers": ["%s"], "data_topics": ["%s"], "tof_range": [0, 1000],
       "det_range": [0, 1000], "num_bins": 10, "width": 10, "height": 10, "left_edges": [],
       "topic": "%s", "source": "", "id": "%s"}""";

  private ServiceHarness service;
  private TopicReader responses;
  private PublishedHistograms outputs;
  private String out;

  /** Kafka timestamps of the events, one ms apart, so that a config's start cuts exactly. */
  private final AtomicLong clockMs = new AtomicLong(System.currentTimeMillis());

  @AfterEach
  void stopService() {
    if (service != null) {
      service.close();
    }
  }

  private void start(EmbeddedKafka kafka, ConfigMode mode) {
    service =
        new ServiceHarness(kafka, ServiceHarness.configMode(mode), WorkerContract.MAIN_CLASS, true);
    service.awaitListening();
    out = service.prefix + "images";
    service.createTopics(1, out);
    responses = service.reader(service.responseTopic);
    outputs = service.histograms(out);
  }

  /** One detector image: its data topic, the events sent there, its histogram's id. */
  private final class Image {
    final String topic;
    final KnownEvents events;
    String histId;
    long[] countsAtStart = new long[10];

    Image(String name, long seed) {
      topic = service.prefix + name;
      service.createTopics(1, topic);
      events = new KnownEvents(seed);
    }

    /**
     * Sends what NICOS's doStart sends: a config of this image's new histogram, from the next event
     * on. One event message goes first: a worker that finds no message from its start on seeks to
     * the end, and one sent while it looks would be skipped.
     */
    String configure() {
      histId = "hist-" + UUID.randomUUID();
      countsAtStart = events.expected();
      long startMs = clockMs.get() + 1;
      send(1);
      String msgId = "nicos-" + UUID.randomUUID();
      service.command(
          """
          {"cmd": "config", "msg_id": "%s", "histograms": [%s], "start": %d}"""
              .formatted(
                  msgId,
                  SINQ_HISTOGRAM.formatted(service.kafka.bootstrapServers(), topic, out, histId),
                  startMs));
      return msgId;
    }

    void send(int messages) {
      for (int i = 0; i < messages; i++) {
        service.send(topic, events.nextEv42(100 + 37 * i % 200), clockMs.incrementAndGet());
      }
    }

    /** What this image's histogram must hold: the events since it started or was reset. */
    long[] expected() {
      long[] all = events.expected();
      for (int bin = 0; bin < all.length; bin++) {
        all[bin] -= countsAtStart[bin];
      }
      return all;
    }

    long expectedSum() {
      long sum = 0;
      for (long count : expected()) {
        sum += count;
      }
      return sum;
    }

    void resetExpectation() {
      countsAtStart = events.expected();
    }

    /** Waits until this image's histogram, in {@code state}, holds exactly its events. */
    PublishedHistogram awaitExact(String state) {
      long[] expected = expected();
      PublishedHistogram published;
      try {
        published =
            outputs.await(
                histId,
                state + " with " + expectedSum() + " events",
                h -> h.state().equals(state) && h.sum() == expectedSum());
      } catch (AssertionError e) {
        List<PublishedHistogram> all = outputs.all(histId);
        throw new AssertionError(
            e.getMessage()
                + "; the latest of "
                + all.size()
                + ": "
                + (all.isEmpty() ? "none" : all.get(all.size() - 1).info()),
            e);
      }
      assertArrayEquals(expected, published.counts(), histId);
      return published;
    }
  }

  private JsonNode response(String msgId) {
    return json(
        responses.await(
            "the response to " + msgId, r -> json(r).path("msg_id").asText().equals(msgId)));
  }

  private void assertAck(String msgId) {
    JsonNode response = response(msgId);
    assertEquals("ACK", response.path("response").asText(), response.toString());
  }

  private void assertErr(String msgId, String message) {
    JsonNode response = response(msgId);
    assertEquals("ERR", response.path("response").asText(), response.toString());
    assertEquals(message, response.path("message").asText());
  }

  private static JsonNode json(ConsumerRecord<byte[], byte[]> record) {
    try {
      return JSON.readTree(record.value());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void command(String msgId, String fields) {
    service.command("{\"msg_id\": \"" + msgId + "\", " + fields + "}");
  }

  /** Waits until {@code histograms} histograms run, each in a worker that has reported. */
  private List<WorkerInfo> awaitRunning(int histograms) {
    return Eventually.get(
        histograms + " histograms running",
        ServiceHarness.PATIENCE,
        () -> {
          List<WorkerInfo> workers = service.controller.workers();
          return workers.size() == histograms
                  && workers.stream()
                      .allMatch(
                          w ->
                              w.state() == HistogramState.INITIALISED
                                  || w.state() == HistogramState.COUNTING)
              ? Optional.of(workers)
              : Optional.empty();
        });
  }

  private WorkerInfo worker(String id) {
    return service.controller.workers().stream()
        .filter(w -> w.histogramId().equals(id))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no histogram " + id));
  }

  @Test
  void threeSinqClientsCountSideBySideAndEachStopsAndResetsItsOwn(EmbeddedKafka kafka) {
    start(kafka, ConfigMode.ADD);
    List<Image> images =
        List.of(
            new Image("first", 27_001), new Image("second", 27_002), new Image("third", 27_003));
    Image first = images.get(0);
    Image second = images.get(1);
    Image third = images.get(2);
    for (Image image : images) {
      assertAck(image.configure());
    }
    List<WorkerInfo> running = awaitRunning(3);
    assertEquals(
        images.stream().map(i -> i.histId).toList(),
        running.stream().map(WorkerInfo::histogramId).toList(),
        "the heartbeat lists every histogram");
    assertEquals(
        Set.of(0, 1, 2),
        running.stream().map(WorkerInfo::index).collect(Collectors.toSet()),
        "each has a Graphite name of its own");
    for (Image image : images) {
      image.send(5);
    }
    images.forEach(image -> image.awaitExact("COUNTING"));

    // Refused commands: one ERR each, naming the field; nothing changes.
    command("unknown", "\"cmd\": \"stop\", \"hist_id\": \"hist-nope\", \"id\": \"hist-nope\"");
    assertErr("unknown", "hist_id: no running histogram has the id 'hist-nope'");
    command("unknown-reset", "\"cmd\": \"reset_counts\", \"id\": \"hist-nope\"");
    assertErr("unknown-reset", "id: no running histogram has the id 'hist-nope'");
    command(
        "conflict",
        "\"cmd\": \"stop\", \"hist_id\": \"%s\", \"id\": \"%s\"".formatted(first.histId, "all"));
    assertErr(
        "conflict",
        "hist_id, id: must name the same histogram when both are given, got \""
            + first.histId
            + "\" and \"all\"");
    command("wrong-type", "\"cmd\": \"stop\", \"hist_id\": 7");
    assertErr("wrong-type", "hist_id: must be a string, got 7");
    String hist = SINQ_HISTOGRAM.formatted(kafka.bootstrapServers(), first.topic, out, "twice");
    command("duplicate", "\"cmd\": \"config\", \"histograms\": [%s, %s]".formatted(hist, hist));
    assertErr(
        "duplicate",
        "histograms[1].id: \"twice\" is already the id of histograms[0], ids must differ");
    for (Image image : images) {
      image.send(3);
    }
    images.forEach(image -> image.awaitExact("COUNTING"));
    assertEquals(
        running.stream().map(WorkerInfo::pid).toList(),
        service.controller.workers().stream().map(WorkerInfo::pid).toList(),
        "the refused commands left every worker alone");

    // A reset by id zeroes that histogram only; it then counts only new events.
    command("reset", "\"cmd\": \"reset_counts\", \"hist_id\": \"" + second.histId + "\"");
    assertAck("reset");
    second.resetExpectation();
    second.awaitExact("COUNTING");
    for (Image image : images) {
      image.send(4);
    }
    images.forEach(image -> image.awaitExact("COUNTING"));

    // A config that re-uses a running id: the old histogram ends with its sum, the new one
    // counts from zero, the others are untouched.
    // The new one starts at an event message the old one has counted (see configure()).
    String oldId = first.histId;
    long reuseStartMs = clockMs.get() + 1;
    long[] beforeReuse = first.events.expected();
    first.send(1);
    long[] oldFinal = first.expected();
    first.awaitExact("COUNTING");
    first.countsAtStart = beforeReuse;
    String reuse = "nicos-" + UUID.randomUUID();
    service.command(
        """
        {"cmd": "config", "msg_id": "%s", "histograms": [%s], "start": %d}"""
            .formatted(
                reuse,
                SINQ_HISTOGRAM.formatted(kafka.bootstrapServers(), first.topic, out, oldId),
                reuseStartMs));
    assertAck(reuse);
    PublishedHistogram oldEnd =
        outputs.awaitAny(oldId, "the first such", h -> h.state().equals("FINISHED"));
    assertArrayEquals(oldFinal, oldEnd.counts(), "the replaced histogram's final counts");
    for (Image image : images) {
      image.send(3);
    }
    images.forEach(image -> image.awaitExact("COUNTING"));
    assertEquals(
        List.of(running.get(1).pid(), running.get(2).pid()),
        List.of(worker(second.histId).pid(), worker(third.histId).pid()),
        "the other two kept their workers");

    // Stop the second by its id: it ends with its exact sum and never changes again.
    String stop = "nicos-" + UUID.randomUUID();
    command(
        stop,
        "\"cmd\": \"stop\", \"hist_id\": \"%s\", \"id\": \"%s\""
            .formatted(second.histId, second.histId));
    assertAck(stop);
    PublishedHistogram secondEnd = second.awaitExact("FINISHED");
    int secondMessages = outputs.all(second.histId).size();
    assertEquals(
        Set.of(first.histId, third.histId),
        service.controller.workers().stream()
            .map(WorkerInfo::histogramId)
            .collect(Collectors.toSet()));
    for (Image image : images) {
      image.send(3);
    }
    first.awaitExact("COUNTING");
    third.awaitExact("COUNTING");
    List<PublishedHistogram> secondAll = outputs.all(second.histId);
    assertEquals(secondMessages, secondAll.size(), "nothing published after FINISHED");
    assertArrayEquals(secondEnd.counts(), secondAll.get(secondAll.size() - 1).counts());

    // NICOS's reset of the rest: "all" stops every histogram.
    command("all", "\"cmd\": \"stop\", \"hist_id\": \"all\", \"id\": \"all\"");
    assertAck("all");
    first.awaitExact("FINISHED");
    third.awaitExact("FINISHED");
    assertEquals(List.of(), service.controller.workers());
    assertNumEventsIsSum(outputs);
  }

  @Test
  void aKilledWorkerOfOneOfThreeAddedHistogramsResumesExactlyAndTheOthersNeverNotice(
      EmbeddedKafka kafka) throws Exception {
    start(kafka, ConfigMode.ADD);
    List<Image> images =
        List.of(
            new Image("first", 27_101), new Image("second", 27_102), new Image("third", 27_103));
    for (Image image : images) {
      assertAck(image.configure());
    }
    List<WorkerInfo> before = awaitRunning(3);
    Image victim = images.get(1);
    AtomicBoolean producing = new AtomicBoolean(true);
    Thread producer =
        new Thread(
            () -> {
              while (producing.get()) {
                images.forEach(image -> image.send(1));
                // Pace the flow: events keep coming during the kill and the restart.
                LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
              }
            },
            "event-producer");
    producer.start();
    try {
      WorkerInfo doomed =
          Eventually.get(
              "the victim counting",
              ServiceHarness.PATIENCE,
              () -> Optional.of(worker(victim.histId)).filter(w -> w.statistics().getSum() > 0));
      ProcessHandle process = ProcessHandle.of(doomed.pid()).orElseThrow();
      process.destroyForcibly();
      process.onExit().get();
      Eventually.await(
          "the victim counting in a new worker",
          ServiceHarness.PATIENCE,
          () -> {
            WorkerInfo now = worker(victim.histId);
            return now.pid() != -1
                && now.pid() != doomed.pid()
                && now.state() == HistogramState.COUNTING
                && now.statistics().getSum() > doomed.statistics().getSum();
          });
    } finally {
      producing.set(false);
      producer.join();
    }
    images.forEach(image -> image.awaitExact("COUNTING"));
    assertEquals(1, worker(victim.histId).restarts());
    for (int i : new int[] {0, 2}) {
      WorkerInfo witness = worker(images.get(i).histId);
      assertEquals(0, witness.restarts());
      assertEquals(before.get(i).pid(), witness.pid());
    }
    command("all", "\"cmd\": \"stop\"");
    assertAck("all");
    images.forEach(image -> image.awaitExact("FINISHED"));
    assertNumEventsIsSum(outputs);
  }

  @Test
  void replaceModeStopsOneByIdAndANewConfigStillReplacesAll(EmbeddedKafka kafka) {
    start(kafka, ConfigMode.REPLACE);
    Image a = new Image("a", 27_201);
    Image b = new Image("b", 27_202);
    a.histId = "a";
    b.histId = "b";
    String broker = kafka.bootstrapServers();
    command(
        "both",
        "\"cmd\": \"config\", \"histograms\": [%s, %s]"
            .formatted(
                SINQ_HISTOGRAM.formatted(broker, a.topic, out, "a"),
                SINQ_HISTOGRAM.formatted(broker, b.topic, out, "b")));
    assertAck("both");
    awaitRunning(2);
    a.send(3);
    b.send(3);
    a.awaitExact("COUNTING");
    b.awaitExact("COUNTING");

    command("stop-a", "\"cmd\": \"stop\", \"hist_id\": \"a\"");
    assertAck("stop-a");
    a.awaitExact("FINISHED");
    assertEquals(
        List.of("b"), service.controller.workers().stream().map(WorkerInfo::histogramId).toList());
    b.send(3);
    b.awaitExact("COUNTING");

    Image c = new Image("c", 27_203);
    c.histId = "c";
    command(
        "next",
        "\"cmd\": \"config\", \"histograms\": [%s]"
            .formatted(SINQ_HISTOGRAM.formatted(broker, c.topic, out, "c")));
    assertAck("next");
    b.awaitExact("FINISHED");
    awaitRunning(1);
    assertEquals("c", service.controller.workers().get(0).histogramId());
    c.send(2);
    c.awaitExact("COUNTING");
    assertNumEventsIsSum(outputs);
  }

  /** Every histogram published carries its own sum, equal to the sum of its counts. */
  private static void assertNumEventsIsSum(PublishedHistograms outputs) {
    List<PublishedHistogram> everything = outputs.seen();
    assertTrue(!everything.isEmpty());
    for (PublishedHistogram published : everything) {
      long dataSum = 0;
      for (long count : published.counts()) {
        dataSum += count;
      }
      assertEquals(dataSum, published.sum(), published.info().toString());
      assertTrue(published.info().has("num events"), published.info().toString());
      assertEquals(published.sum(), published.info().path("num events").asLong(), "num events");
    }
  }
}
