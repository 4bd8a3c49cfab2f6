package eu.ess.justbinit.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The read-ceiling phase: how fast plain readers read each workload without decoding, with the
 * readers this machine has (librdkafka where it can be run, its anchor where not). The scaling
 * phase borrows the same readers for its K-at-once runs. Called from the bench's main thread.
 */
final class ReadCeilings {
  private final BenchOptions options;
  private final ReadCeilingRuns readers;

  /**
   * Chooses the readers; adds to {@code notes} which librdkafka reader the report quotes.
   *
   * @param brokers the broker's bootstrap servers
   */
  ReadCeilings(BenchOptions options, String brokers, Results results, List<String> notes) {
    this.options = options;
    this.readers =
        new ReadCeilingRuns(
            brokers, options.readerClasspath(), librdkafkaReader(options, notes), results);
  }

  /** Each workload read {@link BenchOptions#repeats()} times by each reader. */
  void measure(List<Workload> workloads) throws IOException, InterruptedException {
    System.out.println("read ceilings, load " + Machine.loadAverage());
    for (Workload workload : workloads) {
      for (int run = 1; run <= options.repeats(); run++) {
        readers.measure(workload, run);
      }
    }
  }

  ReadCeilingRuns readers() {
    return readers;
  }

  /** The command that reads with librdkafka, less its arguments; empty (and a note) for none. */
  private static List<String> librdkafkaReader(BenchOptions options, List<String> notes) {
    Path program = options.librdkafkaProgram();
    if (program != null) {
      if (Files.isExecutable(program)) {
        notes.add(
            "librdkafka read by bench/src/main/c/librdkafka-read.c (librdkafka's defaults, as"
                + " scripts/librdkafka-read)");
        return List.of(program.toString());
      }
      notes.add(
          "librdkafka: " + program + " is no executable; its anchor (125 M events/s) stands in");
      return List.of();
    }
    String python = options.python();
    if (ReadCeilingRuns.canImportConfluentKafka(python)) {
      return List.of(python, options.root().resolve("scripts/librdkafka-read").toString());
    }
    notes.add(
        "librdkafka: "
            + python
            + " cannot import confluent_kafka (apt-get install"
            + " python3-confluent-kafka); its anchor (125 M events/s) stands in");
    return List.of();
  }
}
