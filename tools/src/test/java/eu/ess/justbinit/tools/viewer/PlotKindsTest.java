package eu.ess.justbinit.tools.viewer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import eu.ess.justbinit.tools.outputs.TestHistograms;
import eu.ess.justbinit.wire.codec.HistogramMessage;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlotKindsTest {
  private static final HistogramMessage MAP =
      TestHistograms.decode(
          TestHistograms.twoD(TestHistograms.info("m", "COUNTING", 0), 4, 3, new long[12]));

  @Test
  void aTypeToldByIdWinsOverOneForAllAndOverTheGuess() {
    PlotKinds kinds = PlotKinds.parse(List.of("roi=roihist", "hist2d"));
    assertEquals(PlotKind.ROIHIST, kinds.of("roi", MAP));
    assertEquals(PlotKind.HIST2D, kinds.of("other", MAP));
    assertEquals(PlotKind.DETHIST, PlotKinds.none().of("roi", MAP));
  }

  @Test
  void anUnknownTypeIsRefusedByName() {
    IllegalArgumentException refused =
        assertThrows(IllegalArgumentException.class, () -> PlotKinds.parse(List.of("a=hist3d")));
    assertEquals(
        "--type a=hist3d: the type must be hist1d, hist2d, dethist or roihist",
        refused.getMessage());
  }
}
