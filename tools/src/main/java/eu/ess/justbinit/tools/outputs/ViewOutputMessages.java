package eu.ess.justbinit.tools.outputs;

import eu.ess.justbinit.tools.cli.ToolCommandLine;
import eu.ess.justbinit.wire.codec.CodecException;
import eu.ess.justbinit.wire.codec.HistogramMessage;
import java.io.PrintStream;
import java.time.Instant;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The original's view_output_messages: prints each histogram published on a topic. */
@Command(
    name = "view-output-messages",
    mixinStandardHelpOptions = true,
    description = {
      "Follows a histogram topic and prints each message, from the last one of each partition on:",
      "Kafka timestamp, topic:partition:offset, schema, id, state, shape, total counts and the"
          + " other info fields."
    })
public final class ViewOutputMessages implements Callable<Integer>, HistogramFollower.Listener {
  @Mixin private HistogramTopicOptions histograms;

  @Option(
      names = "--from-beginning",
      description = "print every retained message, not only the latest ones")
  private boolean fromBeginning;

  private final PrintStream out;
  private volatile HistogramFollower follower;

  public ViewOutputMessages() {
    this(System.out);
  }

  ViewOutputMessages(PrintStream out) {
    this.out = out;
  }

  public static void main(String[] args) {
    System.exit(ToolCommandLine.of(new ViewOutputMessages()).execute(args));
  }

  @Override
  public Integer call() {
    follower = histograms.follower(fromBeginning);
    Thread hook = new Thread(follower::close, "view-output-messages-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    follower.run(this);
    return 0;
  }

  /** Stops {@link #call()} (for tests; Ctrl-C does it otherwise). */
  void stop() {
    HistogramFollower running = follower;
    if (running != null) {
      running.close();
    }
  }

  @Override
  public void histogram(ConsumerRecord<byte[], byte[]> record, HistogramMessage message) {
    out.println(
        header(record) + " " + message.schema() + " " + HistogramSummary.of(message).describe());
    out.flush();
  }

  @Override
  public void undecodable(ConsumerRecord<byte[], byte[]> record, CodecException error) {
    out.println(header(record) + " not a histogram: " + error.getMessage());
    out.flush();
  }

  /** {@code 2026-11-24T14:03:16.123Z topic:0:42}. */
  static String header(ConsumerRecord<?, ?> record) {
    return Instant.ofEpochMilli(record.timestamp())
        + " "
        + record.topic()
        + ":"
        + record.partition()
        + ":"
        + record.offset();
  }
}
