package eu.ess.justbinit.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * One catch-up: a config whose start lies before the first stored message, for K histograms of one
 * type on one workload's topic, through the real controller and its workers; measured on the
 * histogram topic until every histogram has counted the workload's last message, then stopped.
 */
final class CatchUp {
  static final String HISTOGRAM_TOPIC = "bench_histograms";

  /** 2020-01-01: before every stored message, whose Kafka timestamps are when they were made. */
  static final long START_MS = 1_577_836_800_000L;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration FIRST_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration FINISH_TIMEOUT = Duration.ofSeconds(30);

  /** Slower than any rate worth reporting: the wait for the last message gives up after this. */
  private static final double SLOWEST_EVENTS_PER_S = 200_000;

  private final Service service;
  private final HistogramWatch watch;
  private final String brokers;

  CatchUp(Service service, HistogramWatch watch, String brokers) {
    this.service = service;
    this.watch = watch;
    this.brokers = brokers;
  }

  /**
   * What one histogram of a catch-up did.
   *
   * @param firstNs when the first histogram was published, ns since epoch
   * @param configToFirstS from sending the config to the first histogram's publication
   * @param sendToDoneS from sending the config to the publication whose sum includes every message
   * @param rateEventsPerS the workload's events over the time from the first histogram to that one
   * @param publishes the histograms published from the first to that one, both included
   * @param maxGapMs the longest time between two of them
   * @param firstState the first histogram's state
   * @param sum the sum that includes every message
   */
  record Outcome(
      long firstNs,
      double configToFirstS,
      double sendToDoneS,
      double rateEventsPerS,
      int publishes,
      double maxGapMs,
      String firstState,
      long sum) {}

  /**
   * What a catch-up of K histograms did.
   *
   * @param histograms one outcome each
   * @param workerPeakMb the largest VmHWM of the workers
   * @param workerCpuS the CPU seconds the workers spent from the config to the last histogram's
   *     done: the work a catch-up cost, steadier than its rate, which the other processes on the
   *     same cores sway
   * @param workerCpuByThread the same by thread name (CpuTime.threadSeconds): where it went, JIT
   *     compilers and collectors included, which a sampling profiler misses
   * @param controllerMb the controller's VmRSS when the last histogram was done
   */
  record Outcomes(
      List<Outcome> histograms,
      long workerPeakMb,
      double workerCpuS,
      Map<String, Double> workerCpuByThread,
      long controllerMb) {}

  Outcomes run(Workload workload, HistogramType type, int count, String idPrefix)
      throws InterruptedException {
    List<String> ids = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      ids.add(count == 1 ? idPrefix : idPrefix + "-h" + i);
    }
    ObjectNode config = config(workload.topic(), type, ids, true);
    int mark = watch.mark();
    // The workers are spares until the config arrives: their CPU so far (JVM start, rehearsal).
    service.awaitSpares();
    Map<Long, Double> cpuBeforeS = new HashMap<>();
    Map<Long, Map<String, Double>> threadCpuBeforeS = new HashMap<>();
    ProcessHandle.of(service.pid()).stream()
        .flatMap(ProcessHandle::descendants)
        .forEach(
            process -> {
              cpuBeforeS.put(process.pid(), CpuTime.processSeconds(process.pid()));
              threadCpuBeforeS.put(process.pid(), CpuTime.threadSeconds(process.pid()));
            });
    long sentNs = service.send(config);
    long lastReferenceNs = EventData.referenceTimeNs(workload.messages() - 1);
    Duration timeout =
        FIRST_TIMEOUT.plusSeconds((long) (workload.events() * count / SLOWEST_EVENTS_PER_S));
    List<HistogramWatch.Indexed> firsts = new ArrayList<>();
    List<HistogramWatch.Indexed> dones = new ArrayList<>();
    for (String id : ids) {
      firsts.add(
          await(mark, p -> p.id().equals(id), FIRST_TIMEOUT, "the first histogram of " + id));
    }
    for (String id : ids) {
      dones.add(
          await(
              mark,
              p -> p.id().equals(id) && p.lastPulseTimeNs() == lastReferenceNs,
              timeout,
              "the histogram of " + id + " that counted the last message"));
    }
    long workerPeak = 0;
    double workerCpuS = 0;
    Map<String, Double> workerCpuByThread = new TreeMap<>();
    for (ProcessHandle worker : service.workers()) {
      workerPeak = Math.max(workerPeak, ProcessMemory.peakResidentMb(worker.pid()).orElse(0));
      workerCpuS +=
          CpuTime.processSeconds(worker.pid()) - cpuBeforeS.getOrDefault(worker.pid(), 0.0);
      Map<String, Double> before = threadCpuBeforeS.getOrDefault(worker.pid(), Map.of());
      CpuTime.threadSeconds(worker.pid())
          .forEach(
              (thread, seconds) ->
                  workerCpuByThread.merge(
                      thread, seconds - before.getOrDefault(thread, 0.0), Double::sum));
    }
    OptionalLong controllerMb = ProcessMemory.residentMb(service.pid());
    List<Outcome> outcomes = new ArrayList<>();
    for (int i = 0; i < ids.size(); i++) {
      outcomes.add(outcome(ids.get(i), sentNs, firsts.get(i), dones.get(i), workload.events()));
    }
    stop(ids);
    return new Outcomes(
        outcomes, workerPeak, workerCpuS, workerCpuByThread, controllerMb.orElse(0));
  }

  private Outcome outcome(
      String id,
      long sentNs,
      HistogramWatch.Indexed first,
      HistogramWatch.Indexed done,
      long events) {
    List<Published> during = watch.between(first.index(), done.index(), p -> p.id().equals(id));
    double maxGapMs = 0;
    for (int i = 1; i < during.size(); i++) {
      maxGapMs =
          Math.max(maxGapMs, (during.get(i).timestampNs() - during.get(i - 1).timestampNs()) / 1e6);
    }
    long firstNs = first.published().timestampNs();
    long doneNs = done.published().timestampNs();
    return new Outcome(
        firstNs,
        (firstNs - sentNs) / 1e9,
        (doneNs - sentNs) / 1e9,
        events / ((doneNs - firstNs) / 1e9),
        during.size(),
        maxGapMs,
        first.published().state(),
        done.published().sum());
  }

  /** Stops the histograms and waits until their final publication and their workers' exit. */
  void stop(List<String> ids) throws InterruptedException {
    int mark = watch.mark();
    ObjectNode stop = JSON.createObjectNode();
    stop.put("cmd", "stop");
    service.send(stop);
    for (String id : ids) {
      await(
          mark,
          p -> p.id().equals(id) && p.state().equals("FINISHED"),
          FINISH_TIMEOUT,
          "the FINISHED histogram of " + id);
    }
    service.awaitNoWorkers();
  }

  private HistogramWatch.Indexed await(
      int mark, java.util.function.Predicate<Published> test, Duration timeout, String what)
      throws InterruptedException {
    return watch
        .await(mark, test, timeout)
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "no "
                        + what
                        + " in "
                        + timeout
                        + "; the controller's log:\n"
                        + service.logTail()));
  }

  /** A config of histograms of one type on a data topic; from its start when asked. */
  ObjectNode config(String topic, HistogramType type, List<String> ids, boolean fromStart) {
    ObjectNode config = JSON.createObjectNode();
    config.put("cmd", "config");
    if (fromStart) {
      config.put("start", START_MS);
    }
    config.put("input_schema", "ev44");
    config.put("output_schema", "hs01");
    ArrayNode histograms = config.putArray("histograms");
    for (String id : ids) {
      ObjectNode histogram = histograms.addObject();
      type.configure(histogram);
      histogram.putArray("data_brokers").add(brokers);
      histogram.putArray("data_topics").add(topic);
      histogram.put("topic", HISTOGRAM_TOPIC);
      histogram.put("id", id);
    }
    return config;
  }
}
