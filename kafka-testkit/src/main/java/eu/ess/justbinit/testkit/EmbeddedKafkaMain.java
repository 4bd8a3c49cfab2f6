package eu.ess.justbinit.testkit;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * Runs an {@link EmbeddedKafka} broker for the demo and the benchmarks until Ctrl-C or SIGTERM,
 * which stop the broker's JVM too. Prints {@code bootstrap.servers=HOST:PORT} once it is up.
 *
 * <p>Options: {@code --port PORT} (default: a free one), {@code --data-dir DIR} (kept after exit;
 * default: a temporary directory, deleted), {@code --topics T1,T2,...} (created with one partition
 * once the broker is up: the broker creates none by itself).
 */
public final class EmbeddedKafkaMain {
  private static final String USAGE =
      "usage: kafka [--port PORT] [--data-dir DIR] [--topics TOPIC,...]";

  private EmbeddedKafkaMain() {}

  public static void main(String[] args) {
    EmbeddedKafka.Builder builder = EmbeddedKafka.builder();
    String[] topics = {};
    for (int i = 0; i < args.length; i++) {
      String option = args[i];
      if (option.equals("-h") || option.equals("--help")) {
        System.out.println(USAGE);
        return;
      }
      if (i + 1 == args.length) {
        fail("missing value or unknown option: " + option);
      }
      String value = args[++i];
      switch (option) {
        case "--port":
          builder.port(port(value));
          break;
        case "--data-dir":
          builder.dataDir(Path.of(value));
          break;
        case "--topics":
          topics = value.split(",", -1);
          break;
        default:
          fail("unknown option: " + option);
      }
    }
    EmbeddedKafka kafka;
    try {
      kafka = builder.start();
    } catch (RuntimeException e) {
      System.err.println("the broker did not start: " + e.getMessage());
      System.exit(1);
      return;
    }
    // A kept data dir may hold some of them already.
    String[] missing =
        Arrays.stream(topics)
            .filter(topic -> !topic.isBlank() && !kafka.topics().contains(topic))
            .toArray(String[]::new);
    if (missing.length > 0) {
      kafka.createTopics(1, missing);
    }
    System.out.println("bootstrap.servers=" + kafka.bootstrapServers());
    System.out.println("broker pid " + kafka.pid() + ", directory " + kafka.directory());
    System.out.flush();
    int status = kafka.onExit().join().exitValue();
    if (!shuttingDown()) {
      System.err.println("the broker exited with status " + status + ":\n" + kafka.logTail());
      kafka.close();
      System.exit(1);
    }
  }

  private static int port(String value) {
    try {
      int port = Integer.parseInt(value);
      if (port > 0 && port < 65536) {
        return port;
      }
    } catch (NumberFormatException e) {
      // Reported below like any other bad port.
    }
    fail("--port must be a number from 1 to 65535, not " + value);
    return 0;
  }

  /** True once the JVM runs its shutdown hooks, when the broker's exit is ours. */
  private static boolean shuttingDown() {
    try {
      Thread probe = new Thread(() -> {});
      Runtime.getRuntime().addShutdownHook(probe);
      Runtime.getRuntime().removeShutdownHook(probe);
      return false;
    } catch (IllegalStateException e) {
      return true;
    }
  }

  private static void fail(String message) {
    System.err.println(message);
    System.err.println(USAGE);
    System.exit(2);
  }
}
