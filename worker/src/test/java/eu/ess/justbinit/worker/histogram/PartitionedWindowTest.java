package eu.ess.justbinit.worker.histogram;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.ess.justbinit.wire.codec.IntVector;
import eu.ess.justbinit.wire.rpc.HistogramState;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The time window over several partitions: a message after stop ends only its own partition, and
 * the histogram holds every event inside the window whichever way the partitions are interleaved.
 */
class PartitionedWindowTest {
  private static final IntVector NONE = IntVector.of();
  private static final long T0 = 1_700_000_000_000L;
  private static final long PULSE0 = T0 * 1_000_000;
  private static final long START = T0 + 1000;
  private static final long STOP = T0 + 9000;

  /** One message: its Kafka timestamp, its pulse time and one event per time of flight. */
  @SuppressWarnings("ArrayRecordComponent") // never modified
  private record Message(long timestampMs, long pulseTimeNs, int[] tofs) {}

  private static Message at(long timestampMs, int... tofs) {
    return new Message(timestampMs, PULSE0 + (timestampMs - T0) * 1_000_000, tofs);
  }

  private static Histogram window() {
    return new Histogram(
        new TofBinning(new RegularAxis("tof_range", 0, 100, 10), null), null, START, STOP);
  }

  /** A quiet partition: three messages inside the window, one after it, one late one inside. */
  private static List<Message> quiet() {
    return List.of(
        at(T0 + 2000, 5),
        at(T0 + 5000, 15),
        at(T0 + 8000, 25),
        at(STOP + 1, 35),
        at(T0 + 3000, 45));
  }

  /** A busy partition: one message before start, forty inside, none after stop. */
  private static List<Message> busy() {
    List<Message> messages = new ArrayList<>();
    messages.add(at(T0, 95));
    for (int i = 0; i < 40; i++) {
      messages.add(at(START + i * 200L, i % 10 * 10, i % 7 * 10 + 1, 99));
    }
    return messages;
  }

  /** The counts the window must hold: per partition, what lies inside it before any after stop. */
  private static long[] expected(List<List<Message>> partitions) {
    long[] counts = new long[10];
    for (List<Message> partition : partitions) {
      for (Message m : partition) {
        if (m.timestampMs() > STOP) {
          break;
        }
        if (m.timestampMs() >= START) {
          for (int tof : m.tofs()) {
            counts[tof / 10]++;
          }
        }
      }
    }
    return counts;
  }

  /** Offers the partitions' messages in the order {@code order} names the partitions. */
  private static void offer(Histogram h, List<List<Message>> partitions, int[] order) {
    int[] next = new int[partitions.size()];
    for (int partition : order) {
      Message m = partitions.get(partition).get(next[partition]++);
      h.offer(partition, "det", m.pulseTimeNs(), IntVector.of(m.tofs()), NONE, m.timestampMs());
    }
  }

  /** Each partition's messages in a row, the partitions in the order given. */
  private static int[] oneAfterAnother(List<List<Message>> partitions, int... partitionOrder) {
    List<Integer> order = new ArrayList<>();
    for (int partition : partitionOrder) {
      for (int i = 0; i < partitions.get(partition).size(); i++) {
        order.add(partition);
      }
    }
    return order.stream().mapToInt(Integer::intValue).toArray();
  }

  /** The busy partition's messages with the quiet partition's in a row from {@code at} on. */
  private static int[] quietFrom(List<List<Message>> partitions, int at) {
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < partitions.get(1).size(); i++) {
      if (i == at) {
        for (int j = 0; j < partitions.get(0).size(); j++) {
          order.add(0);
        }
      }
      order.add(1);
    }
    return order.stream().mapToInt(Integer::intValue).toArray();
  }

  private static Histogram twoPartitions() {
    Histogram h = window();
    h.readPartitions(2);
    return h;
  }

  @Test
  void theQuietPartitionReadFirstLastOrInTheMiddleLosesNothing() {
    List<List<Message>> partitions = List.of(quiet(), busy());
    long[] expected = expected(partitions);
    List<int[]> orders =
        List.of(
            oneAfterAnother(partitions, 0, 1),
            oneAfterAnother(partitions, 1, 0),
            quietFrom(partitions, 20),
            quietFrom(partitions, 1));
    for (int[] order : orders) {
      Histogram h = twoPartitions();
      offer(h, partitions, order);
      HistogramSnapshot s = h.snapshotForPublish();
      assertArrayEquals(expected, s.counts());
      assertTrue(h.hasEnded(0), "the quiet partition ended at its message after stop");
      assertFalse(h.hasEnded(1), "the busy partition had nothing after stop");
      assertEquals(HistogramState.COUNTING, s.state(), "one partition is still open");
      assertArrayEquals(new boolean[] {true, false}, s.partitions().ended());

      h.endPartition(1);
      assertEquals(HistogramState.FINISHED, h.state(), "every partition ended");
    }
  }

  @Test
  void anyInterleavingGivesTheSameCountsAndLastPulseTime() {
    List<List<Message>> partitions = List.of(quiet(), busy(), List.of(at(STOP + 5, 1)), busy());
    long[] expected = expected(partitions);
    SplittableRandom random = new SplittableRandom(26);
    Long lastPulse = null;
    for (int round = 0; round < 200; round++) {
      List<Integer> left = new ArrayList<>();
      for (int p = 0; p < partitions.size(); p++) {
        for (int i = 0; i < partitions.get(p).size(); i++) {
          left.add(p);
        }
      }
      int[] order = new int[left.size()];
      for (int i = 0; i < order.length; i++) {
        order[i] = left.remove(random.nextInt(left.size()));
      }
      Histogram h = window();
      h.readPartitions(4);
      offer(h, partitions, order);
      HistogramSnapshot s = h.snapshotForPublish();
      assertArrayEquals(expected, s.counts(), "round " + round);
      if (lastPulse == null) {
        lastPulse = s.lastPulseTimeNs();
      }
      assertEquals(lastPulse, s.lastPulseTimeNs(), "round " + round);
      assertArrayEquals(new boolean[] {true, false, true, false}, s.partitions().ended());
    }
    assertEquals(PULSE0 + (START + 39 * 200 - T0) * 1_000_000, lastPulse);
  }

  @Test
  void aPartitionWithNoMessageKeepsTheHistogramOpenUntilItEnds() {
    Histogram h = twoPartitions();
    h.offer(0, "det", PULSE0, IntVector.of(1), NONE, START);
    h.offer(0, "det", PULSE0, IntVector.of(2), NONE, STOP + 1);
    assertEquals(HistogramState.COUNTING, h.state());
    assertEquals(1, h.openPartitions());
    h.endPartition(1);
    assertEquals(HistogramState.FINISHED, h.state());
    assertEquals(1, h.snapshotForPublish().sum());
  }

  @Test
  void aPartitionWhoseFirstMessageIsAfterStopEndsAtOnceAndAddsNothing() {
    Histogram h = twoPartitions();
    h.offer(1, "det", PULSE0, IntVector.of(1, 2, 3), NONE, STOP + 1);
    assertTrue(h.hasEnded(1));
    assertEquals(HistogramState.INITIALISED, h.state(), "nothing inside the window yet");
    h.offer(1, "det", PULSE0, IntVector.of(4), NONE, START);
    h.offer(0, "det", PULSE0, IntVector.of(5), NONE, START);
    assertEquals(HistogramState.COUNTING, h.state());
    h.offer(0, "det", PULSE0, IntVector.of(6), NONE, STOP + 2);
    assertEquals(HistogramState.FINISHED, h.state());
    assertEquals(1, h.snapshotForPublish().sum(), "only partition 0's message inside the window");
  }

  @Test
  void theRateIsTheSumOfThePartitionsRates() {
    Histogram h = twoPartitions();
    // The quiet partition is ahead in pulse time: its messages were read first.
    h.offer(0, "det", PULSE0 + 8_000_000_000L, IntVector.of(1), NONE, START);
    h.offer(1, "det", PULSE0, IntVector.of(1), NONE, START);
    HistogramSnapshot first = h.snapshotForPublish();
    assertEquals(PULSE0 + 8_000_000_000L, first.lastPulseTimeNs(), "the latest of the two");

    h.offer(
        0,
        "det",
        PULSE0 + 9_000_000_000L,
        IntVector.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10),
        NONE,
        START);
    h.offer(1, "det", PULSE0 + 2_000_000_000L, IntVector.of(new int[40]), NONE, START);
    HistogramSnapshot s = h.snapshotForPublish();
    assertEquals(50, s.diff());
    assertEquals(10 / 1.0 + 40 / 2.0, s.rate(), 1e-9, "10 events in 1 s plus 40 in 2 s");
    assertEquals(PULSE0 + 9_000_000_000L, s.lastPulseTimeNs());

    // The busy partition catches up; the quiet one has ended: its rate no longer counts.
    h.offer(0, "det", PULSE0, NONE, NONE, STOP + 1);
    h.offer(1, "det", PULSE0 + 6_000_000_000L, IntVector.of(new int[8]), NONE, START);
    HistogramSnapshot later = h.snapshotForPublish();
    assertEquals(8, later.diff());
    assertEquals(2.0, later.rate(), 1e-9, "8 events in 4 s of the busy partition's pulse time");
    assertEquals(PULSE0 + 9_000_000_000L, later.lastPulseTimeNs());
  }

  @Test
  void aRestoredHistogramRemembersItsEndedPartitions() {
    Histogram original = twoPartitions();
    original.offer(0, "det", PULSE0, IntVector.of(1), NONE, START);
    original.offer(0, "det", PULSE0, IntVector.of(1), NONE, STOP + 1);
    original.offer(1, "det", PULSE0 + 1_000_000_000L, IntVector.of(2, 3), NONE, START);
    HistogramSnapshot checkpoint = original.snapshotForPublish();

    Histogram restarted = window();
    restarted.restore(checkpoint);
    assertEquals(2, restarted.partitions());
    assertTrue(restarted.hasEnded(0));
    assertEquals(HistogramState.COUNTING, restarted.state());
    for (Histogram h : new Histogram[] {original, restarted}) {
      h.offer(0, "det", PULSE0 + 3_000_000_000L, IntVector.of(4), NONE, START);
      h.offer(1, "det", PULSE0 + 2_000_000_000L, IntVector.of(5, 6, 7), NONE, START);
    }
    HistogramSnapshot a = original.snapshotForPublish();
    HistogramSnapshot b = restarted.snapshotForPublish();
    assertArrayEquals(a.counts(), b.counts());
    assertEquals(6, b.sum(), "the late message of the ended partition is not counted");
    assertEquals(a.rate(), b.rate(), 0.0);
    assertEquals(3.0, b.rate(), 0.0);
    assertEquals(a.lastPulseTimeNs(), b.lastPulseTimeNs());
    restarted.offer(1, "det", PULSE0, NONE, NONE, STOP + 1);
    assertEquals(HistogramState.FINISHED, restarted.state());
  }

  @Test
  void withOnePartitionTheFirstMessageAfterStopFinishesAsTheOriginalDoes() {
    Histogram h = window();
    assertEquals(1, h.partitions());
    h.offer(0, "det", PULSE0, IntVector.of(1), NONE, START);
    h.offer(0, "det", PULSE0, IntVector.of(1), NONE, STOP + 1);
    assertEquals(HistogramState.FINISHED, h.state());
  }

  @Test
  void resetCountsZeroesEveryPartitionsSumButKeepsWhichEnded() {
    Histogram h = twoPartitions();
    h.offer(0, "det", PULSE0, IntVector.of(1), NONE, STOP + 1);
    h.offer(1, "det", PULSE0, IntVector.of(1, 2), NONE, START);
    h.snapshotForPublish();
    h.clear();
    HistogramSnapshot s = h.snapshotForPublish();
    assertEquals(0, s.sum());
    assertArrayEquals(new long[] {0, 0}, s.partitions().sums());
    assertArrayEquals(new boolean[] {true, false}, s.partitions().ended());
  }
}
