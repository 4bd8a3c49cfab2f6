package eu.ess.justbinit.tools.viewer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import eu.ess.justbinit.tools.outputs.TestHistograms;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PlotKindTest {
  @Test
  void theShapeAndTheEdgesTellTheType() {
    assertEquals(
        PlotKind.HIST1D,
        PlotKind.guess(
            TestHistograms.decode(
                TestHistograms.oneD(TestHistograms.info("a", "COUNTING", 0), new long[4]))));
    assertEquals(
        PlotKind.DETHIST,
        PlotKind.guess(
            TestHistograms.decode(
                TestHistograms.twoD(TestHistograms.info("b", "COUNTING", 0), 4, 3, new long[12]))));
  }

  @Test
  void theConfigsNamesAreKnown() {
    assertEquals(Optional.of(PlotKind.ROIHIST), PlotKind.named("roihist"));
    assertEquals(Optional.empty(), PlotKind.named("hist3d"));
  }
}
