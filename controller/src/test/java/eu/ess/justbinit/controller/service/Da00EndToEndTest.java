package eu.ess.justbinit.controller.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import eu.ess.justbinit.controller.supervisor.WorkerInfo;
import eu.ess.justbinit.testkit.EmbeddedKafka;
import eu.ess.justbinit.testkit.Eventually;
import eu.ess.justbinit.testkit.KafkaBrokerExtension;
import eu.ess.justbinit.testkit.ProcessLevel;
import eu.ess.justbinit.testkit.PublishedHistogram;
import eu.ess.justbinit.testkit.PublishedHistograms;
import eu.ess.justbinit.testkit.TopicReader;
import eu.ess.justbinit.wire.codec.CodecException;
import eu.ess.justbinit.wire.codec.Da00Type;
import eu.ess.justbinit.wire.codec.DataArrayDecoder;
import eu.ess.justbinit.wire.codec.DataArrayEncoder;
import eu.ess.justbinit.wire.codec.DataArrayMessage;
import eu.ess.justbinit.wire.codec.EventEncoder;
import eu.ess.justbinit.wire.codec.FrameDecoder;
import eu.ess.justbinit.wire.rpc.HistogramState;
import eu.ess.justbinit.wire.rpc.WorkerContract;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Predicate;
import java.util.logging.Logger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * da00 end to end with the real controller, worker JVMs and broker: NICOS's BIFROST config, whose
 * beam monitors take the EFU's pre-binned frames (da00) from the topic that also carries ev44
 * monitor events; floating histograms on the wire (hs01 ArrayDouble and da00 float64); and a
 * floating histogram whose worker is killed, resumed from its checkpoint without losing a fraction.
 */
@ExtendWith(KafkaBrokerExtension.class)
@ProcessLevel
class Da00EndToEndTest {
  private static final Logger LOG = Logger.getLogger(Da00EndToEndTest.class.getName());
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The EFU's CBM frame: 512 bins of 139508 ns. */
  private static final int EFU_BINS = 512;

  private static final int EFU_WIDTH = 139_508;
  private static final int TOF_HIGH = 71_428_571;
  private static final int MONITOR_BINS = 744;
  private static final int EVENT_BINS = 100;

  private final Random random = new Random(20261207);

  @Test
  void bifrostMonitorsCountFramesAndEventsFromOneTopicEachIgnoringTheOtherKind(EmbeddedKafka kafka)
      throws Exception {
    try (ServiceHarness service =
        new ServiceHarness(
            kafka,
            ServiceHarness.workerJvmOptions("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"),
            WorkerContract.MAIN_CLASS,
            true)) {
      service.awaitListening();
      String data = service.prefix + "bifrost_beam_monitor";
      String out = service.prefix + "bifrost_visualisation";
      service.createTopics(1, data, out);
      TopicReader responses = service.reader(service.responseTopic);

      String refused =
          config(
              "refused",
              kafka.bootstrapServers(),
              data,
              out,
              nicos("hist2d", "da00", "cbm1", "bad", null));
      service.command(refused);
      JsonNode err = response(responses, "refused");
      assertEquals("ERR", err.path("response").asText());
      assertEquals(
          "histograms[0].input_schema: hist2d cannot take da00 (pre-binned frames); hist1d and"
              + " dethist can",
          err.path("message").asText());

      long sentAt = System.nanoTime();
      service.command(
          config(
              "nicos-bifrost-1765100000",
              kafka.bootstrapServers(),
              data,
              out,
              nicos("hist1d", "da00", "cbm1", "nicos-mon_1-1765100000", null),
              nicos("hist1d", "ev44", "cbm1", "nicos-mon_4-1765100000", null)
                  .replace("\"num_bins\": 744", "\"num_bins\": " + EVENT_BINS)
                  .replace("\"det_range\": [0, 100]", "\"det_range\": [1, 1024]"),
              nicos("hist1d", "da00", "cbm1", "mon_1-da00", "da00")));
      JsonNode ack = response(responses, "nicos-bifrost-1765100000");
      assertEquals("ACK", ack.path("response").asText(), ack.toString());
      LOG.info(() -> "ACK after " + (System.nanoTime() - sentAt) / 1_000_000 + " ms");

      double[] expectedFrames = new double[MONITOR_BINS];
      long[] expectedEvents = new long[EVENT_BINS];
      double[] monitorEdges = linspace(0, TOF_HIGH, MONITOR_BINS);
      double[] eventEdges = linspace(0, TOF_HIGH, EVENT_BINS);
      long pulse = System.currentTimeMillis() * 1_000_000L;
      long lastFramePulse = 0;
      long lastEventPulse = 0;
      long frameTotal = 0;
      for (int i = 0; i < 12; i++) {
        pulse += 71_428_571;
        long[] signal = new long[EFU_BINS];
        for (int b = 0; b < EFU_BINS; b++) {
          signal[b] = random.nextInt(20_000);
          frameTotal += signal[b];
        }
        service.send(data, 0, efuFrame("cbm1", pulse, signal), null);
        rebin(signal, monitorEdges, expectedFrames);
        lastFramePulse = pulse;
        int[] tof = new int[300];
        int[] det = new int[300];
        for (int e = 0; e < tof.length; e++) {
          tof[e] = random.nextInt(TOF_HIGH);
          det[e] = 1 + random.nextInt(1024);
          expectedEvents[bin(eventEdges, tof[e])]++;
        }
        service.send(data, 0, EventEncoder.ev44("cbm1", i, pulse + 1000, tof, det), null);
        lastEventPulse = pulse + 1000;
        if (i == 5) {
          // A broken frame: skipped by the da00 monitors, ignored by the ev44 one.
          service.send(data, 0, brokenFrame("cbm1", pulse + 2000), null);
        }
      }

      PublishedHistograms histograms = service.histograms(out, Da00EndToEndTest::assertDa00Wire);
      long framePulse = lastFramePulse;
      long eventPulse = lastEventPulse;
      PublishedHistogram frames =
          histograms.await(
              "nicos-mon_1-1765100000",
              "the expected histogram",
              p -> p.info().path("last_pulse_time").asLong() == framePulse);
      assertEquals("float64", frames.elementType(), "a BIFROST monitor is floating");
      assertClose(expectedFrames, frames.values());
      assertEquals(
          (double) frameTotal,
          frames.info().path("sum").asDouble(),
          1e-6 * frameTotal,
          "every EFU edge is in range");
      assertEquals(1, frames.info().path("skipped_messages").asLong());
      assertEquals("COUNTING", frames.state());

      PublishedHistogram events =
          histograms.await(
              "nicos-mon_4-1765100000",
              "the expected histogram",
              p -> p.info().path("last_pulse_time").asLong() == eventPulse);
      assertEquals("int64", events.elementType());
      double[] expected = new double[EVENT_BINS];
      for (int b = 0; b < EVENT_BINS; b++) {
        expected[b] = expectedEvents[b];
      }
      assertArrayEquals(expected, events.values());
      assertEquals(12 * 300, events.info().path("sum").asLong());
      assertTrue(events.info().path("sum").isIntegralNumber());
      assertEquals(0, events.info().path("skipped_messages").asLong());

      PublishedHistogram da00 =
          histograms.await(
              "mon_1-da00",
              "the expected histogram",
              p -> p.info().path("last_pulse_time").asLong() == framePulse);
      assertEquals("float64", da00.elementType());
      assertClose(expectedFrames, da00.values());
    }
  }

  @Test
  void aFloatingHistogramResumedAfterItsWorkerWasKilledEndsExactlyAsAnUninterruptedOne(
      EmbeddedKafka kafka) throws Exception {
    try (ServiceHarness service =
        new ServiceHarness(
            kafka,
            ServiceHarness.workerJvmOptions("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"),
            WorkerContract.MAIN_CLASS,
            true)) {
      service.awaitListening();
      String data = service.prefix + "frames";
      String out = service.prefix + "out";
      service.createTopics(1, data, out);
      TopicReader responses = service.reader(service.responseTopic);
      service.command(
          config(
              "go",
              kafka.bootstrapServers(),
              data,
              out,
              nicos("hist1d", "da00", "cbm1", "victim", null),
              nicos("hist1d", "da00", "cbm1", "witness", null),
              nicos("dethist", "da00", "cbm1", "integer-map", null)));
      assertEquals("ACK", response(responses, "go").path("response").asText());

      long pulse = System.currentTimeMillis() * 1_000_000L;
      // Integer frames of 100 columns (the map's 10 x 10), then floating ones: the monitors
      // take column 0 only (det_range [0, 100] keeps all 100 columns, in fact), the map all.
      for (int i = 0; i < 5; i++) {
        service.send(data, 0, mapFrame(pulse += 71_428_571, false), null);
      }
      Eventually.get(
          "the victim counting",
          ServiceHarness.PATIENCE,
          () -> {
            WorkerInfo victim = service.controller.workers().get(0);
            return victim.state() == HistogramState.COUNTING
                    && victim.statistics().getFractionalSum() > 0
                ? Optional.of(victim)
                : Optional.empty();
          });
      long killed = service.controller.workers().get(0).pid();
      ProcessHandle process = ProcessHandle.of(killed).orElseThrow();
      process.destroyForcibly();
      process.onExit().get();
      for (int i = 0; i < 5; i++) {
        service.send(data, 0, mapFrame(pulse += 71_428_571, i % 2 == 0), null);
      }
      Eventually.get(
          "a victim worker other than " + killed,
          ServiceHarness.PATIENCE,
          () -> {
            WorkerInfo victim = service.controller.workers().get(0);
            return victim.pid() != -1 && victim.pid() != killed
                ? Optional.of(victim)
                : Optional.empty();
          });
      long lastPulse = pulse;
      PublishedHistograms histograms = service.histograms(out, Da00EndToEndTest::assertDa00Wire);
      Predicate<PublishedHistogram> complete =
          p -> p.info().path("last_pulse_time").asLong() == lastPulse;
      PublishedHistogram witness = histograms.await("witness", "the expected histogram", complete);
      PublishedHistogram victim = histograms.await("victim", "the expected histogram", complete);
      assertEquals("float64", victim.elementType());
      assertArrayEquals(witness.values(), victim.values(), "the fractions survived exactly");
      assertEquals(witness.info().path("sum").asDouble(), victim.info().path("sum").asDouble());
      assertEquals(1, service.controller.workers().get(0).restarts());
      PublishedHistogram map = histograms.await("integer-map", "the expected histogram", complete);
      assertEquals("float64", map.elementType(), "a floating frame made the map floating");
    }
  }

  @Test
  void nicosEveryKeyConfigOfAllFourTypesPublishedAsDa00(EmbeddedKafka kafka) throws Exception {
    try (ServiceHarness service =
        new ServiceHarness(
            kafka,
            ServiceHarness.workerJvmOptions("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"),
            WorkerContract.MAIN_CLASS,
            true)) {
      service.awaitListening();
      String data = service.prefix + "events";
      String out = service.prefix + "out";
      service.createTopics(1, data, out);
      TopicReader responses = service.reader(service.responseTopic);
      String[] types = {"hist1d", "hist2d", "dethist", "roihist"};
      String[] histograms = new String[types.length];
      for (int i = 0; i < types.length; i++) {
        histograms[i] =
            nicos(types[i], "ev44", "det", types[i], "da00")
                .replace("\"left_edges\": []", "\"left_edges\": [0, 10]");
      }
      service.command(config("all", kafka.bootstrapServers(), data, out, histograms));
      assertEquals("ACK", response(responses, "all").path("response").asText());

      int events = 2000;
      int[] tof = new int[events];
      int[] det = new int[events];
      long inRegion = 0;
      for (int e = 0; e < events; e++) {
        tof[e] = random.nextInt(TOF_HIGH);
        det[e] = random.nextInt(100);
        inRegion += det[e] < 20 ? 1 : 0;
      }
      long pulse = System.currentTimeMillis() * 1_000_000L;
      service.send(data, 0, EventEncoder.ev44("det", 1, pulse, tof, det), null);

      TopicReader reader = service.reader(out);
      PublishedHistograms published =
          new PublishedHistograms(
              reader, ServiceHarness.PATIENCE, Da00EndToEndTest::assertDa00Wire);
      Map<String, Long> sums =
          Map.of(
              "hist1d",
              (long) events,
              "hist2d",
              (long) events,
              "dethist",
              (long) events,
              "roihist",
              inRegion);
      Map<String, List<String>> axes =
          Map.of(
              "hist1d", List.of("time_of_flight"),
              "hist2d", List.of("time_of_flight", "detector_id"),
              "dethist", List.of("x", "y"),
              "roihist", List.of("x", "row"));
      for (String type : types) {
        PublishedHistogram p =
            published.await(
                type,
                "the expected histogram",
                h -> h.info().path("last_pulse_time").asLong() == pulse);
        assertEquals("int64", p.elementType(), type);
        assertEquals(sums.get(type), p.info().path("sum").asLong(), type);
        double total = 0;
        for (double v : p.values()) {
          total += v;
        }
        assertEquals((double) sums.get(type), total, type);
        DataArrayMessage message = lastDataArray(reader, type);
        assertEquals(axes.get(type), message.variable("signal").axes(), type);
        for (int i = 0; i < axes.get(type).size(); i++) {
          DataArrayMessage.Variable edges = message.variable(axes.get(type).get(i));
          assertEquals(
              message.variable("signal").shape()[i] + 1, edges.length(), type + " edges " + i);
        }
      }
    }
  }

  /** The last da00 message on the output topic whose source_name is {@code id}. */
  private static DataArrayMessage lastDataArray(TopicReader reader, String id)
      throws CodecException {
    List<ConsumerRecord<byte[], byte[]>> records = reader.poll();
    DataArrayDecoder decoder = new DataArrayDecoder();
    for (int i = records.size() - 1; i >= 0; i--) {
      DataArrayMessage message = decoder.decode(ByteBuffer.wrap(records.get(i).value()));
      if (message.sourceName().equals(id)) {
        return message;
      }
    }
    throw new AssertionError("no da00 message of " + id);
  }

  // ---------------------------------------------------------------- messages

  /** The EFU's CBM frame: frame_time int32 edges, signal int32 in A, and what the EFU adds. */
  private static byte[] efuFrame(String source, long pulse, long[] signal) {
    return efuFrame(source, pulse, signal, "ns");
  }

  private static byte[] efuFrame(String source, long pulse, long[] signal, String unit) {
    long[] edges = new long[EFU_BINS + 1];
    for (int i = 0; i <= EFU_BINS; i++) {
      edges[i] = (long) i * EFU_WIDTH;
    }
    long total = 0;
    for (long s : signal) {
      total += s;
    }
    return new DataArrayEncoder()
        .encode(
            new DataArrayMessage(
                source,
                pulse,
                List.of(
                    DataArrayMessage.Variable.ofLongs(
                        "frame_time",
                        unit,
                        List.of("frame_time"),
                        new long[] {EFU_BINS + 1},
                        Da00Type.INT32,
                        edges),
                    DataArrayMessage.Variable.ofLongs(
                        "signal",
                        "A",
                        List.of("frame_time"),
                        new long[] {EFU_BINS},
                        Da00Type.INT32,
                        signal),
                    DataArrayMessage.Variable.ofLongs(
                        "reference_time",
                        "ns",
                        List.of("reference_time"),
                        new long[] {1},
                        Da00Type.INT32,
                        new long[] {pulse % 1_000_000_000L}),
                    DataArrayMessage.Variable.ofLongs(
                        "frame_total",
                        "counts",
                        List.of("reference_time"),
                        new long[] {1},
                        Da00Type.UINT64,
                        new long[] {total}))));
  }

  private static byte[] brokenFrame(String source, long pulse) {
    byte[] bytes = efuFrame(source, pulse, new long[EFU_BINS], "ps");
    assertThrowsCodec(bytes);
    return bytes;
  }

  private static void assertThrowsCodec(byte[] bytes) {
    try {
      new FrameDecoder().decode(ByteBuffer.wrap(bytes));
      throw new AssertionError("the broken frame decodes");
    } catch (CodecException e) {
      assertTrue(e.getMessage().contains("ps"), e.getMessage());
    }
  }

  /** 10 x 10 columns of 4 bins over [0, 71428571]: integer counts, or halves when floating. */
  private byte[] mapFrame(long pulse, boolean floating) {
    long[] edges = {0, 10_000_000, 30_000_000, 50_000_000, TOF_HIGH};
    double[] values = new double[100 * 4];
    for (int i = 0; i < values.length; i++) {
      values[i] = random.nextInt(100) + (floating ? 0.5 : 0);
    }
    long[] whole = new long[values.length];
    for (int i = 0; i < values.length; i++) {
      whole[i] = (long) values[i];
    }
    return new DataArrayEncoder()
        .encode(
            new DataArrayMessage(
                "cbm1",
                pulse,
                List.of(
                    floating
                        ? DataArrayMessage.Variable.ofDoubles(
                            "signal",
                            "counts",
                            List.of("pixel", "frame_time"),
                            new long[] {100, 4},
                            Da00Type.FLOAT64,
                            values)
                        : DataArrayMessage.Variable.ofLongs(
                            "signal",
                            "counts",
                            List.of("pixel", "frame_time"),
                            new long[] {100, 4},
                            Da00Type.INT64,
                            whole),
                    DataArrayMessage.Variable.ofLongs(
                        "frame_time",
                        "ns",
                        List.of("frame_time"),
                        new long[] {5},
                        Da00Type.INT64,
                        edges))));
  }

  // ---------------------------------------------------------------- expected values

  private static double[] linspace(double lo, double hi, int n) {
    double[] edges = new double[n + 1];
    double step = (hi - lo) / n;
    for (int i = 0; i < n; i++) {
      edges[i] = lo + i * step;
    }
    edges[n] = hi;
    return edges;
  }

  private static int bin(double[] edges, int x) {
    int i = 0;
    while (i < edges.length - 2 && edges[i + 1] <= x) {
      i++;
    }
    return i;
  }

  /** Adds an EFU frame rebinned by overlap, bin by bin, the plain way. */
  private static void rebin(long[] signal, double[] edges, double[] into) {
    for (int i = 0; i < signal.length; i++) {
      double from = (double) i * EFU_WIDTH;
      double to = (double) (i + 1) * EFU_WIDTH;
      for (int j = 0; j < into.length; j++) {
        double overlap = Math.min(to, edges[j + 1]) - Math.max(from, edges[j]);
        if (overlap > 0) {
          into[j] += signal[i] * overlap / (to - from);
        }
      }
    }
  }

  private static void assertClose(double[] expected, double[] actual) {
    assertEquals(expected.length, actual.length);
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual[i], 1e-9 * Math.max(1, Math.abs(expected[i])), "bin " + i);
    }
  }

  // ---------------------------------------------------------------- config and output

  /** One NICOS histogram: every key, whatever the type, as NICOS sends them. */
  private static String nicos(
      String type, String inputSchema, String source, String id, String outputSchema) {
    return """
        {"type": "%s", "input_schema": "%s", %s"source": "%s", "num_bins": 744,
         "tof_range": [0, 71428571], "det_range": [0, 100], "width": 10, "height": 10,
         "left_edges": [], "data_brokers": ["BROKER"], "data_topics": ["DATA"],
         "topic": "OUT", "id": "%s"}"""
        .formatted(
            type,
            inputSchema,
            outputSchema == null ? "" : "\"output_schema\": \"" + outputSchema + "\", ",
            source,
            id);
  }

  private static String config(
      String msgId, String broker, String data, String out, String... histograms) {
    return """
        {"cmd": "config", "msg_id": "%s", "input_schema": "ev44", "output_schema": "hs01",
         "histograms": [%s]}"""
        .formatted(msgId, String.join(", ", histograms))
        .replace("BROKER", broker)
        .replace("DATA", data)
        .replace("OUT", out);
  }

  private static JsonNode response(TopicReader responses, String msgId) {
    try {
      return JSON.readTree(
          responses
              .await(
                  "the response to " + msgId,
                  record -> ServiceHarness.text(record).contains("\"" + msgId + "\""))
              .value());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** What every da00 histogram says of itself beside its values. */
  private static void assertDa00Wire(byte[] value) {
    try {
      if (FrameDecoder.isDa00(ByteBuffer.wrap(value))) {
        DataArrayMessage message = new DataArrayDecoder().decode(ByteBuffer.wrap(value));
        DataArrayMessage.Variable signal = message.variable("signal");
        assertEquals("counts", signal.unit());
        JsonNode info = JSON.readTree(message.variable("info").text());
        assertEquals(info.path("id").asText(), message.sourceName());
        assertEquals(info.path("last_pulse_time").asLong(), message.timestampNs());
        if (message.variable("time_of_flight") != null) {
          assertEquals("ns", message.variable("time_of_flight").unit());
        }
      }
    } catch (CodecException | IOException e) {
      throw new AssertionError("Not a histogram on the output topic", e);
    }
  }
}
