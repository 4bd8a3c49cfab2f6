package eu.ess.justbinit.tools.viewer;

import eu.ess.justbinit.codec.HistogramMessage;
import eu.ess.justbinit.tools.outputs.HistogramSummary;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * Draws a histogram as the original's plot does: 1-D as bars, 2-D as a heat map with the first
 * dimension across and the second down (the original transposes and flips its y axis to match the
 * ESS geometry). Works headless (java.awt.headless).
 */
public final class HistogramImage {
  /** Where the plot sits inside the image. */
  static final int LEFT = 70;

  static final int RIGHT = 20;
  static final int TOP = 36;
  static final int BOTTOM = 40;

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
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, width, height);
      g.setRenderingHint(
          RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      double[] values = message.data().toDoubles();
      int[] shape = message.shape();
      int plotWidth = Math.max(1, width - LEFT - RIGHT);
      int plotHeight = Math.max(1, height - TOP - BOTTOM);
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
    } finally {
      g.dispose();
    }
    return image;
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
    g.setColor(Color.BLACK);
    g.setStroke(new BasicStroke(1));
    g.drawRect(LEFT - 1, TOP - 1, plotWidth + 1, plotHeight + 1);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
    g.drawString(
        summary.id() + "  " + summary.state() + "  total " + summary.totalText(), LEFT, TOP - 12);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    List<HistogramMessage.Dimension> dimensions = message.dimensions();
    if (!dimensions.isEmpty()) {
      double[] x = dimensions.get(0).boundaries();
      if (x.length > 0) {
        g.drawString(number(x[0]), LEFT, TOP + plotHeight + 16);
        String right = number(x[x.length - 1]);
        g.drawString(
            right, LEFT + plotWidth - g.getFontMetrics().stringWidth(right), TOP + plotHeight + 16);
      }
      if (dimensions.size() > 1) {
        double[] y = dimensions.get(1).boundaries();
        if (y.length > 0) {
          g.drawString(number(y[0]), 4, TOP + 10);
          g.drawString(number(y[y.length - 1]), 4, TOP + plotHeight);
        }
      }
    }
    g.drawString("max " + number(max), LEFT, TOP + plotHeight + 32);
  }

  private static String number(double value) {
    return value == Math.rint(value) && Math.abs(value) < 1e15
        ? Long.toString((long) value)
        : String.format("%.4g", value);
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
