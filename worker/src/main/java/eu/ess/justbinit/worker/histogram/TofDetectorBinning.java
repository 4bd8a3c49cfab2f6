package eu.ess.justbinit.worker.histogram;

import eu.ess.justbinit.wire.codec.IntVector;
import eu.ess.justbinit.wire.rpc.HistogramSpec;
import java.nio.ByteBuffer;

/** hist2d: time of flight (x) by pixel id (y) over tof_range x det_range. */
public final class TofDetectorBinning extends Binning {
  private final RegularAxis tof;
  private final RegularAxis pixel;

  TofDetectorBinning(RegularAxis tof, RegularAxis pixel) {
    super(area("num_bins", tof.bins(), pixel.bins()));
    this.tof = tof;
    this.pixel = pixel;
  }

  static TofDetectorBinning fromSpec(HistogramSpec spec) {
    if (!spec.hasTofRange()) {
      throw new IllegalArgumentException("tof_range: missing");
    }
    if (!spec.hasDetRange()) {
      throw new IllegalArgumentException("det_range: missing");
    }
    int tofBins = positive("num_bins", spec.getTofBins());
    int detBins = positive("num_bins", spec.getDetBins());
    area("num_bins", tofBins, detBins);
    return new TofDetectorBinning(
        new RegularAxis(
            "tof_range", spec.getTofRange().getLow(), spec.getTofRange().getHigh(), tofBins),
        new RegularAxis(
            "det_range", spec.getDetRange().getLow(), spec.getDetRange().getHigh(), detBins));
  }

  @Override
  public long add(IntVector timeOfFlight, IntVector pixelId) {
    int n = pairedLength(timeOfFlight, pixelId);
    if (n == 0) {
      return 0;
    }
    if (tof.uniform() && pixel.uniform()) {
      return addUniform(timeOfFlight, pixelId, n);
    }
    if (tof.uniform() && pixel.table() != null) {
      return addUniformByTable(timeOfFlight, pixelId, n);
    }
    return addGeneral(timeOfFlight, pixelId, n);
  }

  private long addUniform(IntVector timeOfFlight, IntVector pixelId, int n) {
    final long[] c = bins;
    final ByteBuffer tofs = timeOfFlight.buffer();
    final ByteBuffer ids = pixelId.buffer();
    final int tofFrom = timeOfFlight.byteOffset();
    final int idFrom = pixelId.byteOffset();
    final long xFirst = tof.first();
    final long xSpanBiased = tof.span() + Long.MIN_VALUE;
    final long xMagic = tof.magic();
    final int xShift = tof.shift();
    final int xLast = tof.bins() - 1;
    final long yFirst = pixel.first();
    final long ySpanBiased = pixel.span() + Long.MIN_VALUE;
    final long yMagic = pixel.magic();
    final int yShift = pixel.shift();
    final int yLast = pixel.bins() - 1;
    final int ny = pixel.bins();
    long added = 0;
    for (int i = 0; i < n; i++) {
      long dx = tofs.getInt(tofFrom + (i << 2)) - xFirst;
      long dy = ids.getInt(idFrom + (i << 2)) - yFirst;
      if (dx + Long.MIN_VALUE < xSpanBiased && dy + Long.MIN_VALUE < ySpanBiased) {
        int x = RegularAxis.uniformIndex(dx, xMagic, xShift, xLast);
        int y = RegularAxis.uniformIndex(dy, yMagic, yShift, yLast);
        c[x * ny + y]++;
        added++;
      }
    }
    return added;
  }

  private long addUniformByTable(IntVector timeOfFlight, IntVector pixelId, int n) {
    final long[] c = bins;
    final ByteBuffer tofs = timeOfFlight.buffer();
    final ByteBuffer ids = pixelId.buffer();
    final int tofFrom = timeOfFlight.byteOffset();
    final int idFrom = pixelId.byteOffset();
    final long xFirst = tof.first();
    final long xSpanBiased = tof.span() + Long.MIN_VALUE;
    final long xMagic = tof.magic();
    final int xShift = tof.shift();
    final int xLast = tof.bins() - 1;
    final long yFirst = pixel.first();
    final int[] yTable = pixel.table();
    final long ySpanBiased = yTable.length + Long.MIN_VALUE;
    final int ny = pixel.bins();
    long added = 0;
    for (int i = 0; i < n; i++) {
      long dx = tofs.getInt(tofFrom + (i << 2)) - xFirst;
      long dy = ids.getInt(idFrom + (i << 2)) - yFirst;
      if (dx + Long.MIN_VALUE < xSpanBiased && dy + Long.MIN_VALUE < ySpanBiased) {
        c[RegularAxis.uniformIndex(dx, xMagic, xShift, xLast) * ny + yTable[(int) dy]]++;
        added++;
      }
    }
    return added;
  }

  private long addGeneral(IntVector timeOfFlight, IntVector pixelId, int n) {
    final long[] c = bins;
    final ByteBuffer tofs = timeOfFlight.buffer();
    final ByteBuffer ids = pixelId.buffer();
    final int tofFrom = timeOfFlight.byteOffset();
    final int idFrom = pixelId.byteOffset();
    final RegularAxis xAxis = tof;
    final RegularAxis yAxis = pixel;
    final long xFirst = xAxis.first();
    final long xSpanBiased = xAxis.span() + Long.MIN_VALUE;
    final long yFirst = yAxis.first();
    final long ySpanBiased = yAxis.span() + Long.MIN_VALUE;
    final int ny = yAxis.bins();
    long added = 0;
    for (int i = 0; i < n; i++) {
      int x = tofs.getInt(tofFrom + (i << 2));
      int y = ids.getInt(idFrom + (i << 2));
      if (x - xFirst + Long.MIN_VALUE < xSpanBiased && y - yFirst + Long.MIN_VALUE < ySpanBiased) {
        c[xAxis.acceptedIndex(x) * ny + yAxis.acceptedIndex(y)]++;
        added++;
      }
    }
    return added;
  }

  @Override
  public int[] shape() {
    return new int[] {tof.bins(), pixel.bins()};
  }

  @Override
  public double[][] edges() {
    return new double[][] {tof.edges(), pixel.edges()};
  }
}
