package eu.ess.justbinit.controller.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import eu.ess.justbinit.controller.supervisor.FakeWorker;
import eu.ess.justbinit.controller.supervisor.WorkerInfo;
import eu.ess.justbinit.testkit.EmbeddedKafka;
import eu.ess.justbinit.testkit.Eventually;
import eu.ess.justbinit.testkit.KafkaBrokerExtension;
import eu.ess.justbinit.testkit.ProcessLevel;
import eu.ess.justbinit.testkit.TopicReader;
import eu.ess.justbinit.wire.codec.CodecException;
import eu.ess.justbinit.wire.codec.HistogramDecoder;
import eu.ess.justbinit.wire.codec.HistogramMessage;
import eu.ess.justbinit.wire.codec.StatusCodec;
import eu.ess.justbinit.wire.rpc.HistogramState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The command protocol of the running controller, with stand-in workers ({@link FakeWorker}: what
 * they histogram does not matter here) against the real broker.
 */
@ExtendWith(KafkaBrokerExtension.class)
@ProcessLevel
class ControllerCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private ServiceHarness service;
  private String data;
  private TopicReader responses;

  @AfterEach
  void stopService() {
    if (service != null) {
      service.close();
    }
  }

  /** Starts a controller with stand-in workers, a data topic and a reader of its responses. */
  private void start(EmbeddedKafka kafka) {
    service = new ServiceHarness(kafka, UnaryOperator.identity(), FakeWorker.class.getName(), true);
    service.awaitListening();
    data = service.prefix + "data";
    service.createTopics(1, data);
    responses = service.reader(service.responseTopic);
  }

  private String config(String msgId, String dataTopic, String... ids) {
    String histograms =
        java.util.Arrays.stream(ids)
            .map(
                id ->
                    """
                    {"type": "hist1d", "data_brokers": ["%s"], "data_topics": ["%s"],
                     "tof_range": [0, 100], "num_bins": 10, "topic": "%s", "id": "%s"}"""
                        .formatted(
                            service.kafka.bootstrapServers(),
                            dataTopic,
                            service.prefix + "out",
                            id))
            .collect(Collectors.joining(", "));
    return """
        {"cmd": "config", "msg_id": "%s", "histograms": [%s]}"""
        .formatted(msgId, histograms);
  }

  private static JsonNode json(ConsumerRecord<byte[], byte[]> record) {
    try {
      return JSON.readTree(record.value());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private JsonNode response(TopicReader responses, String msgId) {
    return json(
        responses.await(
            "the response to " + msgId, r -> json(r).path("msg_id").asText().equals(msgId)));
  }

  private List<WorkerInfo> awaitCounting(int count) {
    return Eventually.get(
        count + " counting workers",
        ServiceHarness.PATIENCE,
        () -> {
          List<WorkerInfo> workers = service.controller.workers();
          return workers.size() == count
                  && workers.stream().allMatch(w -> w.state() == HistogramState.COUNTING)
              ? java.util.Optional.of(workers)
              : java.util.Optional.empty();
        });
  }

  @Test
  void aConfigIsAcknowledgedAndReplacedByTheNextAndARefusedOneChangesNothing(EmbeddedKafka kafka) {
    start(kafka);
    service.createTopics(1, service.prefix + "out");

    service.command(config("first", data, "steady", "steady-2"));
    assertEquals("ACK", response(responses, "first").path("response").asText());
    List<WorkerInfo> first = awaitCounting(2);

    service.command(config("second", data, "steady"));
    assertEquals("ACK", response(responses, "second").path("response").asText());
    List<WorkerInfo> second = awaitCounting(1);
    // The pool keeps one worker whose histogram ended: the later of the first config's two, which
    // runs the second; the other made room for it and exits.
    List<Long> firstPids = first.stream().map(WorkerInfo::pid).toList();
    assertTrue(firstPids.contains(second.get(0).pid()), firstPids + " " + second);
    for (WorkerInfo old : first) {
      if (old.pid() != second.get(0).pid()) {
        Eventually.await(
            "worker " + old.pid() + " gone",
            ServiceHarness.PATIENCE,
            () -> !ProcessHandle.of(old.pid()).map(ProcessHandle::isAlive).orElse(false));
      }
    }

    service.command(config("third", service.prefix + "missing", "steady"));
    JsonNode refused = response(responses, "third");
    assertEquals("ERR", refused.path("response").asText());
    assertTrue(
        refused.path("message").asText().contains(service.prefix + "missing"), refused.toString());
    assertEquals(
        second.stream().map(WorkerInfo::pid).toList(),
        service.controller.workers().stream().map(WorkerInfo::pid).toList(),
        "a refused config leaves the running histograms alone");
  }

  @Test
  void unknownOrMalformedCommandsGetOneErrWithAReasonAndNoMsgIdGetsNothing(EmbeddedKafka kafka) {
    start(kafka);

    service.command("{\"cmd\": \"not a valid command\", \"msg_id\": \"unknown\"}");
    service.command("{\"cmd\": \"frobnicate\"}");
    service.command("{\"cmd\": \"stop\", \"msg_id\": \"after\"}");

    JsonNode unknown = response(responses, "unknown");
    assertEquals("ERR", unknown.path("response").asText());
    assertFalse(unknown.path("message").asText().isEmpty());
    assertEquals("ACK", response(responses, "after").path("response").asText());
    assertEquals(2, responses.poll().size(), "the command without msg_id got no response");
  }

  @Test
  void ofSeveralConfigsThatArriveTogetherTheLatestWins(EmbeddedKafka kafka) {
    start(kafka);

    service.commands(
        config("a", data, "steady"),
        config("b", data, "steady", "steady-2"),
        config("c", data, "steady", "steady-2", "steady-3"));

    assertEquals("ACK", response(responses, "c").path("response").asText());
    awaitCounting(3);
    // In one batch the earlier two are superseded (ERR); read one by one, they ran (ACK).
    for (String earlier : List.of("a", "b")) {
      JsonNode answer = response(responses, earlier);
      assertTrue(
          answer.path("response").asText().equals("ACK")
              || answer.path("message").asText().startsWith("Superseded"),
          answer.toString());
    }
    assertEquals(3, responses.poll().size(), "each msg_id answered exactly once");
  }

  @Test
  void stopAndResetReachTheWorkers(EmbeddedKafka kafka) {
    start(kafka);
    service.command(config("go", data, "steady"));
    WorkerInfo running = awaitCounting(1).get(0);
    assertEquals(7, running.statistics().getSum());

    service.command("{\"cmd\": \"reset_counts\", \"msg_id\": \"reset\"}");
    assertEquals("ACK", response(responses, "reset").path("response").asText());
    Eventually.await(
        "counts reset",
        ServiceHarness.PATIENCE,
        () -> service.controller.workers().get(0).statistics().getSum() == 0);

    service.command("{\"cmd\": \"stop\", \"msg_id\": \"stop\"}");
    assertEquals("ACK", response(responses, "stop").path("response").asText());
    assertEquals(List.of(), service.controller.workers());
    Eventually.await(
        "the stopped worker, a spare again",
        ServiceHarness.PATIENCE,
        () -> service.controller.spares().contains(running.pid()));
  }

  @Test
  void waitsForTheCommandTopicAndStopsItsWorkersWhenShutDown(EmbeddedKafka kafka) {
    service =
        new ServiceHarness(kafka, UnaryOperator.identity(), FakeWorker.class.getName(), false);
    String data = service.prefix + "data";
    service.createTopics(1, data);
    assertFalse(service.controller.listening());

    service.createTopics(1, service.commandTopic);
    service.awaitListening();
    TopicReader responses = service.reader(service.responseTopic);
    service.command(config("late", data, "steady"));
    assertEquals("ACK", response(responses, "late").path("response").asText());
    WorkerInfo running = awaitCounting(1).get(0);

    assertEquals(0, service.stop());
    assertFalse(ProcessHandle.of(running.pid()).map(ProcessHandle::isAlive).orElse(false));
  }

  @Test
  void aHistogramWhoseWorkerNeverStartsIsPublishedInErrorWithTheReason(EmbeddedKafka kafka)
      throws Exception {
    start(kafka);
    service.createTopics(1, service.prefix + "out");
    TopicReader output = service.reader(service.prefix + "out");
    TopicReader heartbeats = service.reader(service.heartbeatTopic);

    service.command(config("doomed", data, "never-starts", "steady"));

    HistogramMessage error =
        decode(
            output.await(
                "the ERROR histogram", record -> decode(record).info().contains("\"ERROR\"")));
    JsonNode info = JSON.readTree(error.info());
    assertEquals("never-starts", info.path("id").asText());
    String reason = info.path("error_message").asText();
    assertTrue(reason.contains("exit code 2"), reason);
    assertTrue(reason.contains("fake worker: cannot start"), reason);
    assertEquals(0, error.data().length());
    WorkerInfo other = service.controller.workers().get(1);
    assertEquals(HistogramState.COUNTING, other.state());
    assertEquals(0, other.restarts());
    heartbeats.await(
        "a heartbeat that tells the ERROR",
        record -> {
          try {
            return StatusCodec.decode(ByteBuffer.wrap(record.value()))
                .statusJson()
                .contains("{\"id\":\"never-starts\",\"state\":\"ERROR\"}");
          } catch (CodecException e) {
            throw new AssertionError(e);
          }
        });
  }

  private static HistogramMessage decode(ConsumerRecord<byte[], byte[]> record) {
    try {
      return new HistogramDecoder().decode(ByteBuffer.wrap(record.value()));
    } catch (CodecException e) {
      throw new AssertionError(e);
    }
  }
}
