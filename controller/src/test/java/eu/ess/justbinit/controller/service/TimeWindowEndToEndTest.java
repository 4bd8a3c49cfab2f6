package eu.ess.justbinit.controller.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import eu.ess.justbinit.controller.supervisor.WorkerInfo;
import eu.ess.justbinit.testkit.EmbeddedKafka;
import eu.ess.justbinit.testkit.Eventually;
import eu.ess.justbinit.testkit.KafkaBrokerExtension;
import eu.ess.justbinit.testkit.ProcessLevel;
import eu.ess.justbinit.testkit.PublishedHistogram;
import eu.ess.justbinit.testkit.PublishedHistograms;
import eu.ess.justbinit.wire.rpc.HistogramState;
import eu.ess.justbinit.wire.rpc.WorkerContract;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Time windows over several partitions, through the controller with real worker JVMs against the
 * real broker: a message after stop ends only its own partition, also for a worker the controller
 * replaced from its checkpoint and for an interval.
 */
@ExtendWith(KafkaBrokerExtension.class)
@ProcessLevel
class TimeWindowEndToEndTest {
  private static final long MINUTE = 60_000;

  @Test
  void aWorkerKilledWithAPartitionEndedIsReplacedAndTheWindowEndsWithEveryEvent(EmbeddedKafka kafka)
      throws Exception {
    try (ServiceHarness service =
        new ServiceHarness(kafka, UnaryOperator.identity(), WorkerContract.MAIN_CLASS, true)) {
      service.awaitListening();
      String data = service.prefix + "data";
      String out = service.prefix + "out";
      kafka.createTopic(data, 2);
      kafka.createTopic(out, 1);
      long now = System.currentTimeMillis();
      long start = now - 10 * MINUTE;
      // Ahead of the clock: the busy partition ends by its own message after stop, whenever the
      // replacement gets there.
      long stop = now + 10 * MINUTE;
      KnownEvents inside = new KnownEvents(26);
      KnownEvents outside = new KnownEvents(62);
      // The quiet partition: three messages inside the window, one after stop.
      for (int i = 1; i <= 3; i++) {
        service.send(data, 0, inside.next(50), start + i * MINUTE);
      }
      service.send(data, 0, outside.next(50), stop + 1);
      // The first part of the busy partition.
      for (int i = 0; i < 8; i++) {
        service.send(data, 1, inside.next(20_000), start + 10_000 + i);
      }
      PublishedHistograms published =
          service.configureWith(
              out,
              "\"start\": %d, \"stop\": %d, ".formatted(start, stop),
              KnownEvents.HIST1D.formatted(kafka.bootstrapServers(), data, out, "window"));
      long firstPart = inside.expectedSum();
      WorkerInfo victim =
          Eventually.get(
              "the first part counted",
              ServiceHarness.PATIENCE,
              () -> {
                WorkerInfo info = service.controller.workers().get(0);
                return info.statistics().getSum() == firstPart
                    ? Optional.of(info)
                    : Optional.empty();
              });
      assertEquals(HistogramState.COUNTING, victim.state(), "the busy partition is still open");
      ProcessHandle process = ProcessHandle.of(victim.pid()).orElseThrow();
      process.destroyForcibly();
      process.onExit().get();

      // A late message inside the window on the partition that had ended: not counted, as by a
      // worker never interrupted. Then the rest of the busy partition and its end.
      service.send(data, 0, outside.next(50), start + 4 * MINUTE);
      for (int i = 8; i < 16; i++) {
        service.send(data, 1, inside.next(20_000), start + 10_000 + i);
      }
      service.send(data, 1, outside.next(50), stop + 1);

      PublishedHistogram finished =
          published.await("window", "FINISHED", h -> h.state().equals("FINISHED"));
      assertArrayEquals(inside.expected(), finished.counts(), "bin for bin");
      assertEquals(inside.expectedSum(), finished.info().path("sum").asLong());
      assertEquals(1, service.controller.workers().get(0).restarts());
    }
  }

  @Test
  void anIntervalEndsWhenEveryPartitionHasEnded(EmbeddedKafka kafka) throws Exception {
    try (ServiceHarness service =
        new ServiceHarness(kafka, UnaryOperator.identity(), WorkerContract.MAIN_CLASS, true)) {
      service.awaitListening();
      String data = service.prefix + "data";
      String out = service.prefix + "out";
      kafka.createTopic(data, 3);
      kafka.createTopic(out, 1);
      // A spare runs the histogram at once: the interval is not spent starting a JVM.
      Eventually.await(
          "a spare ready", ServiceHarness.PATIENCE, () -> !service.controller.spares().isEmpty());
      PublishedHistograms published =
          service.configureWith(
              out,
              "\"interval\": 10, ",
              KnownEvents.HIST1D.formatted(kafka.bootstrapServers(), data, out, "interval"));
      // The interval began when the config was accepted, before its ACK: now lies inside it.
      long inWindow = System.currentTimeMillis();
      KnownEvents inside = new KnownEvents(26);
      KnownEvents outside = new KnownEvents(62);
      // Partition 2's first message is already after stop: it ends partition 2 only.
      service.send(data, 2, outside.next(100), inWindow + MINUTE);
      service.send(data, 0, inside.next(100), inWindow);
      long first = inside.expectedSum();
      // Partition 0's message was read, and partition 2's, produced before it, with or before it.
      published.await("interval", "partition 0 counted", h -> h.sum() == first);
      service.send(data, 1, inside.next(200), inWindow);

      PublishedHistogram finished =
          published.await("interval", "FINISHED", h -> h.state().equals("FINISHED"));
      assertArrayEquals(inside.expected(), finished.counts(), "bin for bin");
    }
  }
}
