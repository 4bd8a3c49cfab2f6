package eu.ess.justbinit.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import eu.ess.justbinit.wire.codec.DataArrayEncoder;
import eu.ess.justbinit.wire.codec.HistogramEncoder;
import eu.ess.justbinit.wire.rpc.HistogramSchema;
import eu.ess.justbinit.wire.rpc.HistogramType;
import org.junit.jupiter.api.Test;

/** A published hs00, hs01 or da00 message decodes to its info and values. */
class PublishedHistogramTest {
  private static final double[][] EDGES = {{0, 1, 2, 3}};

  static byte[] hs01(String id, String state, long... counts) {
    return new HistogramEncoder()
        .encode(HistogramSchema.HS01, 7, new int[] {counts.length}, EDGES, counts, info(id, state));
  }

  static String info(String id, String state) {
    return "{\"id\": \"%s\", \"state\": \"%s\"}".formatted(id, state);
  }

  @Test
  void anHs01HistogramOfCounts() {
    PublishedHistogram published = PublishedHistogram.decode(hs01("a", "COUNTING", 1, 2, 3));
    assertEquals("a", published.id());
    assertEquals("COUNTING", published.state());
    assertEquals("int64", published.elementType());
    assertArrayEquals(new long[] {1, 2, 3}, published.counts());
    assertArrayEquals(new double[] {1, 2, 3}, published.values());
    assertEquals(6, published.sum());
    assertEquals(7, published.timestampNs());
    assertEquals(info("a", "COUNTING").replace(" ", ""), published.toString());
  }

  @Test
  void anHs00HistogramOfFractionsSumsRoundedDown() {
    byte[] bytes =
        new HistogramEncoder()
            .encode(
                HistogramSchema.HS00,
                7,
                new int[] {3},
                EDGES,
                null,
                new double[] {0.5, 1.25, 1},
                info("f", "FINISHED"));
    PublishedHistogram published = PublishedHistogram.decode(bytes);
    assertEquals("float64", published.elementType());
    assertArrayEquals(new double[] {0.5, 1.25, 1}, published.values());
    assertEquals(2, published.sum());
    assertThrows(IllegalStateException.class, published::counts);
  }

  @Test
  void aDa00Histogram() {
    byte[] bytes =
        new DataArrayEncoder()
            .histogram(
                HistogramType.HIST1D,
                "d",
                11,
                new int[] {3},
                EDGES,
                new long[] {4, 5, 6},
                null,
                info("d", "COUNTING"));
    PublishedHistogram published = PublishedHistogram.decode(bytes);
    assertEquals("d", published.id());
    assertArrayEquals(new long[] {4, 5, 6}, published.counts());
    assertEquals(15, published.sum());
    assertEquals(11, published.timestampNs());
  }

  @Test
  void anythingElseFailsTheTest() {
    assertThrows(AssertionError.class, () -> PublishedHistogram.decode(new byte[] {1, 2, 3}));
  }
}
