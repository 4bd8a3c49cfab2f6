package eu.ess.justbinit.tools.viewer;

import eu.ess.justbinit.tools.outputs.HistogramSummary;
import eu.ess.justbinit.wire.codec.HistogramMessage;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.util.Locale;

/**
 * Draws a histogram as the original's plot does: 1-D as bars, 2-D as a heat map with the first
 * dimension across and the second down (the original transposes and flips its y axis to match the
 * ESS geometry). Every axis is named with its quantity and unit and has round tick values; a heat
 * map has a colour scale with its counts. Works headless (java.awt.headless); any thread may call
 * it.
 */
public final class HistogramImage {
  /** Where the plot sits inside the image: room for the title, the axes and the colour scale. */
  static final int LEFT = 84;

  static final int RIGHT = 24;
  static final int COLOUR_SCALE = 100;
  static final int TOP = 36;
  static final int BOTTOM = 50;

  private static final int SCALE_GAP = 14;
  private static final int SCALE_WIDTH = 14;
  private static final int TICK = 5;
  private static final Color AXIS = Color.BLACK;

  /** Bars and the low-to-high colours of the heat map (viridis, sampled). */
  static final Color BAR = new Color(31, 119, 180);

  private static final Color[] COLOURS = {
    new Color(68, 1, 84),
    new Color(59, 82, 139),
    new Color(33, 145, 140),
    new Color(94, 201, 98),
    new Color(253, 231, 37)
  };

  private HistogramImage() {}

  /**
   * Draws the histogram into a new image of the given size.
   *
   * @param logScale counts on a log scale (bar heights and colours)
   * @throws IllegalArgumentException for a histogram of more than two dimensions
   */
  public static BufferedImage render(
      HistogramMessage message, boolean logScale, int width, int height) {
    return render(message, PlotKind.guess(message), logScale, width, height);
  }

  /**
   * Draws the histogram, its axes named for {@code kind}.
   *
   * @throws IllegalArgumentException for a histogram of more than two dimensions
   */
  public static BufferedImage render(
      HistogramMessage message, PlotKind kind, boolean logScale, int width, int height) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, width, height);
      g.setRenderingHint(
          RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      double[] values = message.data().toDoubles();
      int[] shape = message.shape();
      Rectangle plot = plotArea(shape.length, width, height);
      int plotWidth = plot.width;
      int plotHeight = plot.height;
      double max = 0;
      for (double value : values) {
        max = Math.max(max, value);
      }
      Scale scale = new Scale(max, logScale);
      if (shape.length == 1) {
        bars(image, values, scale, plotWidth, plotHeight);
      } else if (shape.length == 2) {
        heatMap(image, values, shape[0], shape[1], scale, plotWidth, plotHeight);
      } else {
        throw new IllegalArgumentException(
            "cannot draw a histogram of " + shape.length + " dimensions");
      }
      labels(g, message, max, plotWidth, plotHeight);
      if (shape.length == 1) {
        xAxis(g, message.dimensions().get(0).boundaries(), kind, plot);
        countAxis(g, scale, plot);
      } else {
        xAxis(g, message.dimensions().get(0).boundaries(), kind, plot);
        yAxis(g, message.dimensions().get(1).boundaries(), kind, plot);
        colourScale(g, scale, plot);
      }
    } finally {
      g.dispose();
    }
    return image;
  }

  /** Where the plot of a histogram of {@code dimensions} sits in an image of this size. */
  static Rectangle plotArea(int dimensions, int width, int height) {
    int right = dimensions == 2 ? COLOUR_SCALE : RIGHT;
    return new Rectangle(
        LEFT, TOP, Math.max(1, width - LEFT - right), Math.max(1, height - TOP - BOTTOM));
  }

  /** Each pixel column shows the largest bin it covers, so no peak disappears. */
  private static void bars(
      BufferedImage image, double[] values, Scale scale, int plotWidth, int plotHeight) {
    int bins = values.length;
    if (bins == 0) {
      return;
    }
    double pixelsPerBin = (double) plotWidth / bins;
    int bar = BAR.getRGB();
    for (int x = 0; x < plotWidth; x++) {
      int first = (int) ((long) x * bins / plotWidth);
      int last = Math.max(first, (int) ((long) (x + 1) * bins / plotWidth) - 1);
      // A gap between bars when they are wide enough to tell apart.
      if (pixelsPerBin >= 4 && (int) ((x + 1) / pixelsPerBin) != (int) (x / pixelsPerBin)) {
        continue;
      }
      double value = 0;
      for (int i = first; i <= last; i++) {
        value = Math.max(value, values[i]);
      }
      int barHeight = (int) Math.round(scale.fraction(value) * plotHeight);
      for (int y = plotHeight - barHeight; y < plotHeight; y++) {
        image.setRGB(LEFT + x, TOP + y, bar);
      }
    }
  }

  private static void heatMap(
      BufferedImage image,
      double[] values,
      int columns,
      int rows,
      Scale scale,
      int plotWidth,
      int plotHeight) {
    if (columns == 0 || rows == 0) {
      return;
    }
    for (int y = 0; y < plotHeight; y++) {
      int row = (int) ((long) y * rows / plotHeight);
      for (int x = 0; x < plotWidth; x++) {
        int column = (int) ((long) x * columns / plotWidth);
        double value = values[column * rows + row];
        image.setRGB(LEFT + x, TOP + y, colour(scale.fraction(value)).getRGB());
      }
    }
  }

  /** The heat map's colour for a fraction 0..1 of the largest count. */
  static Color colour(double fraction) {
    double position = Math.max(0, Math.min(1, fraction)) * (COLOURS.length - 1);
    int low = Math.min(COLOURS.length - 2, (int) position);
    double t = position - low;
    Color a = COLOURS[low];
    Color b = COLOURS[low + 1];
    return new Color(
        (int) Math.round(a.getRed() + t * (b.getRed() - a.getRed())),
        (int) Math.round(a.getGreen() + t * (b.getGreen() - a.getGreen())),
        (int) Math.round(a.getBlue() + t * (b.getBlue() - a.getBlue())));
  }

  private static void labels(
      Graphics2D g, HistogramMessage message, double max, int plotWidth, int plotHeight) {
    HistogramSummary summary = HistogramSummary.of(message);
    g.setColor(AXIS);
    g.setStroke(new BasicStroke(1));
    g.drawRect(LEFT - 1, TOP - 1, plotWidth + 1, plotHeight + 1);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
    g.drawString(
        summary.id()
            + "  "
            + summary.state()
            + "  total "
            + (summary.total() == Math.rint(summary.total())
                ? AxisTicks.count(summary.total())
                : summary.totalText())
            + "  max "
            + AxisTicks.count(max),
        LEFT,
        TOP - 12);
  }

  /**
   * The first dimension's axis below the plot: time of flight in the unit its range suits, or pixel
   * indices (ticks at the middle of their pixel).
   */
  private static void xAxis(Graphics2D g, double[] edges, PlotKind kind, Rectangle plot) {
    if (edges.length < 2) {
      return;
    }
    Axis axis = Axis.of(edges, kind.timeOfFlight(), !kind.timeOfFlight());
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    FontMetrics metrics = g.getFontMetrics();
    int y = plot.y + plot.height;
    int count = Math.max(2, plot.width / 90);
    double[] ticks = axis.ticks(count);
    String[] labels = AxisTicks.labels(ticks, AxisTicks.step(axis.low, axis.high, count));
    for (int i = 0; i < ticks.length; i++) {
      int x = plot.x + (int) Math.round(axis.position(ticks[i]) * (plot.width - 1));
      g.drawLine(x, y, x, y + TICK);
      String label = labels[i];
      g.drawString(label, x - metrics.stringWidth(label) / 2, y + TICK + metrics.getAscent());
    }
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 12));
    String title = axis.title(kind.xQuantity());
    g.drawString(
        title, plot.x + (plot.width - g.getFontMetrics().stringWidth(title)) / 2, y + BOTTOM - 8);
  }

  /** The second dimension's axis left of a heat map, increasing downwards as its rows. */
  private static void yAxis(Graphics2D g, double[] edges, PlotKind kind, Rectangle plot) {
    if (edges.length < 2) {
      return;
    }
    boolean pixels = kind == PlotKind.DETHIST || kind == PlotKind.ROIHIST;
    Axis axis = Axis.of(edges, false, pixels);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    FontMetrics metrics = g.getFontMetrics();
    int count = Math.max(2, plot.height / 50);
    double[] ticks = axis.ticks(count);
    String[] labels = AxisTicks.labels(ticks, AxisTicks.step(axis.low, axis.high, count));
    for (int i = 0; i < ticks.length; i++) {
      int y = plot.y + (int) Math.round(axis.position(ticks[i]) * (plot.height - 1));
      g.drawLine(plot.x - TICK, y, plot.x, y);
      String label = labels[i];
      g.drawString(
          label, plot.x - TICK - 3 - metrics.stringWidth(label), y + metrics.getAscent() / 2 - 1);
    }
    verticalTitle(g, axis.title(kind.yQuantity()), 16, plot);
  }

  /** The counts axis left of the bars, linear or log as the bars. */
  private static void countAxis(Graphics2D g, Scale scale, Rectangle plot) {
    tickCounts(g, scale, plot, plot.x, false);
    verticalTitle(g, scale.log ? "counts (log scale)" : "counts", 16, plot);
  }

  /**
   * The heat map's colours from none (bottom) to the most (top), with the counts they stand for.
   */
  private static void colourScale(Graphics2D g, Scale scale, Rectangle plot) {
    int x = plot.x + plot.width + SCALE_GAP;
    for (int y = 0; y < plot.height; y++) {
      g.setColor(colour(1 - (double) y / Math.max(1, plot.height - 1)));
      g.drawLine(x, plot.y + y, x + SCALE_WIDTH - 1, plot.y + y);
    }
    g.setColor(AXIS);
    g.drawRect(x - 1, plot.y - 1, SCALE_WIDTH + 1, plot.height + 1);
    tickCounts(g, scale, plot, x + SCALE_WIDTH, true);
    String title = scale.log ? "counts (log)" : "counts";
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 12));
    int titleX = x + SCALE_WIDTH + COLOUR_SCALE - SCALE_GAP - SCALE_WIDTH - 6;
    AffineTransform saved = g.getTransform();
    g.translate(titleX, plot.y + (plot.height + g.getFontMetrics().stringWidth(title)) / 2);
    g.rotate(-Math.PI / 2);
    g.drawString(title, 0, 0);
    g.setTransform(saved);
  }

  /** Count ticks along the plot's height at {@code x}, labelled on its left or right. */
  private static void tickCounts(
      Graphics2D g, Scale scale, Rectangle plot, int x, boolean labelsRight) {
    g.setColor(AXIS);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    FontMetrics metrics = g.getFontMetrics();
    int count = Math.max(2, plot.height / 50);
    double max = Math.max(scale.max, 1);
    double[] ticks = scale.log ? AxisTicks.logCounts(max) : AxisTicks.linear(0, max, count);
    String[] labels = AxisTicks.labels(ticks, AxisTicks.step(0, max, count));
    if (scale.log) {
      // Powers of ten, each in the unit that suits it: 1, 10, ..., 10000, 100 k, 1 M.
      for (int i = 0; i < ticks.length; i++) {
        double tick = Math.max(1, ticks[i]);
        labels[i] = AxisTicks.label(ticks[i], tick, tick);
      }
    }
    for (int i = 0; i < ticks.length; i++) {
      double fraction = scale.max <= 0 ? ticks[i] / max : scale.fraction(ticks[i]);
      int y = plot.y + plot.height - 1 - (int) Math.round(fraction * (plot.height - 1));
      String label = labels[i];
      if (labelsRight) {
        g.drawLine(x, y, x + TICK, y);
        g.drawString(label, x + TICK + 3, y + metrics.getAscent() / 2 - 1);
      } else {
        g.drawLine(x - TICK, y, x, y);
        g.drawString(
            label, x - TICK - 3 - metrics.stringWidth(label), y + metrics.getAscent() / 2 - 1);
      }
    }
  }

  private static void verticalTitle(Graphics2D g, String title, int x, Rectangle plot) {
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 12));
    AffineTransform saved = g.getTransform();
    g.translate(x, plot.y + (plot.height + g.getFontMetrics().stringWidth(title)) / 2);
    g.rotate(-Math.PI / 2);
    g.drawString(title, 0, 0);
    g.setTransform(saved);
  }

  /**
   * One axis in the unit it is shown in: time of flight from ns to the unit its range suits, pixel
   * indices centred on their bins.
   */
  private record Axis(double low, double high, String unit, boolean pixels) {
    static Axis of(double[] edges, boolean timeOfFlight, boolean pixels) {
      double low = edges[0];
      double high = edges[edges.length - 1];
      if (!timeOfFlight) {
        return new Axis(low, high, "", pixels);
      }
      double span = Math.max(Math.abs(low), Math.abs(high));
      if (span >= 1e6) {
        return new Axis(low / 1e6, high / 1e6, "ms", false);
      }
      if (span >= 1e3) {
        return new Axis(low / 1e3, high / 1e3, "\u00b5s", false);
      }
      return new Axis(low, high, "ns", false);
    }

    double[] ticks(int count) {
      return pixels
          ? AxisTicks.linear(low, Math.max(low, high - 1), count)
          : AxisTicks.linear(low, high, count);
    }

    /** Where a value lies, 0 at the axis' start and 1 at its end. */
    double position(double value) {
      double centred = pixels ? value + 0.5 : value;
      return high > low ? (centred - low) / (high - low) : 0;
    }

    String title(String quantity) {
      return unit.isEmpty() ? quantity : String.format(Locale.ROOT, "%s (%s)", quantity, unit);
    }
  }

  /** Counts to 0..1 of the largest, linear or log (log(1 + count)). */
  private record Scale(double max, boolean log) {
    double fraction(double value) {
      if (max <= 0 || value <= 0) {
        return 0;
      }
      return log ? Math.log1p(value) / Math.log1p(max) : value / max;
    }
  }
}
