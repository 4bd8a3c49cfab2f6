package eu.ess.justbinit.tools.demo;

import eu.ess.justbinit.testkit.EmbeddedKafka;
import eu.ess.justbinit.tools.cli.ToolCommandLine;
import eu.ess.justbinit.tools.generator.GenerateEventData;
import eu.ess.justbinit.tools.outputs.HistogramFollower;
import eu.ess.justbinit.tools.sendcommand.SendCommand;
import eu.ess.justbinit.tools.viewer.HistogramBoard;
import eu.ess.justbinit.tools.viewer.LiveServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The whole product on one machine: an embedded Kafka broker, the just-bin-it controller (a child
 * process, as scripts/just-bin-it starts it), the event generator and one histogram of each type,
 * shown filling in the terminal and on a live page. Ctrl-C stops everything it started.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Runs just-bin-it end to end: Kafka, the controller, fake detector events and a config with"
          + " one histogram of each type (hist1d, hist2d, dethist, roihist; ev44 in, hs01 out).",
      "Shows the histograms filling in the terminal and on a live page. Ctrl-C stops everything."
    })
public final class Demo implements Callable<Integer> {
  static final String COMMAND_TOPIC = "demo_commands";
  static final String RESPONSE_TOPIC = "demo_responses";
  static final String HEARTBEAT_TOPIC = "demo_heartbeat";
  static final String EVENT_TOPIC = "demo_events";
  static final String HISTOGRAM_TOPIC = "demo_histograms";

  private static final Duration CONTROLLER_START = Duration.ofMinutes(2);
  private static final Duration STOP_GRACE = Duration.ofSeconds(15);

  @Option(
      names = "--port",
      defaultValue = "0",
      description = "the live page's loopback port (default: any free one)")
  private int port;

  @Option(
      names = "--rate",
      defaultValue = "10",
      description = "event messages per second (default: ${DEFAULT-VALUE})")
  private double rate;

  @Option(
      names = "--num-events",
      defaultValue = "1000",
      description = "events per message (default: ${DEFAULT-VALUE})")
  private int numEvents;

  @Option(
      names = "--duration",
      defaultValue = "0",
      paramLabel = "SECONDS",
      description = "stop by itself after this long (default: run until Ctrl-C)")
  private long durationSeconds;

  @Option(
      names = "--root",
      defaultValue = "${sys:jbi.root:-.}",
      description =
          "the project's checkout, where scripts/just-bin-it is (default: ${DEFAULT-VALUE})")
  private Path root;

  @Option(
      names = "--plain",
      description =
          "no refresh in place: a block of lines every 5 s (for logs; scripts/demo"
              + " sets it when the output is no terminal)")
  private boolean plain;

  private final PrintStream out = System.out;
  private final CountDownLatch stop = new CountDownLatch(1);
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final Deque<Runnable> cleanUp = new ArrayDeque<>();

  public static void main(String[] args) {
    System.setProperty("java.awt.headless", "true");
    System.exit(ToolCommandLine.of(new Demo()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    Thread hook = new Thread(this::stopAndAwait, "demo-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      return run();
    } finally {
      while (!cleanUp.isEmpty()) {
        cleanUp.pop().run();
      }
      stopped.countDown();
    }
  }

  private int run() throws Exception {
    Path dir = Files.createTempDirectory("just-bin-it-demo-");
    out.println("starting Kafka ...");
    EmbeddedKafka kafka = EmbeddedKafka.builder().start();
    cleanUp.push(kafka::close);
    String brokers = kafka.bootstrapServers();
    kafka.createTopics(
        1, COMMAND_TOPIC, RESPONSE_TOPIC, HEARTBEAT_TOPIC, EVENT_TOPIC, HISTOGRAM_TOPIC);
    out.println("Kafka at " + brokers + " (log: " + kafka.directory().resolve("server.log") + ")");

    Path controllerLog = dir.resolve("controller.log");
    Process controller = startController(brokers, controllerLog);
    cleanUp.push(() -> stopProcessTree(controller));
    out.println("controller pid " + controller.pid() + " (log: " + controllerLog + ")");

    HistogramBoard board = new HistogramBoard();
    HistogramFollower follower =
        new HistogramFollower(kafka.clientProperties(), HISTOGRAM_TOPIC, true);
    Thread following = new Thread(() -> follower.run(board), "demo-follow");
    following.start();
    cleanUp.push(() -> joinAfter(follower::close, following));

    LiveServer server = new LiveServer(board, HISTOGRAM_TOPIC, port, DemoConfig.kinds());
    cleanUp.push(server::close);

    GenerateEventData generator = new GenerateEventData(out);
    Thread generating =
        new Thread(
            () ->
                ToolCommandLine.of(generator)
                    .execute(
                        "-b",
                        brokers,
                        "-t",
                        EVENT_TOPIC,
                        "--det-hist",
                        "--rate",
                        Double.toString(rate),
                        "--num-events",
                        Integer.toString(numEvents)),
            "demo-generator");
    generating.start();
    cleanUp.push(() -> joinAfter(generator::stopAndAwait, generating));

    if (!awaitHeartbeat(kafka, controller)) {
      out.println("the controller did not come up; its log " + controllerLog + " ends:");
      out.println(tail(controllerLog));
      return 1;
    }
    int response = sendConfig(brokers);
    if (response != 0) {
      out.println("the config was not accepted; the controller's log: " + controllerLog);
      return 1;
    }
    out.println();
    out.println("live page: " + server.address());
    out.println("Ctrl-C stops everything.");
    out.println();
    show(board, controller);
    return controller.isAlive() ? 0 : 1;
  }

  /** The terminal view: a line per histogram, refreshed in place every second. */
  private void show(HistogramBoard board, Process controller) throws InterruptedException {
    boolean terminal = !plain;
    long end =
        durationSeconds > 0
            ? System.nanoTime() + TimeUnit.SECONDS.toNanos(durationSeconds)
            : Long.MAX_VALUE;
    int shown = 0;
    long refreshes = 0;
    while (!stop.await(1, TimeUnit.SECONDS) && System.nanoTime() < end) {
      if (!controller.isAlive()) {
        out.println("the controller exited with status " + controller.exitValue());
        return;
      }
      refreshes++;
      // Without a terminal (a log file) a block every 5 s, not a stream of repeats.
      if (!terminal && refreshes % 5 != 1) {
        continue;
      }
      List<String> lines = TerminalView.lines(board.entries());
      StringBuilder text = new StringBuilder();
      if (terminal && shown > 0) {
        text.append("\033[").append(shown).append('F');
      }
      for (String line : lines) {
        text.append(terminal ? "\033[2K" : "").append(line).append(System.lineSeparator());
      }
      out.print(text);
      out.flush();
      shown = lines.size();
    }
  }

  private Process startController(String brokers, Path log) throws IOException {
    Path script = root.resolve("scripts/just-bin-it").toAbsolutePath().normalize();
    if (!Files.isExecutable(script)) {
      throw new IllegalStateException(
          "cannot find " + script + ": run the demo from the checkout (scripts/demo)");
    }
    // The script builds what is missing and then becomes the controller's JVM (exec).
    return new ProcessBuilder(
            script.toString(),
            "--brokers",
            brokers,
            "--config-topic",
            COMMAND_TOPIC,
            "--response-topic",
            RESPONSE_TOPIC,
            "--hb-topic",
            HEARTBEAT_TOPIC,
            "--log-level",
            "2",
            // One directory holds the demo's logs: the controller's and its workers'.
            "--worker-log-dir",
            log.getParent().toString())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .redirectInput(ProcessBuilder.Redirect.PIPE)
        .start();
  }

  /** The controller is up once it publishes its heartbeat. */
  private boolean awaitHeartbeat(EmbeddedKafka kafka, Process controller) {
    out.println("waiting for the controller's heartbeat ...");
    return kafka.awaitNextRecord(
        HEARTBEAT_TOPIC, CONTROLLER_START, () -> controller.isAlive() && stop.getCount() > 0);
  }

  private int sendConfig(String brokers) {
    String config = DemoConfig.json(brokers, EVENT_TOPIC, HISTOGRAM_TOPIC);
    out.println("sending a config with one histogram of each type ...");
    return ToolCommandLine.of(
            new SendCommand(new ByteArrayInputStream(config.getBytes(StandardCharsets.UTF_8)), out))
        .execute("-b", brokers, "-t", COMMAND_TOPIC, "-rt", RESPONSE_TOPIC, "--timeout", "30");
  }

  /** For the shutdown hook: stops {@link #call()} and waits until it has cleaned up. */
  private void stopAndAwait() {
    stop.countDown();
    try {
      stopped.await(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * SIGTERM to the controller, which stops its workers; whatever of its process tree is still there
   * after the grace period is killed. The tree is listed first: a dead controller's children are no
   * longer its descendants.
   */
  private static void stopProcessTree(Process process) {
    List<ProcessHandle> descendants = process.descendants().toList();
    process.destroy();
    awaitExit(process.toHandle());
    for (ProcessHandle descendant : descendants) {
      descendant.destroy();
      awaitExit(descendant);
    }
  }

  private static void awaitExit(ProcessHandle process) {
    try {
      process.onExit().get(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
      process.destroyForcibly();
      process.onExit().join();
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private static void joinAfter(Runnable stopper, Thread thread) {
    stopper.run();
    try {
      thread.join(STOP_GRACE.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join(
          System.lineSeparator(), lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(cannot read it: " + e.getMessage() + ")";
    }
  }
}
