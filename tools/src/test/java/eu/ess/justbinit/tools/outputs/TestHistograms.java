package eu.ess.justbinit.tools.outputs;

import eu.ess.justbinit.wire.codec.CodecException;
import eu.ess.justbinit.wire.codec.HistogramDecoder;
import eu.ess.justbinit.wire.codec.HistogramEncoder;
import eu.ess.justbinit.wire.codec.HistogramMessage;
import eu.ess.justbinit.wire.rpc.HistogramSchema;
import java.nio.ByteBuffer;

/** hs01 histograms as just-bin-it publishes them, for the tests of the viewers. */
public final class TestHistograms {
  private TestHistograms() {}

  /** A 1-D histogram over 0..bins with the given info JSON. */
  public static byte[] oneD(String info, long... counts) {
    return new HistogramEncoder()
        .encode(
            HistogramSchema.HS01,
            1_700_000_000_000_000_000L,
            new int[] {counts.length},
            new double[][] {edges(counts.length)},
            counts,
            info);
  }

  /** A 2-D histogram of {@code columns} × {@code rows}, counts row-major by column. */
  public static byte[] twoD(String info, int columns, int rows, long... counts) {
    return new HistogramEncoder()
        .encode(
            HistogramSchema.HS01,
            1_700_000_000_000_000_000L,
            new int[] {columns, rows},
            new double[][] {edges(columns), edges(rows)},
            counts,
            info);
  }

  /** A 2 × 2 × 2 histogram, which no viewer can draw. */
  public static byte[] threeD() {
    return new HistogramEncoder()
        .encode(
            HistogramSchema.HS01,
            1_700_000_000_000_000_000L,
            new int[] {2, 2, 2},
            new double[][] {edges(2), edges(2), edges(2)},
            new long[8],
            "{}");
  }

  public static HistogramMessage decode(byte[] bytes) {
    try {
      return new HistogramDecoder().decode(ByteBuffer.wrap(bytes));
    } catch (CodecException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The info JSON of a counting histogram. */
  public static String info(String id, String state, long sum) {
    return String.format(
        "{\"id\": \"%s\", \"state\": \"%s\", \"sum\": %d, \"rate\": 12.5, \"start\": 1700000000000}",
        id, state, sum);
  }

  private static double[] edges(int bins) {
    double[] edges = new double[bins + 1];
    for (int i = 0; i <= bins; i++) {
      edges[i] = i;
    }
    return edges;
  }
}
