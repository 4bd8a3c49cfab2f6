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
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Self-healing against the real broker with real worker JVMs: a worker killed with -9 while events
 * flow is restarted from its last checkpoint, and its histogram ends exactly where an uninterrupted
 * one does.
 */
@ExtendWith(KafkaBrokerExtension.class)
@ProcessLevel
class KilledWorkerTest {
  private static final int KILLS = 5;
  private static final long SEED = 7_000_001L;

  @Test
  void aWorkerKilledFiveTimesWhileEventsFlowEndsWithExactlyTheEventsProduced(EmbeddedKafka kafka)
      throws Exception {
    try (ServiceHarness service =
        new ServiceHarness(kafka, UnaryOperator.identity(), WorkerContract.MAIN_CLASS, true)) {
      service.awaitListening();
      String data = service.prefix + "data";
      String out = service.prefix + "out";
      kafka.createTopic(data, 2);
      kafka.createTopic(out, 1);
      String broker = kafka.bootstrapServers();
      PublishedHistograms published =
          service.configure(
              out,
              KnownEvents.HIST1D.formatted(broker, data, out, "victim"),
              KnownEvents.HIST1D.formatted(broker, data, out, "witness"));
      KnownEvents events = new KnownEvents(SEED);
      AtomicBoolean producing = new AtomicBoolean(true);
      Thread producer =
          new Thread(
              () -> {
                for (int i = 0; producing.get(); i++) {
                  service.send(data, i % 2, events.next(200 + i % 300), null);
                  // Pace the flow: events keep coming during every kill and restart.
                  LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
                }
              },
              "event-producer");
      producer.start();
      try {
        long sumAtKill = -1;
        long killedPid = -1;
        for (int kill = 1; kill <= KILLS; kill++) {
          killedPid = awaitCountingPast(service, killedPid, sumAtKill).pid();
          ProcessHandle process = ProcessHandle.of(killedPid).orElseThrow();
          process.destroyForcibly();
          process.onExit().get();
          sumAtKill = awaitReplaced(service, killedPid).statistics().getSum();
        }
        WorkerInfo healed = awaitCountingPast(service, killedPid, sumAtKill);
        assertEquals(KILLS, healed.restarts());
        assertEquals(0, service.controller.workers().get(1).restarts());
      } finally {
        producing.set(false);
        producer.join();
      }

      long sum = events.expectedSum();
      for (String id : new String[] {"victim", "witness"}) {
        PublishedHistogram last =
            published.await(id, "all " + sum + " events counted", h -> h.sum() >= sum);
        assertArrayEquals(events.expected(), last.counts(), id);
        assertEquals(sum, last.info().path("sum").asLong(), id);
        assertEquals("COUNTING", last.state(), id);
      }

      service.command("{\"cmd\": \"stop\", \"msg_id\": \"stop\"}");
      PublishedHistogram finished =
          published.await("victim", "FINISHED", h -> h.state().equals("FINISHED"));
      assertArrayEquals(events.expected(), finished.counts());
    }
  }

  /** The victim once a worker other than {@code killedPid} was started for it. */
  private static WorkerInfo awaitReplaced(ServiceHarness service, long killedPid) {
    return Eventually.get(
        "a victim worker other than " + killedPid,
        ServiceHarness.PATIENCE,
        () -> {
          WorkerInfo victim = service.controller.workers().get(0);
          return victim.pid() != -1 && victim.pid() != killedPid
              ? Optional.of(victim)
              : Optional.empty();
        });
  }

  /**
   * The victim's worker, once it is not {@code killedPid} and has counted past {@code sumAtKill}: a
   * worker that reported, so that killing it is a crash and not a failed start.
   */
  private static WorkerInfo awaitCountingPast(
      ServiceHarness service, long killedPid, long sumAtKill) {
    return Eventually.get(
        "a victim worker other than " + killedPid + " counting past " + sumAtKill,
        ServiceHarness.PATIENCE,
        () -> {
          WorkerInfo victim = service.controller.workers().get(0);
          return victim.pid() != -1
                  && victim.pid() != killedPid
                  && victim.state() == HistogramState.COUNTING
                  && victim.statistics().getSum() > sumAtKill
              ? Optional.of(victim)
              : Optional.empty();
        });
  }
}
