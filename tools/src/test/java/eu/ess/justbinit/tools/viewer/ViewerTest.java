package eu.ess.justbinit.tools.viewer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import eu.ess.justbinit.testkit.EmbeddedKafka;
import eu.ess.justbinit.testkit.Eventually;
import eu.ess.justbinit.testkit.KafkaBrokerExtension;
import eu.ess.justbinit.testkit.ProcessLevel;
import eu.ess.justbinit.tools.cli.ToolCommandLine;
import eu.ess.justbinit.tools.kafka.TopicRecords;
import eu.ess.justbinit.tools.outputs.TestHistograms;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(KafkaBrokerExtension.class)
@ProcessLevel
class ViewerTest {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Pattern ADDRESS = Pattern.compile("live page: (http://\\S+)");
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Duration PATIENCE = Duration.ofSeconds(30);

  private final ByteArrayOutputStream output = new ByteArrayOutputStream();

  @Test
  void writesTheLatestHistogramToAPng(EmbeddedKafka kafka, @TempDir Path dir) throws IOException {
    kafka.createTopic("viewer-png", 1);
    long[] counts = new long[10];
    counts[4] = 500;
    counts[5] = 50;
    TopicRecords.write(
        kafka,
        "viewer-png",
        TestHistograms.oneD(TestHistograms.info("old", "COUNTING", 1), 1),
        TestHistograms.oneD(TestHistograms.info("latest", "COUNTING", 550), counts));
    Path png = dir.resolve("histogram.png");

    int status =
        ToolCommandLine.of(new Viewer(new PrintStream(output, true, StandardCharsets.UTF_8)))
            .execute(
                "-b",
                kafka.bootstrapServers(),
                "-t",
                "viewer-png",
                "--output",
                png.toString(),
                "--width",
                "420",
                "--height",
                "276");

    assertEquals(0, status, output.toString(StandardCharsets.UTF_8));
    BufferedImage image = ImageIO.read(png.toFile());
    assertEquals(420, image.getWidth());
    assertEquals(276, image.getHeight());
    // Of 10 bins, bin 4 is a bar to the top, bin 5 one of 10%, bin 0 none.
    java.awt.Rectangle plot = HistogramImage.plotArea(1, 420, 276);
    int bin = plot.width / 10;
    int bottom = plot.y + plot.height - 1;
    assertEquals(HistogramImage.BAR, pixel(image, 4 * bin + bin / 2, plot.y + 2));
    assertEquals(HistogramImage.BAR, pixel(image, 5 * bin + bin / 2, bottom - plot.height / 13));
    assertEquals(Color.WHITE, pixel(image, 5 * bin + bin / 2, bottom - plot.height / 8));
    assertEquals(Color.WHITE, pixel(image, bin / 2, bottom));
  }

  @Test
  void servesALivePageOfEveryHistogram(EmbeddedKafka kafka) throws Exception {
    kafka.createTopic("viewer-live", 1);
    TopicRecords.write(
        kafka,
        "viewer-live",
        TestHistograms.oneD(TestHistograms.info("tof", "COUNTING", 6), 1, 2, 3));
    Viewer viewer = new Viewer(new PrintStream(output, true, StandardCharsets.UTF_8));
    AtomicInteger status = new AtomicInteger(-1);
    Thread serving =
        new Thread(
            () ->
                status.set(
                    ToolCommandLine.of(viewer)
                        .execute(
                            "-b", kafka.bootstrapServers(), "-t", "viewer-live", "--serve", "0")));
    serving.start();
    try {
      URI page = awaitAddress();
      awaitHistograms(page, 1);
      TopicRecords.write(
          kafka,
          "viewer-live",
          TestHistograms.twoD(TestHistograms.info("map", "FINISHED", 7), 2, 2, 1, 2, 0, 4));
      JsonNode histograms = awaitHistograms(page, 2);

      assertEquals("tof", histograms.get(0).get("id").asText());
      assertEquals("6", histograms.get(0).get("total").asText());
      assertEquals(12.5, histograms.get(0).get("rate").asDouble());
      assertEquals("map", histograms.get(1).get("id").asText());
      assertEquals("FINISHED", histograms.get(1).get("state").asText());
      HttpResponse<byte[]> image =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(page.resolve("image?id=map&log=1")).build(),
                  HttpResponse.BodyHandlers.ofByteArray());
      assertEquals(200, image.statusCode());
      assertEquals(
          LiveServer.IMAGE_WIDTH, ImageIO.read(new ByteArrayInputStream(image.body())).getWidth());

      assumeTrue(Files.isExecutable(CHROMIUM), "no Chromium at " + CHROMIUM);
      String dom = dumpDom(page);
      assertTrue(dom.contains("data-id=\"tof\""), dom);
      assertTrue(dom.contains("data-id=\"map\""), dom);
      assertTrue(dom.contains("<b class=\"total\">7</b>"), dom);
      assertTrue(dom.contains("class=\"state FINISHED\""), dom);
      assertTrue(dom.contains("image?id=map&amp;log=0&amp;v=1"), dom);

      // A new message of a histogram: the page shows it.
      TopicRecords.write(
          kafka,
          "viewer-live",
          TestHistograms.oneD(TestHistograms.info("tof", "COUNTING", 60), 10, 20, 30));
      awaitTotal(page, "tof", "60");
      String updated = dumpDom(page);
      assertTrue(updated.contains("<b class=\"total\">60</b>"), updated);
      assertTrue(updated.contains("image?id=tof&amp;log=0&amp;v=2"), updated);
    } finally {
      viewer.stop();
      serving.join();
    }
    assertEquals(0, status.get());
  }

  private URI awaitAddress() {
    return Eventually.get(
        () -> "the live page's address in: " + output,
        PATIENCE,
        () ->
            ADDRESS
                .matcher(output.toString(StandardCharsets.UTF_8))
                .results()
                .findFirst()
                .map(match -> URI.create(match.group(1))));
  }

  private static JsonNode awaitHistograms(URI page, int count) {
    return Eventually.get(
        () -> count + " histograms on the live page: " + api(page).get("histograms"),
        PATIENCE,
        () -> Optional.of(api(page).get("histograms")).filter(each -> each.size() >= count));
  }

  private static void awaitTotal(URI page, String id, String total) {
    Eventually.await(
        () -> id + " reaching " + total + ": " + api(page).get("histograms"),
        PATIENCE,
        () -> {
          for (JsonNode histogram : api(page).get("histograms")) {
            if (histogram.get("id").asText().equals(id)
                && histogram.get("total").asText().equals(total)) {
              return true;
            }
          }
          return false;
        });
  }

  private static JsonNode api(URI page) {
    try {
      HttpResponse<String> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(page.resolve("api/histograms")).build(),
                  HttpResponse.BodyHandlers.ofString());
      assertEquals(200, response.statusCode());
      return MAPPER.readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted asking the live page", e);
    }
  }

  /** The page's DOM once its script has run, from headless Chromium. */
  private static String dumpDom(URI page) throws Exception {
    Path profile = Files.createTempDirectory("chromium-profile-");
    try {
      Process chromium =
          new ProcessBuilder(
                  List.of(
                      CHROMIUM.toString(),
                      "--headless",
                      "--no-sandbox",
                      "--disable-gpu",
                      "--disable-quic",
                      "--no-first-run",
                      "--disable-background-networking",
                      "--disable-component-update",
                      "--disable-sync",
                      "--user-data-dir=" + profile,
                      "--virtual-time-budget=5000",
                      "--dump-dom",
                      page.toString()))
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .redirectOutput(profile.resolve("dom.html").toFile())
              .start();
      if (!chromium.waitFor(60, TimeUnit.SECONDS)) {
        chromium.destroyForcibly().waitFor();
      }
      return Files.readString(profile.resolve("dom.html"));
    } finally {
      deleteTree(profile);
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }

  private static Color pixel(BufferedImage image, int plotX, int y) {
    return new Color(image.getRGB(HistogramImage.LEFT + plotX, y));
  }
}
