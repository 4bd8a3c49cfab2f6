package eu.ess.justbinit.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The read ceilings of a topic, each reader in a process of its own: kafka-clients with its
 * defaults, the worker's own source (both in a fresh JVM: its first pass cold, its second warm),
 * and librdkafka through scripts/librdkafka-read or its C twin (bench/src/main/c).
 */
final class ReadCeilingRuns {
  static final String LIBRDKAFKA = "librdkafka";
  static final String DEFAULT_CONSUMER = "kafka-clients defaults";
  static final String WORKER_SOURCE = "worker's KafkaEventSource";
  static final String WORKER_SOURCE_CLASSIC = "worker's KafkaEventSource, classic consumer";
  static final List<String> READERS =
      List.of(LIBRDKAFKA, DEFAULT_CONSUMER, WORKER_SOURCE, WORKER_SOURCE_CLASSIC);
  private static final long READ_TIMEOUT_S = 300;

  private final String brokers;
  private final String javaClasspath;
  private final List<String> librdkafkaReader;
  private final Results results;

  /**
   * @param librdkafkaReader the command, less its arguments, that reads with librdkafka; empty when
   *     there is none
   */
  ReadCeilingRuns(
      String brokers, String javaClasspath, List<String> librdkafkaReader, Results results) {
    this.brokers = brokers;
    this.javaClasspath = javaClasspath;
    this.librdkafkaReader = librdkafkaReader;
    this.results = results;
  }

  /** Whether {@code python} can import confluent_kafka (python3-confluent-kafka). */
  static boolean canImportConfluentKafka(String python) {
    try {
      Process probe =
          new ProcessBuilder(python, "-c", "import confluent_kafka")
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      return probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  void measure(Workload workload, int run) throws IOException, InterruptedException {
    String topic = workload.topic();
    String messages = Integer.toString(workload.messages());
    if (!librdkafkaReader.isEmpty()) {
      record(workload, LIBRDKAFKA, run, read(librdkafkaCommand(topic)));
    }
    record(workload, DEFAULT_CONSUMER, run, read(readerCommand(topic, messages, "default")));
    record(workload, WORKER_SOURCE, run, read(readerCommand(topic, messages, "worker")));
    // kafka-clients' classic consumer does its network I/O only inside poll(), none while the
    // caller works: the worker's source as it was before it asked for the new consumer.
    record(
        workload,
        WORKER_SOURCE_CLASSIC,
        run,
        read(readerCommand(topic, messages, "worker", "group.protocol=classic")));
  }

  private List<String> librdkafkaCommand(String topic) {
    List<String> command = new ArrayList<>(librdkafkaReader);
    command.addAll(List.of(brokers, topic, "2"));
    return command;
  }

  private List<String> readerCommand(String topic, String messages, String... mode) {
    List<String> command =
        new ArrayList<>(
            List.of(
                javaExecutable(),
                "-XX:+UseParallelGC",
                "-cp",
                javaClasspath,
                ReadCeiling.class.getName(),
                brokers,
                topic,
                messages,
                "2"));
    command.addAll(List.of(mode));
    return command;
  }

  private void record(Workload workload, String reader, int run, List<double[]> passes) {
    double events = workload.events();
    double[] fresh = passes.get(0);
    double[] warm = passes.get(1);
    results.add(
        "read",
        workload.name(),
        reader,
        "fresh_Mevents_per_s",
        run,
        events / fresh[0] / 1e6,
        "M events/s");
    results.add(
        "read",
        workload.name(),
        reader,
        "warm_Mevents_per_s",
        run,
        events / warm[0] / 1e6,
        "M events/s");
    results.add(
        "read", workload.name(), reader, "warm_MB_per_s", run, warm[2] / warm[0] / 1e6, "MB/s");
  }

  /**
   * {@code readers} readers of the workload's topic at once, each in a process of its own, for
   * librdkafka and for the worker's source: what the broker and the machine give K histograms on
   * one topic together. The aggregate is the sum of the readers' second-pass rates.
   */
  void measureTogether(Workload workload, int readers, int run)
      throws IOException, InterruptedException {
    String topic = workload.topic();
    String messages = Integer.toString(workload.messages());
    if (!librdkafkaReader.isEmpty()) {
      recordTogether(workload, LIBRDKAFKA, readers, run, read(librdkafkaCommand(topic), readers));
    }
    recordTogether(
        workload,
        WORKER_SOURCE,
        readers,
        run,
        read(readerCommand(topic, messages, "worker"), readers));
  }

  /** The aggregate of {@code readers} readers at once, M events/s, as measureTogether recorded. */
  static String togetherSubject(String reader, int readers) {
    return readers + " × " + reader;
  }

  private void recordTogether(
      Workload workload, String reader, int readers, int run, List<List<double[]>> passes) {
    double aggregate = passes.stream().mapToDouble(p -> workload.events() / p.get(1)[0]).sum();
    results.add(
        "together",
        workload.name(),
        togetherSubject(reader, readers),
        "aggregate_Mevents_per_s",
        run,
        aggregate / 1e6,
        "M events/s");
  }

  /** Runs a reader; one {seconds, messages, bytes} per pass. */
  private static List<double[]> read(List<String> command)
      throws IOException, InterruptedException {
    return read(command, 1).get(0);
  }

  /** Runs {@code copies} of a reader at once; for each, one {seconds, messages, bytes} per pass. */
  private static List<List<double[]>> read(List<String> command, int copies)
      throws IOException, InterruptedException {
    List<Path> outputs = new ArrayList<>();
    List<Process> processes = new ArrayList<>();
    try {
      for (int copy = 0; copy < copies; copy++) {
        Path output = Files.createTempFile("bench-read-", ".txt");
        outputs.add(output);
        processes.add(
            new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start());
      }
      List<List<double[]>> all = new ArrayList<>();
      for (int copy = 0; copy < copies; copy++) {
        all.add(passesOf(processes.get(copy), outputs.get(copy), command));
      }
      return all;
    } finally {
      for (Process process : processes) {
        process.destroyForcibly();
      }
      for (Path output : outputs) {
        Files.deleteIfExists(output);
      }
    }
  }

  private static List<double[]> passesOf(Process process, Path output, List<String> command)
      throws IOException, InterruptedException {
    if (!process.waitFor(READ_TIMEOUT_S, TimeUnit.SECONDS)) {
      throw new IllegalStateException("reader did not finish: " + command);
    }
    List<double[]> passes = new ArrayList<>();
    for (String line : Files.readAllLines(output, StandardCharsets.UTF_8)) {
      if (line.startsWith("pass=")) {
        passes.add(
            new double[] {
              Double.parseDouble(field(line, "seconds")),
              Double.parseDouble(field(line, "messages")),
              Double.parseDouble(field(line, "bytes"))
            });
      }
    }
    if (process.exitValue() != 0 || passes.size() < 2) {
      throw new IllegalStateException(
          "reader failed (" + command + "):\n" + Files.readString(output, StandardCharsets.UTF_8));
    }
    return passes;
  }

  private static String field(String line, String name) {
    for (String part : line.split(" ", -1)) {
      if (part.startsWith(name + "=")) {
        return part.substring(name.length() + 1);
      }
    }
    throw new IllegalStateException("no " + name + " in " + line);
  }

  static String javaExecutable() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
