package eu.ess.justbinit.controller.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.ess.justbinit.wire.rpc.HistogramSpec;
import eu.ess.justbinit.wire.rpc.HistogramType;
import java.util.List;
import org.junit.jupiter.api.Test;

class WorkerHeapTest {
  private static HistogramSpec.Builder spec(HistogramType type) {
    return HistogramSpec.newBuilder().setType(type);
  }

  @Test
  void eachTypeCountsItsBinsAndEdges() {
    assertEquals(
        1000 + 1001, WorkerHeap.values(spec(HistogramType.HIST1D).setTofBins(1000).build()));
    assertEquals(
        100 * 50 + 101 + 51,
        WorkerHeap.values(spec(HistogramType.HIST2D).setTofBins(100).setDetBins(50).build()));
    assertEquals(
        32 * 192 + 33 + 193,
        WorkerHeap.values(spec(HistogramType.DETHIST).setWidth(32).setHeight(192).build()));
    assertEquals(
        16 * 3 + 17 + 4,
        WorkerHeap.values(
            spec(HistogramType.ROIHIST).setWidth(16).addAllLeftEdges(List.of(1, 65, 129)).build()));
  }

  @Test
  void aSmallHistogramNeedsTheBaseAndFitsASpare() {
    int hist1d = WorkerHeap.megabytesFor(spec(HistogramType.HIST1D).setTofBins(1000).build());

    assertEquals(WorkerHeap.BASE_MB + 1, hist1d);
    assertTrue(hist1d <= WorkerHeap.spareMegabytes());
    assertEquals(52, WorkerHeap.spareMegabytes());
  }

  @Test
  void aHistogramLargerThanASpareNeedsNinetySixBytesAValueMore() {
    // 4096 x 4096 bins: 16 M bins, 8 K edges, 1.5 GB at 96 bytes each.
    HistogramSpec map = spec(HistogramType.DETHIST).setWidth(4096).setHeight(4096).build();

    assertEquals(WorkerHeap.BASE_MB + 1537, WorkerHeap.megabytesFor(map));
  }

  @Test
  void aRegionOfInterestAlsoNeedsItsPixelTable() {
    // Two rows of 16, 4,000,000 pixel ids apart: a table of 4 bytes per pixel of the span.
    HistogramSpec wide =
        spec(HistogramType.ROIHIST).setWidth(16).addAllLeftEdges(List.of(0, 4_000_000)).build();

    assertEquals(WorkerHeap.BASE_MB + 16, WorkerHeap.megabytesFor(wide));
  }

  @Test
  void absurdSizesDoNotOverflow() {
    HistogramSpec huge =
        spec(HistogramType.HIST2D)
            .setTofBins(Integer.MAX_VALUE)
            .setDetBins(Integer.MAX_VALUE)
            .build();

    assertEquals(WorkerHeap.BASE_MB + 196608, WorkerHeap.megabytesFor(huge));
  }

  @Test
  void optionsThatSetTheHeapThemselvesAreSeen() {
    assertTrue(WorkerHeap.setBy(List.of("-XX:+UseG1GC", "-Xmx2g")));
    assertTrue(WorkerHeap.setBy(List.of("-XX:MaxRAMPercentage=10")));
    assertTrue(WorkerHeap.setBy(List.of("-XX:MaxHeapSize=512m")));
    assertFalse(WorkerHeap.setBy(List.of("-XX:+UseG1GC", "-Xms16m", "-XX:MaxHeapFreeRatio=30")));
  }

  @Test
  void theLargestHistogramAHeapAllowsFitsItAndOneBinMoreDoesNot() {
    for (int heap : new int[] {52, 53, 60, 100, 256, 4096}) {
      // A hist1d of n bins has 2n + 1 values.
      int bins = (int) ((WorkerHeap.largestValues(heap) - 1) / 2);
      assertTrue(WorkerHeap.megabytesFor(hist1d(bins)) <= heap, "at " + heap + " MB");
      assertTrue(WorkerHeap.megabytesFor(hist1d(bins + 1)) > heap, "above " + heap + " MB");
    }
    assertEquals(WorkerHeap.SPARE_VALUES, WorkerHeap.largestValues(WorkerHeap.spareMegabytes()));
    // (256 - 48) MB / 96 bytes = 2,271,914.67
    assertEquals(2_271_914, WorkerHeap.largestValues(256));
    assertEquals(256, WorkerHeap.megabytesFor(hist1d(1_135_956)));
  }

  private static HistogramSpec hist1d(int bins) {
    return spec(HistogramType.HIST1D).setTofBins(bins).build();
  }
}
