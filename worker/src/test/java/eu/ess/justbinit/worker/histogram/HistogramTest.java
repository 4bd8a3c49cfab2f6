package eu.ess.justbinit.worker.histogram;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import eu.ess.justbinit.wire.codec.IntVector;
import eu.ess.justbinit.wire.rpc.HistogramSpec;
import eu.ess.justbinit.wire.rpc.HistogramState;
import eu.ess.justbinit.wire.rpc.HistogramType;
import eu.ess.justbinit.wire.rpc.Range;
import org.junit.jupiter.api.Test;

class HistogramTest {
  private static final IntVector NONE = IntVector.of();
  private static final long T0 = 1_700_000_000_000L;
  private static final long PULSE0 = T0 * 1_000_000;

  private static Histogram hist1d(String source, Long start, Long stop) {
    return new Histogram(
        new TofBinning(new RegularAxis("tof_range", 0, 100, 10), null), source, start, stop);
  }

  /** A message of one event per tof, at T0 + i s with pulse time PULSE0 + i s. */
  private static void offer(Histogram h, int second, String source, int... tofs) {
    h.offer(
        source, PULSE0 + second * 1_000_000_000L, IntVector.of(tofs), NONE, T0 + second * 1000L);
  }

  @Test
  void startsInitialisedAndCountsInsideTheWindow() {
    Histogram h = hist1d(null, T0 + 2000, T0 + 4000);
    assertEquals(HistogramState.INITIALISED, h.state());
    offer(h, 1, "a", 5);
    assertEquals(HistogramState.INITIALISED, h.state(), "before start: skipped");
    offer(h, 2, "a", 5);
    offer(h, 4, "b", 15, 1000);
    assertEquals(HistogramState.COUNTING, h.state());
    offer(h, 5, "a", 5);
    assertEquals(HistogramState.FINISHED, h.state(), "after stop: skipped and finished");
    offer(h, 3, "a", 5);
    HistogramSnapshot s = h.snapshotForPublish();
    assertEquals(2, s.sum(), "nothing is counted once finished");
    assertEquals(PULSE0 + 4_000_000_000L, s.lastPulseTimeNs());
    assertArrayEquals(new long[] {1, 1, 0, 0, 0, 0, 0, 0, 0, 0}, s.counts());
    assertEquals(HistogramState.FINISHED, s.state());
  }

  @Test
  void otherSourcesStartCountingButAddNothing() {
    Histogram h = hist1d("monitor1", null, null);
    offer(h, 1, "monitor2", 5);
    assertEquals(HistogramState.COUNTING, h.state());
    HistogramSnapshot s = h.snapshotForPublish();
    assertEquals(0, s.sum());
    assertEquals(0, s.lastPulseTimeNs());
    offer(h, 2, "monitor1", 500);
    assertEquals(
        PULSE0 + 2_000_000_000L,
        h.snapshotForPublish().lastPulseTimeNs(),
        "counts even with no event in range");
    Histogram blank = hist1d(" ", null, null);
    offer(blank, 1, "anything", 5);
    assertEquals(1, blank.snapshotForPublish().sum(), "a blank source filters nothing");
  }

  @Test
  void statisticsFollowTheOriginalsPublishBookkeeping() {
    Histogram h = hist1d(null, null, null);
    HistogramSnapshot first = h.snapshotForPublish();
    assertEquals(0, first.diff());
    assertEquals(0.0, first.rate());

    offer(h, 0, "a", 1, 2, 3, 4);
    HistogramSnapshot s1 = h.snapshotForPublish();
    assertEquals(4, s1.sum());
    assertEquals(4, s1.diff());
    assertEquals(4 / (PULSE0 / 1e9), s1.rate(), 0.0, "first publish: against pulse time 0");

    offer(h, 2, "a", 1, 2, 3, 4, 5, 6);
    HistogramSnapshot s2 = h.snapshotForPublish();
    assertEquals(10, s2.sum());
    assertEquals(6, s2.diff());
    assertEquals(3.0, s2.rate(), 0.0);

    HistogramSnapshot again = h.snapshotForPublish();
    assertEquals(6, again.diff(), "nothing new: the previous diff and rate again");
    assertEquals(3.0, again.rate(), 0.0);

    offer(h, 3, "a", 1000);
    HistogramSnapshot pulseOnly = h.snapshotForPublish();
    assertEquals(0, pulseOnly.diff());
    assertEquals(0.0, pulseOnly.rate(), 0.0);

    offer(h, 1, "a", 7);
    HistogramSnapshot backwards = h.snapshotForPublish();
    assertEquals(1, backwards.diff());
    assertEquals(0.0, backwards.rate(), 0.0, "pulse time went back: rate 0");
  }

  @Test
  void clearZeroesCountsAndStatisticsKeepsStateAndPulseTime() {
    Histogram h = hist1d(null, null, null);
    offer(h, 0, "a", 1, 2, 3);
    h.snapshotForPublish();
    h.clear();
    HistogramSnapshot s = h.snapshotForPublish();
    assertEquals(0, s.sum());
    assertArrayEquals(new long[10], s.counts());
    assertEquals(HistogramState.COUNTING, s.state());
    assertEquals(PULSE0, s.lastPulseTimeNs());
    assertEquals(0, s.diff());
    assertEquals(0.0, s.rate(), 0.0, "after a clear the previous pulse time is 0 again");
    offer(h, 1, "a", 1);
    assertEquals(1, h.snapshotForPublish().sum());
  }

  @Test
  void finishAndFail() {
    Histogram h = hist1d(null, null, null);
    h.finish();
    assertEquals(HistogramState.FINISHED, h.state());
    h.fail("broker gone");
    assertEquals(HistogramState.ERROR, h.state());
    assertEquals("broker gone", h.errorMessage());
    h.finish();
    assertEquals(HistogramState.ERROR, h.state(), "an error stays an error");
    offer(h, 1, "a", 1);
    HistogramSnapshot s = h.snapshotForPublish();
    assertEquals(0, s.sum());
    assertEquals("broker gone", s.errorMessage());
    assertEquals(HistogramState.ERROR, s.state());
  }

  @Test
  void restoredHistogramContinuesExactly() {
    HistogramSpec spec =
        HistogramSpec.newBuilder()
            .setType(HistogramType.DETHIST)
            .setDetRange(Range.newBuilder().setLow(1).setHigh(2))
            .setWidth(3)
            .setHeight(2)
            .setSource("det")
            .setStopMs(T0 + 10_000)
            .build();
    Histogram original = Histogram.forSpec(spec);
    original.offer("det", PULSE0, NONE, IntVector.of(1, 2, 6, 6), T0);
    HistogramSnapshot checkpoint = original.snapshotForPublish();

    Histogram restarted = Histogram.forSpec(spec);
    restarted.restore(checkpoint);
    assertEquals(HistogramState.COUNTING, restarted.state());
    for (Histogram h : new Histogram[] {original, restarted}) {
      h.offer("det", PULSE0 + 500_000_000L, NONE, IntVector.of(4, 4), T0 + 500);
    }
    HistogramSnapshot a = original.snapshotForPublish();
    HistogramSnapshot b = restarted.snapshotForPublish();
    assertArrayEquals(a.counts(), b.counts());
    assertEquals(6, b.sum());
    assertEquals(a.diff(), b.diff());
    assertEquals(4.0, b.rate(), 0.0);
    assertEquals(a.lastPulseTimeNs(), b.lastPulseTimeNs());
    assertArrayEquals(a.shape(), b.shape());
    assertArrayEquals(a.edges(), b.edges());
    HistogramSnapshot republished = restarted.snapshotForPublish();
    assertEquals(2, republished.diff());
    assertEquals(4.0, republished.rate(), 0.0);
    assertEquals(original.binning().size(), restarted.binning().size());

    Histogram other = Histogram.forSpec(spec.toBuilder().setWidth(4).build());
    assertThrows(IllegalArgumentException.class, () -> other.restore(checkpoint));
  }

  @Test
  void restoresErrorState() {
    Histogram failed = hist1d(null, null, null);
    failed.fail("no data topic");
    Histogram restarted = hist1d(null, null, null);
    restarted.restore(failed.snapshotForPublish());
    assertEquals(HistogramState.ERROR, restarted.state());
    assertEquals("no data topic", restarted.errorMessage());
  }
}
