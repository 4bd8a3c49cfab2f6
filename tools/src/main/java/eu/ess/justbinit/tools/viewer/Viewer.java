package eu.ess.justbinit.tools.viewer;

import eu.ess.justbinit.tools.cli.ToolCommandLine;
import eu.ess.justbinit.tools.outputs.HistogramFollower;
import eu.ess.justbinit.tools.outputs.HistogramTopicOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The original's viewer, made live: the latest histogram of a topic as a PNG file, and with {@code
 * --serve} a page on loopback that follows the topic.
 */
@Command(
    name = "viewer",
    mixinStandardHelpOptions = true,
    description = {
      "Shows the latest histogram of a topic: 1-D as bars, 2-D as a heat map.",
      "--output writes it to a PNG file; --serve PORT serves a page on 127.0.0.1 that updates live,"
          + " every histogram (by id) side by side with its state, sum and rate."
    })
public final class Viewer implements Callable<Integer> {
  @Mixin private HistogramTopicOptions histograms;

  @Option(names = "--output", paramLabel = "FILE.png", description = "write the histogram here")
  private Path output;

  @Option(
      names = "--serve",
      paramLabel = "PORT",
      description = "serve the live page on this loopback port (0: any free one)")
  private Integer port;

  @Option(names = "--id", description = "the histogram to draw into --output (default: the latest)")
  private String id;

  @Option(
      names = "--type",
      paramLabel = "[ID=]TYPE",
      description =
          "the type of histogram ID (hist1d, hist2d, dethist or roihist), or of every histogram"
              + " without ID=; names the axes (default: guessed from the shape and the edges, a"
              + " region of interest as a detector map)")
  private List<String> types = new ArrayList<>();

  @Option(
      names = {"-l", "--log-scale"},
      description = "counts on a log scale")
  private boolean logScale;

  @Option(
      names = "--width",
      defaultValue = "800",
      description = "PNG width (default: ${DEFAULT-VALUE})")
  private int width;

  @Option(
      names = "--height",
      defaultValue = "500",
      description = "PNG height (default: ${DEFAULT-VALUE})")
  private int height;

  @Option(
      names = "--wait",
      defaultValue = "30",
      paramLabel = "SECONDS",
      description = "how long --output waits for a histogram (default: ${DEFAULT-VALUE} s)")
  private long waitSeconds;

  private PlotKinds kinds = PlotKinds.none();
  private final PrintStream out;
  private final CountDownLatch stop = new CountDownLatch(1);

  public Viewer() {
    this(System.out);
  }

  Viewer(PrintStream out) {
    this.out = out;
  }

  public static void main(String[] args) {
    System.setProperty("java.awt.headless", "true");
    System.exit(ToolCommandLine.of(new Viewer()).execute(args));
  }

  @Override
  public Integer call() throws IOException, InterruptedException {
    if (output == null && port == null) {
      throw new CommandLine.ParameterException(
          new CommandLine(this), "give --output FILE.png, --serve PORT or both");
    }
    try {
      kinds = PlotKinds.parse(types);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(new CommandLine(this), e.getMessage());
    }
    HistogramBoard board = new HistogramBoard();
    HistogramFollower follower = histograms.follower(false);
    Thread following = new Thread(() -> follower.run(board), "viewer-follow");
    following.start();
    try {
      if (port == null) {
        return writeOnce(board);
      }
      try (LiveServer server = new LiveServer(board, histograms.topic(), port, kinds)) {
        out.println("live page: " + server.address());
        out.flush();
        Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "viewer-stop"));
        if (output != null) {
          writeUpdates(board);
        }
        stop.await();
      }
      return 0;
    } finally {
      follower.close();
      following.join();
    }
  }

  /** Stops a {@link #call()} that serves the page (for tests; Ctrl-C does it otherwise). */
  void stop() {
    stop.countDown();
  }

  private int writeOnce(HistogramBoard board) throws IOException, InterruptedException {
    Optional<HistogramBoard.Entry> entry = board.await(id, waitSeconds * 1000);
    if (entry.isEmpty()) {
      out.println(
          "no histogram"
              + (id == null ? "" : " with id " + id)
              + " on "
              + histograms.topic()
              + " within "
              + waitSeconds
              + " s");
      return 1;
    }
    write(entry.get());
    out.println("wrote " + entry.get().summary().id() + " to " + output);
    return 0;
  }

  /** Rewrites --output whenever the histogram to draw changes, until stopped. */
  private void writeUpdates(HistogramBoard board) throws IOException, InterruptedException {
    HistogramBoard.Entry written = null;
    while (!stop.await(500, TimeUnit.MILLISECONDS)) {
      Optional<HistogramBoard.Entry> entry = board.current(id);
      if (entry.isPresent() && !entry.get().equals(written)) {
        write(entry.get());
        written = entry.get();
      }
    }
  }

  /** Writes beside the file and renames, so that a reader never sees half an image. */
  private void write(HistogramBoard.Entry entry) throws IOException {
    Path absolute = output.toAbsolutePath();
    Path partial = absolute.resolveSibling(absolute.getFileName() + ".partial");
    ImageIO.write(
        HistogramImage.render(
            entry.message(),
            kinds.of(entry.summary().id(), entry.message()),
            logScale,
            width,
            height),
        "png",
        partial.toFile());
    Files.move(
        partial, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
