package eu.ess.justbinit.tools.viewer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import eu.ess.justbinit.tools.outputs.TestHistograms;
import java.awt.Color;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class HistogramImageTest {
  private static final int WIDTH = 400;
  private static final int HEIGHT = 300;
  private static final Rectangle BARS = HistogramImage.plotArea(1, WIDTH, HEIGHT);
  private static final Rectangle MAP = HistogramImage.plotArea(2, WIDTH, HEIGHT);

  @Test
  void barsAreAsTallAsTheirCounts() throws IOException {
    long[] counts = new long[10];
    counts[2] = 100;
    counts[7] = 40;
    BufferedImage image =
        png(TestHistograms.oneD(TestHistograms.info("bars", "COUNTING", 140), counts), false);

    // The highest bar reaches the top of the plot, the one of 40 counts 40% of it, empty bins
    // show nothing.
    assertBar(image, 2, 0.98);
    assertBar(image, 7, 0.38);
    assertNoBar(image, 7, 0.42);
    assertNoBar(image, 0, 0.02);
    assertNoBar(image, 9, 0.02);
  }

  @Test
  void logScaleLiftsSmallCounts() throws IOException {
    byte[] histogram = TestHistograms.oneD(TestHistograms.info("log", "COUNTING", 1001), 1, 1000);

    assertNoBar(png(histogram, false), 0, 0.02);
    // log(1 + 1) / log(1 + 1000) = 10% of the height.
    assertBar(png(histogram, true), 0, 0.08);
    assertNoBar(png(histogram, true), 0, 0.12);
  }

  @Test
  void heatMapColoursEachCellByItsCount() throws IOException {
    // 4 columns (first dimension) × 3 rows (second), row-major by column: cell (1, 2) is hot.
    long[] counts = new long[12];
    counts[1 * 3 + 2] = 50;
    counts[3 * 3 + 0] = 25;
    BufferedImage image =
        png(TestHistograms.twoD(TestHistograms.info("map", "COUNTING", 75), 4, 3, counts), false);

    assertEquals(HistogramImage.colour(1), cell(image, 1, 2, 4, 3));
    assertEquals(HistogramImage.colour(0.5), cell(image, 3, 0, 4, 3));
    assertEquals(HistogramImage.colour(0), cell(image, 0, 0, 4, 3));
    assertEquals(HistogramImage.colour(0), cell(image, 1, 1, 4, 3));
  }

  @Test
  void aHeatMapHasAColourScaleFromNoneToTheMost() throws IOException {
    long[] counts = new long[12];
    counts[5] = 50;
    BufferedImage image =
        png(TestHistograms.twoD(TestHistograms.info("map", "COUNTING", 50), 4, 3, counts), false);

    // The scale stands right of the map: the most at its top, none at its bottom.
    int x = MAP.x + MAP.width + 20;
    assertEquals(HistogramImage.colour(1), new Color(image.getRGB(x, MAP.y)));
    assertEquals(HistogramImage.colour(0), new Color(image.getRGB(x, MAP.y + MAP.height - 1)));
    Color middle = new Color(image.getRGB(x, MAP.y + (MAP.height - 1) / 2));
    assertEquals(HistogramImage.colour(0.5).getGreen(), middle.getGreen(), 2);
  }

  @Test
  void refusesThreeDimensions() {
    assertThrows(
        IllegalArgumentException.class,
        () ->
            HistogramImage.render(
                TestHistograms.decode(TestHistograms.threeD()), false, WIDTH, HEIGHT));
  }

  /** Renders, writes as PNG and reads the PNG back: what a user of --output gets. */
  private static BufferedImage png(byte[] histogram, boolean log) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ImageIO.write(
        HistogramImage.render(TestHistograms.decode(histogram), log, WIDTH, HEIGHT), "png", bytes);
    return ImageIO.read(new ByteArrayInputStream(bytes.toByteArray()));
  }

  /** The bar of bin {@code bin} of 10 reaches {@code height} (0..1) of the plot. */
  private static void assertBar(BufferedImage image, int bin, double height) {
    assertEquals(HistogramImage.BAR, barPixel(image, bin, height), "bin " + bin + " at " + height);
  }

  private static void assertNoBar(BufferedImage image, int bin, double height) {
    assertEquals(Color.WHITE, barPixel(image, bin, height), "bin " + bin + " at " + height);
  }

  private static Color barPixel(BufferedImage image, int bin, double height) {
    int x = BARS.x + (int) ((bin + 0.5) * BARS.width / 10);
    int y = BARS.y + BARS.height - 1 - (int) (height * BARS.height);
    return new Color(image.getRGB(x, y));
  }

  private static Color cell(BufferedImage image, int column, int row, int columns, int rows) {
    int x = MAP.x + (int) ((column + 0.5) * MAP.width / columns);
    int y = MAP.y + (int) ((row + 0.5) * MAP.height / rows);
    return new Color(image.getRGB(x, y));
  }
}
