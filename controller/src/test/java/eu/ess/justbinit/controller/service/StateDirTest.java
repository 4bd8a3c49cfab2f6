package eu.ess.justbinit.controller.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.ess.justbinit.controller.state.HistogramStateStore;
import eu.ess.justbinit.controller.supervisor.WorkerInfo;
import eu.ess.justbinit.testkit.EmbeddedKafka;
import eu.ess.justbinit.testkit.Eventually;
import eu.ess.justbinit.testkit.KafkaBrokerExtension;
import eu.ess.justbinit.testkit.ProcessLevel;
import eu.ess.justbinit.testkit.PublishedHistogram;
import eu.ess.justbinit.testkit.PublishedHistograms;
import eu.ess.justbinit.testkit.TopicReader;
import eu.ess.justbinit.wire.codec.CodecException;
import eu.ess.justbinit.wire.codec.HistogramDecoder;
import eu.ess.justbinit.wire.rpc.Checkpoint;
import eu.ess.justbinit.wire.rpc.EventSchema;
import eu.ess.justbinit.wire.rpc.HistogramSchema;
import eu.ess.justbinit.wire.rpc.HistogramSpec;
import eu.ess.justbinit.wire.rpc.HistogramState;
import eu.ess.justbinit.wire.rpc.HistogramType;
import eu.ess.justbinit.wire.rpc.PartitionOffset;
import eu.ess.justbinit.wire.rpc.Range;
import eu.ess.justbinit.wire.rpc.Statistics;
import eu.ess.justbinit.wire.rpc.WorkerContract;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Histograms that survive the controller (--state-dir), against the real broker with real worker
 * JVMs: a controller JVM killed with -9 while events flow is started again and its histogram ends
 * exactly where an uninterrupted one would; one that had finished is not resumed; damaged files and
 * data that retention deleted do not stop the start.
 */
@ExtendWith(KafkaBrokerExtension.class)
@ProcessLevel
class StateDirTest {
  private static final long SEED = 22_000_004L;

  private ServiceHarness service;
  private Process controllerProcess;

  @AfterEach
  void cleanUp() {
    if (controllerProcess != null) {
      controllerProcess.descendants().forEach(ProcessHandle::destroyForcibly);
      controllerProcess.destroyForcibly();
    }
    if (service != null) {
      service.close();
    }
  }

  private Process startControllerJvm(Path log, Path stateDir) throws IOException {
    return ServiceHarness.controllerJvm(
        log,
        List.of(
            "-b",
            service.kafka.bootstrapServers(),
            "-t",
            service.commandTopic + "-jvm",
            "-rt",
            service.responseTopic,
            "-l",
            "2",
            "--publish-interval",
            "200",
            "--state-dir",
            stateDir.toString(),
            "--worker-jvm-options",
            "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"));
  }

  private static List<Path> stateFiles(Path stateDir) throws IOException {
    try (Stream<Path> files = Files.list(stateDir)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".pb")).toList();
    }
  }

  private static boolean noStateFiles(Path stateDir) {
    try {
      return stateFiles(stateDir).isEmpty();
    } catch (IOException e) {
      return false;
    }
  }

  @Test
  void aHistogramRunningWhenTheControllerWasKilledResumesExactAndAFinishedOneDoesNot(
      EmbeddedKafka kafka, @TempDir Path logs, @TempDir Path stateDir) throws Exception {
    // The harness provides topics and clients: its in-process controller idles.
    service = new ServiceHarness(kafka, UnaryOperator.identity(), WorkerContract.MAIN_CLASS, true);
    String commands = service.commandTopic + "-jvm";
    String data = service.prefix + "data";
    String out = service.prefix + "out";
    service.createTopics(1, commands, out);
    service.createTopics(2, data);
    String broker = kafka.bootstrapServers();
    TopicReader responses = service.reader(service.responseTopic);
    PublishedHistograms published = service.histograms(out);

    Path firstLog = logs.resolve("first.log");
    controllerProcess = startControllerJvm(firstLog, stateDir);
    ServiceHarness.awaitListening(firstLog);
    long now = System.currentTimeMillis();
    service.command(
        commands,
        """
        {"cmd": "config", "msg_id": "done", "output_schema": "hs01", "start": %d, "stop": %d,
         "histograms": [%s]}"""
            .formatted(
                now - 60_000,
                now - 10_000,
                KnownEvents.HIST1D.formatted(broker, data, out, "done")));
    responses.await("the ACK of done", r -> ServiceHarness.text(r).contains("\"done\""));
    published.await("done", "FINISHED", h -> h.state().equals("FINISHED"));
    Eventually.await(
        "the finished histogram's state file deleted",
        ServiceHarness.PATIENCE,
        () -> noStateFiles(stateDir));

    service.command(
        commands,
        """
        {"cmd": "config", "msg_id": "live", "output_schema": "hs01", "histograms": [%s]}"""
            .formatted(KnownEvents.HIST1D.formatted(broker, data, out, "live")));
    responses.await("the ACK of live", r -> ServiceHarness.text(r).contains("\"live\""));
    assertEquals(1, stateFiles(stateDir).size());

    KnownEvents events = new KnownEvents(SEED);
    AtomicBoolean producing = new AtomicBoolean(true);
    Thread producer =
        new Thread(
            () -> {
              for (int i = 0; producing.get(); i++) {
                service.send(data, i % 2, events.next(100 + i % 200), null);
                // Events keep coming while the controller is down and starts again.
                LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
              }
            },
            "event-producer");
    producer.start();
    Path secondLog = logs.resolve("second.log");
    try {
      published.await("live", "counting", h -> h.sum() > 0);
      // Counts on the disk: more than the spec alone.
      long specOnly = Files.size(stateFiles(stateDir).get(0));
      Eventually.await(
          "a checkpoint on the disk",
          ServiceHarness.PATIENCE,
          () -> {
            try {
              return Files.size(stateFiles(stateDir).get(0)) > specOnly;
            } catch (IOException | IndexOutOfBoundsException e) {
              return false;
            }
          });
      List<ProcessHandle> workers = controllerProcess.descendants().toList();
      controllerProcess.destroyForcibly();
      assertTrue(controllerProcess.waitFor(30, TimeUnit.SECONDS));
      Eventually.await(
          "the killed controller's workers gone",
          ServiceHarness.PATIENCE,
          () -> workers.stream().noneMatch(ProcessHandle::isAlive));

      // Whatever the killed controller's workers published is in the topic before this offset.
      long endAtKill = endOffset(kafka, out);
      TopicReader outputs = service.reader(out);
      controllerProcess = startControllerJvm(secondLog, stateDir);
      long restartedMs = System.currentTimeMillis();
      outputs.await(
          "live published by the new controller",
          r -> r.offset() >= endAtKill && decodedInfo(r).contains("\"live\""));
      System.out.println(
          "StateDirTest: resumed and published within "
              + (System.currentTimeMillis() - restartedMs)
              + " ms of the controller JVM's start");
    } finally {
      producing.set(false);
      producer.join();
    }

    long sum = events.expectedSum();
    PublishedHistogram last =
        published.await("live", "all " + sum + " events", h -> h.sum() >= sum);
    assertArrayEquals(events.expected(), last.counts());
    assertEquals("COUNTING", last.state());
    String log = Files.readString(secondLog);
    assertTrue(log.contains("Resuming 1 histogram(s) from the state directory: ['live']"), log);

    service.command(commands, "{\"cmd\": \"stop\", \"msg_id\": \"stop\"}");
    responses.await("the ACK of stop", r -> ServiceHarness.text(r).contains("\"stop\""));
    Eventually.await(
        "a stopped histogram's state file deleted",
        ServiceHarness.PATIENCE,
        () -> noStateFiles(stateDir));
  }

  @Test
  void theHistogramsOfAControllerThatWasShutDownResumeAtItsNextStart(
      EmbeddedKafka kafka, @TempDir Path stateDir) throws Exception {
    String prefix = "statedir-term" + ProcessHandle.current().pid() + "-";
    String data = prefix + "data";
    String out = prefix + "out";
    kafka.createTopic(data, 1);
    kafka.createTopic(out, 1);
    String broker = kafka.bootstrapServers();
    KnownEvents events = new KnownEvents(SEED + 2);
    UnaryOperator<ControllerSettings> keeping = settings -> settings.withStateDir(stateDir);
    try (ServiceHarness first =
        new ServiceHarness(kafka, keeping, WorkerContract.MAIN_CLASS, true)) {
      first.awaitListening();
      PublishedHistograms published =
          first.configure(out, KnownEvents.HIST1D.formatted(broker, data, out, "kept"));
      for (int i = 0; i < 5; i++) {
        first.send(data, events.next(80), null);
      }
      long sum = events.expectedSum();
      published.await("kept", "all " + sum + " events", h -> h.sum() >= sum);
      // As SIGTERM does: every worker publishes its final histogram, the state stays.
      assertEquals(0, first.stop());
      published.await("kept", "FINISHED", h -> h.state().equals("FINISHED"));
      assertEquals(1, stateFiles(stateDir).size());
      for (int i = 0; i < 5; i++) {
        first.send(data, events.next(80), null);
      }
    }

    service = new ServiceHarness(kafka, keeping, WorkerContract.MAIN_CLASS, true);
    PublishedHistograms published = service.histograms(out);
    long sum = events.expectedSum();
    PublishedHistogram resumed =
        published.await(
            "kept",
            "all " + sum + " events, counting again",
            h -> h.sum() >= sum && h.state().equals("COUNTING"));
    assertArrayEquals(events.expected(), resumed.counts());
  }

  private static long endOffset(EmbeddedKafka kafka, String topic) throws Exception {
    TopicPartition partition = new TopicPartition(topic, 0);
    try (Admin admin = Admin.create(kafka.adminProperties())) {
      return admin
          .listOffsets(Map.of(partition, OffsetSpec.latest()))
          .all()
          .get()
          .get(partition)
          .offset();
    }
  }

  private static String decodedInfo(ConsumerRecord<byte[], byte[]> record) {
    try {
      return new HistogramDecoder().decode(ByteBuffer.wrap(record.value())).info();
    } catch (CodecException e) {
      return "";
    }
  }

  private static HistogramSpec hist1d(String broker, String data, String out, String id) {
    return HistogramSpec.newBuilder()
        .setType(HistogramType.HIST1D)
        .setId(id)
        .setOutputTopic(out)
        .addDataBrokers(broker)
        .addDataTopics(data)
        .setInputSchema(EventSchema.EV44)
        .setOutputSchema(HistogramSchema.HS01)
        .setTofRange(Range.newBuilder().setLow(0).setHigh(1000))
        .setTofBins(10)
        .addStartOffsets(PartitionOffset.newBuilder().setTopic(data).setPartition(0).setOffset(0))
        .build();
  }

  private static Checkpoint checkpoint(long[] counts, String data, long nextOffset) {
    Checkpoint.Builder checkpoint =
        Checkpoint.newBuilder()
            .setState(HistogramState.COUNTING)
            .addNextOffsets(
                PartitionOffset.newBuilder().setTopic(data).setPartition(0).setOffset(nextOffset));
    long sum = 0;
    for (long count : counts) {
      checkpoint.addCounts(count);
      sum += count;
    }
    return checkpoint.setStatistics(Statistics.newBuilder().setSum(sum)).build();
  }

  @Test
  void keptHistogramsResumeFromTheirCheckpointsPastDamagedFilesAndDeletedData(
      EmbeddedKafka kafka, @TempDir Path stateDir) throws Exception {
    String prefix = "statedir" + ProcessHandle.current().pid() + "-";
    String data = prefix + "data";
    String old = prefix + "old";
    String out = prefix + "out";
    kafka.createTopic(data, 1);
    kafka.createTopic(old, 1);
    kafka.createTopic(out, 1);
    String broker = kafka.bootstrapServers();
    KnownEvents events = new KnownEvents(SEED);
    KnownEvents oldEvents = new KnownEvents(SEED + 1);
    long[] counted;
    try (ServiceHarness producer =
        new ServiceHarness(kafka, UnaryOperator.identity(), WorkerContract.MAIN_CLASS, true)) {
      // Six messages counted by the controller that died, four read after the start.
      for (int i = 0; i < 6; i++) {
        producer.send(data, events.next(50), null);
      }
      counted = events.expected();
      for (int i = 0; i < 4; i++) {
        producer.send(data, events.next(50), null);
      }
      for (int i = 0; i < 5; i++) {
        producer.send(old, oldEvents.next(50), null);
      }
      producer.stop();
    }
    try (Admin admin = Admin.create(kafka.adminProperties())) {
      admin
          .deleteRecords(Map.of(new TopicPartition(old, 0), RecordsToDelete.beforeOffset(3)))
          .all()
          .get();
    }
    try (HistogramStateStore store = HistogramStateStore.open(stateDir)) {
      store
          .keep(hist1d(broker, data, out, "resumed"), 0)
          .checkpointed(checkpoint(counted, data, 6));
      store
          .keep(hist1d(broker, old, out, "retention"), 1)
          .checkpointed(checkpoint(new long[10], old, 1));
    }
    Files.write(
        stateDir.resolve("histogram-99.pb"),
        "not a histogram".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    Files.write(stateDir.resolve("histogram-98.pb.partial"), new byte[] {8, 1});

    service =
        new ServiceHarness(
            kafka, settings -> settings.withStateDir(stateDir), WorkerContract.MAIN_CLASS, true);
    service.awaitListening();
    PublishedHistograms published = service.histograms(out);
    long sum = events.expectedSum();
    PublishedHistogram resumed =
        published.await("resumed", "all " + sum + " events", h -> h.sum() >= sum);
    assertArrayEquals(events.expected(), resumed.counts());
    assertEquals("COUNTING", resumed.state());

    PublishedHistogram error =
        published.await("retention", "ERROR", h -> h.state().equals("ERROR"));
    assertTrue(
        error.info().path("error_message").asText().contains("deleted (retention)"),
        error.info().toString());
    WorkerInfo retention =
        Eventually.get(
            "the controller reports retention in ERROR",
            ServiceHarness.PATIENCE,
            () ->
                service.controller.workers().stream()
                    .filter(w -> w.histogramId().equals("retention"))
                    .filter(w -> w.state() == HistogramState.ERROR)
                    .findFirst());
    assertTrue(retention.errorMessage().contains("deleted (retention)"), retention.toString());
    Eventually.await(
        "the ended histogram's state file deleted",
        ServiceHarness.PATIENCE,
        () -> {
          try {
            return stateFiles(stateDir).size() == 1;
          } catch (IOException e) {
            return false;
          }
        });
    assertTrue(Files.exists(stateDir.resolve("histogram-99.pb.corrupt")));
    assertFalse(Files.exists(stateDir.resolve("histogram-98.pb.partial")));
  }
}
