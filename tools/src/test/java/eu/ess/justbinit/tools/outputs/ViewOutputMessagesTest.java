package eu.ess.justbinit.tools.outputs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.ess.justbinit.testkit.EmbeddedKafka;
import eu.ess.justbinit.testkit.Eventually;
import eu.ess.justbinit.testkit.KafkaBrokerExtension;
import eu.ess.justbinit.testkit.ProcessLevel;
import eu.ess.justbinit.tools.cli.ToolCommandLine;
import eu.ess.justbinit.tools.kafka.TopicRecords;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaBrokerExtension.class)
@ProcessLevel
class ViewOutputMessagesTest {
  @Test
  void printsEachHistogramWithItsPlaceAndInfo(EmbeddedKafka kafka) throws InterruptedException {
    kafka.createTopic("view-output", 1);
    TopicRecords.write(kafka, "view-output", "old".getBytes(StandardCharsets.UTF_8));
    TopicRecords.write(
        kafka,
        "view-output",
        TestHistograms.oneD(TestHistograms.info("h1", "COUNTING", 6), 1, 2, 3));
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    ViewOutputMessages viewer =
        new ViewOutputMessages(new PrintStream(output, true, StandardCharsets.UTF_8));
    AtomicInteger status = new AtomicInteger(-1);
    Thread running =
        new Thread(
            () ->
                status.set(
                    ToolCommandLine.of(viewer)
                        .execute("-b", kafka.bootstrapServers(), "-t", "view-output")));
    running.start();
    try {
      awaitLines(output, 1);
      // Followed: a message published later is printed too.
      TopicRecords.write(
          kafka,
          "view-output",
          TestHistograms.twoD(TestHistograms.info("h2", "FINISHED", 4), 2, 2, 0, 1, 1, 2),
          "not a histogram".getBytes(StandardCharsets.UTF_8));
      awaitLines(output, 3);
    } finally {
      viewer.stop();
      running.join();
    }

    assertEquals(0, status.get());
    List<String> lines = output.toString(StandardCharsets.UTF_8).lines().toList();
    // The first message of the topic is not shown: viewing starts at the last one, as the original.
    assertEquals(3, lines.size(), lines.toString());
    assertTrue(
        lines
            .get(0)
            .matches(
                "\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z view-output:0:1 hs01 id=h1 state=COUNTING"
                    + " shape=\\[3\\] total=6 sum=6 rate=12.5 start=1700000000000"),
        lines.get(0));
    assertTrue(
        lines
            .get(1)
            .endsWith(
                "view-output:0:2 hs01 id=h2 state=FINISHED shape=[2, 2] total=4"
                    + " sum=4 rate=12.5 start=1700000000000"),
        lines.get(1));
    assertTrue(lines.get(2).contains("view-output:0:3 not a histogram: "), lines.get(2));
  }

  private static void awaitLines(ByteArrayOutputStream output, int count) {
    Eventually.await(
        () -> count + " lines of output: " + output,
        Duration.ofSeconds(30),
        () -> output.toString(StandardCharsets.UTF_8).lines().count() >= count);
  }
}
