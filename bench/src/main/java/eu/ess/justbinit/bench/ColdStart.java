package eu.ess.justbinit.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import eu.ess.justbinit.testkit.EmbeddedKafka;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The cold start, as an operator meets it: a fresh service (its own controller JVM), a probe config
 * (a small hist1d) from a fixed delay after the start, sent again until the controller answers,
 * until its first histogram; stop; a fixed delay later the catch-up config of one type (from before
 * a stored workload's first message), timed to the histogram that counted its last message; stop;
 * then the same catch-up again on the now warm service. Called from the bench's one thread.
 */
final class ColdStart {
  /** How long after a stop the next config is sent; and after the start, the late probe. */
  static final Duration DELAY = Duration.ofSeconds(1);

  /**
   * How often the probe is sent again while the controller has not answered (as the original's).
   */
  private static final Duration PROBE_AGAIN = Duration.ofMillis(500);

  private static final Duration START_TIMEOUT = Duration.ofMinutes(2);
  private static final Duration FIRST_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration DONE_TIMEOUT = Duration.ofMinutes(2);

  private final EmbeddedKafka kafka;
  private final String controllerClasspath;
  private final List<String> controllerJvmOptions;
  private final String workerJvmOptions;
  private final long publishIntervalMs;
  private final Path runDir;

  /**
   * @param controllerJvmOptions options of the controller's own JVM (the bench's A/B levers)
   * @param workerJvmOptions the controller's --worker-jvm-options; null for its default
   */
  ColdStart(
      EmbeddedKafka kafka,
      String controllerClasspath,
      List<String> controllerJvmOptions,
      String workerJvmOptions,
      long publishIntervalMs,
      Path runDir) {
    this.kafka = kafka;
    this.controllerClasspath = controllerClasspath;
    this.controllerJvmOptions = controllerJvmOptions;
    this.workerJvmOptions = workerJvmOptions;
    this.publishIntervalMs = publishIntervalMs;
    this.runDir = runDir;
  }

  /**
   * What one fresh service did.
   *
   * @param startToFirstS from the controller's process start to the probe's first histogram
   * @param probeToFirstS from sending the probe the controller answered to its first histogram
   * @param probesSent how many probes were sent until one was answered
   * @param coldCatchUpS the catch-up config, the first of its type, from its sending to the
   *     histogram that counted the last message
   * @param coldFirstS the same config to its first histogram
   * @param warmCatchUpS the same config again, on the warm service
   * @param workerPeakMb the largest VmHWM of the worker of the cold catch-up
   */
  record Outcome(
      double startToFirstS,
      double probeToFirstS,
      int probesSent,
      double coldCatchUpS,
      double coldFirstS,
      double warmCatchUpS,
      long workerPeakMb) {}

  /**
   * @param probeDelay how long after the controller's start the first probe is sent: zero for the
   *     original's protocol (probes from the start), {@link #DELAY} for a config that comes late
   */
  Outcome run(Workload workload, HistogramType type, String label, Duration probeDelay)
      throws IOException, InterruptedException {
    Path log = runDir.resolve("cold-" + label + ".log");
    try (Service service =
            Service.launch(
                controllerClasspath,
                controllerJvmOptions,
                kafka,
                publishIntervalMs,
                workerJvmOptions,
                1,
                log);
        HistogramWatch watch =
            new HistogramWatch(kafka.clientProperties(), CatchUp.HISTOGRAM_TOPIC)) {
      CatchUp configs = new CatchUp(service, watch, kafka.bootstrapServers());
      sleepUntil(service.startedNs() + probeDelay.toNanos());
      String probeId = "probe-" + label;
      int mark = watch.mark();
      // On the workload's topic from its end: nothing to count, a first histogram at once.
      ObjectNode probe =
          configs.config(workload.topic(), HistogramType.HIST1D, List.of(probeId), false);
      Map<String, Long> sent = new HashMap<>();
      long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
      Optional<JsonNode> answer = Optional.empty();
      boolean probeAgain = true;
      while (answer.isEmpty()) {
        if (!service.alive() || System.nanoTime() > deadline) {
          throw new IllegalStateException("no answer to the probe; see " + log);
        }
        if (probeAgain) {
          Service.Sent one = service.post(probe.deepCopy());
          sent.put(one.messageId(), one.sentNs());
        }
        Optional<JsonNode> response = service.response(sent.keySet(), PROBE_AGAIN);
        // Probes sent while the service started are read in one batch: the latest is taken and
        // the others are refused as superseded, with the answer to the latest right behind.
        probeAgain = response.isEmpty();
        answer = response.filter(r -> !r.path("message").asText().startsWith("Superseded"));
      }
      requireAck(answer.get(), log);
      long probeSentNs = sent.get(answer.get().path("msg_id").asText());
      Published first =
          await(watch, mark, p -> p.id().equals(probeId), FIRST_TIMEOUT, "probe", log);
      double startToFirstS = (first.timestampNs() - service.startedNs()) / 1e9;
      double probeToFirstS = (first.timestampNs() - probeSentNs) / 1e9;
      configs.stop(List.of(probeId));

      Thread.sleep(DELAY.toMillis());
      Timed cold = catchUp(service, watch, configs, workload, type, label + "-cold", log);
      configs.stop(List.of(label + "-cold"));
      Thread.sleep(DELAY.toMillis());
      Timed warm = catchUp(service, watch, configs, workload, type, label + "-warm", log);
      configs.stop(List.of(label + "-warm"));
      return new Outcome(
          startToFirstS,
          probeToFirstS,
          sent.size(),
          cold.doneS,
          cold.firstS,
          warm.doneS,
          cold.workerPeakMb);
    }
  }

  private record Timed(double firstS, double doneS, long workerPeakMb) {}

  private Timed catchUp(
      Service service,
      HistogramWatch watch,
      CatchUp configs,
      Workload workload,
      HistogramType type,
      String id,
      Path log)
      throws InterruptedException {
    int mark = watch.mark();
    Service.Sent sent = service.post(configs.config(workload.topic(), type, List.of(id), true));
    requireAck(
        service
            .response(java.util.Set.of(sent.messageId()), FIRST_TIMEOUT)
            .orElseThrow(() -> new IllegalStateException("no answer to " + id + "; see " + log)),
        log);
    long lastReferenceNs = EventData.referenceTimeNs(workload.messages() - 1);
    Published first = await(watch, mark, p -> p.id().equals(id), FIRST_TIMEOUT, id, log);
    Published done =
        await(
            watch,
            mark,
            p -> p.id().equals(id) && p.lastPulseTimeNs() == lastReferenceNs,
            DONE_TIMEOUT,
            id + " counting the last message",
            log);
    long peak = 0;
    for (ProcessHandle worker : service.workers()) {
      peak = Math.max(peak, ProcessMemory.peakResidentMb(worker.pid()).orElse(0));
    }
    return new Timed(
        (first.timestampNs() - sent.sentNs()) / 1e9,
        (done.timestampNs() - sent.sentNs()) / 1e9,
        peak);
  }

  private static void requireAck(JsonNode response, Path log) {
    if (!response.path("response").asText().equals("ACK")) {
      throw new IllegalStateException(
          "the service refused a config: " + response.path("message").asText() + "; see " + log);
    }
  }

  private static Published await(
      HistogramWatch watch,
      int mark,
      Predicate<Published> test,
      Duration timeout,
      String what,
      Path log)
      throws InterruptedException {
    return watch
        .await(mark, test, timeout)
        .orElseThrow(
            () -> new IllegalStateException("no " + what + " in " + timeout + "; see " + log))
        .published();
  }

  /** A protocol's fixed delay, not a synchronisation: the operator's config comes at that time. */
  private static void sleepUntil(long epochNs) throws InterruptedException {
    long leftMs = (epochNs - Clock.nowNs()) / 1_000_000;
    if (leftMs > 0) {
      Thread.sleep(leftMs);
    }
  }
}
