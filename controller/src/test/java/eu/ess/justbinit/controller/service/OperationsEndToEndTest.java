package eu.ess.justbinit.controller.service;

import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.ess.justbinit.controller.status.GraphiteListener;
import eu.ess.justbinit.testkit.EmbeddedKafka;
import eu.ess.justbinit.testkit.Eventually;
import eu.ess.justbinit.testkit.KafkaBrokerExtension;
import eu.ess.justbinit.testkit.ProcessLevel;
import eu.ess.justbinit.testkit.PublishedHistograms;
import eu.ess.justbinit.testkit.TopicReader;
import eu.ess.justbinit.wire.rpc.WorkerContract;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** What an operator sets up around the service: Graphite, a config file, simulation mode. */
@ExtendWith(KafkaBrokerExtension.class)
@ProcessLevel
class OperationsEndToEndTest {

  @Test
  void graphiteGetsEachRunningHistogramsSumAndDiff(EmbeddedKafka kafka) throws IOException {
    try (GraphiteListener graphite = new GraphiteListener(0);
        ServiceHarness service =
            new ServiceHarness(
                kafka,
                ServiceHarness.graphite(
                    new ControllerSettings.GraphiteSettings(
                        "127.0.0.1", graphite.port(), "ops", "hist")),
                WorkerContract.MAIN_CLASS,
                true)) {
      service.awaitListening();
      String data = service.prefix + "data";
      String out = service.prefix + "out";
      service.createTopics(1, data, out);
      String broker = kafka.bootstrapServers();
      PublishedHistograms published =
          service.configure(
              out,
              KnownEvents.HIST1D.formatted(broker, data, out, "first"),
              KnownEvents.HIST1D.formatted(broker, data, out, "second"));
      KnownEvents events = new KnownEvents(8);
      // One message: its events arrive between two publishes, so diff is the whole sum.
      service.send(data, events.next(3000), null);
      long sum = events.expectedSum();
      published.await("first", "every event", h -> h.sum() == sum);
      published.await("second", "every event", h -> h.sum() == sum);

      // The pulse time is 1 ms after the epoch: 0 s. A publish that adds nothing repeats the
      // previous diff, as the original's does.
      List<String> settled =
          List.of(
              "ops.hist0-0-sum " + sum + " 0",
              "ops.hist0-0-diff " + sum + " 0",
              "ops.hist1-0-sum " + sum + " 0",
              "ops.hist1-0-diff " + sum + " 0");
      try {
        Eventually.await(
            "Graphite lines " + settled,
            ServiceHarness.PATIENCE,
            () -> graphite.received(0).orElseThrow().containsAll(settled));
      } catch (AssertionError e) {
        List<String> lines = graphite.received(0).orElseThrow();
        throw new AssertionError(
            e.getMessage()
                + "; the last received: "
                + lines.subList(Math.max(0, lines.size() - 8), lines.size()),
            e);
      }
    }
  }

  @Test
  void aSimulatedHistogramOfEachTypeFillsWithOptionsFromAConfigFile(
      EmbeddedKafka kafka, @TempDir Path dir) throws Exception {
    // The harness only provides topics and clients here: its in-process controller idles.
    try (ServiceHarness topics =
        new ServiceHarness(kafka, UnaryOperator.identity(), WorkerContract.MAIN_CLASS, true)) {
      String commands = topics.commandTopic + "-jvm";
      String out = topics.prefix + "out";
      topics.createTopics(1, commands, out);
      Path options = dir.resolve("jbi.conf");
      Files.writeString(
          options,
          """
          # as an operator writes it
          brokers = %s
          config-topic: %s
          response-topic = %s
          simulation-mode = true
          publish-interval = 200
          """
              .formatted(kafka.bootstrapServers(), commands, topics.responseTopic));
      Path log = dir.resolve("controller.log");
      Process controller =
          ServiceHarness.controllerJvm(
              log,
              List.of(
                  "-c",
                  options.toString(),
                  "-l",
                  "2",
                  "--worker-jvm-options",
                  "-Xmx128m -XX:TieredStopAtLevel=1"));
      try {
        ServiceHarness.awaitListening(log);
        String nowhere = topics.prefix + "no-such-topic";
        String brokers =
            "\"data_brokers\": [\"127.0.0.1:1\"], \"data_topics\": [\"" + nowhere + "\"]";
        String config =
            """
            {"cmd": "config", "msg_id": "sim", "histograms": [
              {"type": "hist1d", %1$s, "tof_range": [0, 100000000], "num_bins": 50,
               "topic": "%2$s", "id": "sim1d"},
              {"type": "hist2d", %1$s, "tof_range": [0, 100000000], "det_range": [1, 100],
               "num_bins": [20, 10], "topic": "%2$s", "id": "sim2d"},
              {"type": "dethist", %1$s, "det_range": [1, 100], "width": 10, "height": 10,
               "topic": "%2$s", "id": "simdet"},
              {"type": "roihist", %1$s, "left_edges": [1, 11, 21], "width": 10,
               "topic": "%2$s", "id": "simroi"}]}"""
                .formatted(brokers, out);
        TopicReader responses = topics.reader(topics.responseTopic);
        topics.command(commands, config);
        String response =
            ServiceHarness.text(
                responses.await("the response", r -> ServiceHarness.text(r).contains("sim")));
        assertTrue(response.contains("ACK"), response);
        PublishedHistograms published = topics.histograms(out);
        for (String id : List.of("sim1d", "sim2d", "simdet", "simroi")) {
          published.await(id, "filling", h -> h.sum() > 0 && h.state().equals("COUNTING"));
        }
        controller.destroy();
        assertTrue(controller.waitFor(30, TimeUnit.SECONDS), Files.readString(log));
      } finally {
        controller.descendants().forEach(ProcessHandle::destroyForcibly);
        controller.destroyForcibly();
      }
    }
  }
}
