package eu.ess.justbinit.tools.outputs;

import eu.ess.justbinit.tools.kafka.BrokerOptions;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The options of the tools that read histograms: the brokers and the histogram topic. */
public final class HistogramTopicOptions {
  @Mixin private BrokerOptions brokers;

  @Option(
      names = {"-t", "--topic"},
      required = true,
      description = "the topic just-bin-it writes histograms to")
  private String topic;

  public String topic() {
    return topic;
  }

  /** A follower of the topic, from the last message of each partition or from the beginning. */
  public HistogramFollower follower(boolean fromBeginning) {
    return new HistogramFollower(brokers.clientProperties(), topic, fromBeginning);
  }
}
