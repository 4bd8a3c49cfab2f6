package eu.ess.justbinit.bench;

import eu.ess.justbinit.testkit.EmbeddedKafka;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Live latency: a steady producer at the ESS pulse rate (14 Hz) and a live hist1d; a message's
 * latency is from its production to the arrival of the first histogram that includes it. Each
 * message's reference time is when it was produced, so the histogram's last_pulse_time says which
 * messages it includes.
 */
final class LiveLatency {
  static final String TOPIC = "bench_live_events";
  private static final Duration FIRST_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration LAST_TIMEOUT = Duration.ofSeconds(10);

  /** Ahead of the measured messages, so that the worker's read path is warm when they come. */
  private static final Duration WARM_UP = Duration.ofSeconds(2);

  private static final Duration IDLE = Duration.ofSeconds(2);

  private final EmbeddedKafka kafka;
  private final Service service;
  private final HistogramWatch watch;
  private final CatchUp catchUp;

  LiveLatency(EmbeddedKafka kafka, Service service, HistogramWatch watch, CatchUp catchUp) {
    this.kafka = kafka;
    this.service = service;
    this.watch = watch;
    this.catchUp = catchUp;
  }

  /**
   * What one live run measured.
   *
   * @param medianMs the median latency
   * @param p99Ms the 99th percentile
   * @param messages how many messages were measured
   * @param workerIdleMb the worker's VmRSS after its first histogram, before any data came
   * @param workerLoadMb the worker's VmRSS at the end of the steady production
   */
  record Outcome(
      double medianMs, double p99Ms, int messages, long workerIdleMb, long workerLoadMb) {}

  Outcome run(String id, Duration duration, EventData events) throws InterruptedException {
    int mark = watch.mark();
    service.send(catchUp.config(TOPIC, HistogramType.HIST1D, List.of(id), false));
    if (watch.await(mark, p -> p.id().equals(id), FIRST_TIMEOUT).isEmpty()) {
      throw new IllegalStateException("no first histogram of " + id + ":\n" + service.logTail());
    }
    // Idle: started, nothing to read for a while.
    TimeUnit.MILLISECONDS.sleep(IDLE.toMillis());
    long idleMb = workerResidentMb();
    List<Long> sent = new ArrayList<>();
    long periodNs = EventData.PULSE_PERIOD_NS;
    long warmUpEnd = System.nanoTime() + WARM_UP.toNanos();
    long end = warmUpEnd + duration.toNanos();
    Future<RecordMetadata> lastSend = null;
    try (KafkaProducer<byte[], byte[]> producer = liveProducer()) {
      long next = System.nanoTime();
      for (long i = 0; next < end; i++, next += periodNs) {
        long waitNs = next - System.nanoTime();
        if (waitNs > 0) {
          TimeUnit.NANOSECONDS.sleep(waitNs);
        }
        long producedNs = Clock.nowNs();
        lastSend =
            producer.send(new ProducerRecord<>(TOPIC, 0, null, events.message(i, producedNs)));
        if (next >= warmUpEnd) {
          sent.add(producedNs);
        }
      }
      producer.flush();
      if (lastSend != null) {
        lastSend.get();
      }
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot produce live messages", e);
    }
    long loadMb = workerResidentMb();
    long last = sent.get(sent.size() - 1);
    if (watch
        .await(mark, p -> p.id().equals(id) && p.lastPulseTimeNs() >= last, LAST_TIMEOUT)
        .isEmpty()) {
      throw new IllegalStateException("the last live message was never counted");
    }
    List<Published> published = watch.between(mark, watch.mark() - 1, p -> p.id().equals(id));
    double[] latenciesMs = new double[sent.size()];
    int from = 0;
    for (int m = 0; m < sent.size(); m++) {
      long producedNs = sent.get(m);
      while (published.get(from).lastPulseTimeNs() < producedNs) {
        from++;
      }
      latenciesMs[m] = (published.get(from).receivedNs() - producedNs) / 1e6;
    }
    catchUp.stop(List.of(id));
    return new Outcome(
        Results.median(latenciesMs).orElseThrow(),
        Results.percentile(latenciesMs, 0.99),
        sent.size(),
        idleMb,
        loadMb);
  }

  private long workerResidentMb() {
    return service.workers().stream()
        .mapToLong(w -> ProcessMemory.residentMb(w.pid()).orElse(0))
        .max()
        .orElse(0);
  }

  /** Sends each message at once: the latency is the service's, not the producer's batching. */
  private KafkaProducer<byte[], byte[]> liveProducer() {
    var settings = kafka.clientProperties();
    settings.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    settings.put(ProducerConfig.ACKS_CONFIG, "1");
    return new KafkaProducer<>(settings, new ByteArraySerializer(), new ByteArraySerializer());
  }

  static void createTopic(EmbeddedKafka kafka) {
    if (!kafka.topics().contains(TOPIC)) {
      kafka.createTopic(TOPIC, 1);
    }
  }
}
