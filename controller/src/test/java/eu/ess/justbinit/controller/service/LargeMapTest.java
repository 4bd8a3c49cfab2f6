package eu.ess.justbinit.controller.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import eu.ess.justbinit.testkit.EmbeddedKafka;
import eu.ess.justbinit.testkit.KafkaBrokerExtension;
import eu.ess.justbinit.testkit.ProcessLevel;
import eu.ess.justbinit.testkit.TopicReader;
import eu.ess.justbinit.wire.codec.CodecException;
import eu.ess.justbinit.wire.codec.EventEncoder;
import eu.ess.justbinit.wire.codec.HistogramDecoder;
import eu.ess.justbinit.wire.codec.HistogramMessage;
import eu.ess.justbinit.wire.rpc.WorkerContract;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A detector map of today's largest size (TBL's 4096 x 4096, 16.7 M pixels) through the real
 * controller, a real worker with the heap the controller fits to it, and the real broker with its
 * 64 MB message limit: the 134 MB histogram goes out compressed (the default) and reads back whole.
 */
@ExtendWith(KafkaBrokerExtension.class)
@ProcessLevel
class LargeMapTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int SIDE = 4096;

  @Test
  void a4096By4096MapIsPublishedAndReadBack(EmbeddedKafka kafka) throws Exception {
    try (ServiceHarness service =
        new ServiceHarness(
            kafka,
            settings ->
                settings.withWorkers(
                    // Each publish encodes and compresses 134 MB: a few are enough here.
                    Duration.ofSeconds(2),
                    // No -Xmx: the controller fits the worker's heap to the map.
                    List.of("-XX:+UseSerialGC")),
            WorkerContract.MAIN_CLASS,
            true)) {
      String data = service.prefix + "data";
      String out = service.prefix + "out";
      kafka.createTopic(data, 1);
      kafka.createTopic(out, 1);
      service.awaitListening();
      TopicReader histograms = service.reader(out);
      TopicReader responses = service.reader(service.responseTopic);
      service.command(
          """
          {"cmd": "config", "msg_id": "tbl", "input_schema": "ev44", "output_schema": "hs01",
           "histograms": [
            {"type": "dethist", "data_brokers": ["%s"], "data_topics": ["%s"],
             "det_range": [1, 16777216], "width": 4096, "height": 4096, "topic": "%s",
             "id": "tbl"}]}"""
              .formatted(kafka.bootstrapServers(), data, out));
      // Live: the events must come after the ACK.
      responses.await("the ACK", r -> ServiceHarness.text(r).contains("\"ACK\""));
      // Pixel p (from 1) is x = (p - 1) % width, y = (p - 1) / width; row-major x * height + y.
      int[] pixels = {1, 4096, 4097, 16_777_216, 16_777_216, 8_390_657};
      service.send(
          data, 0, EventEncoder.ev44("tbl", 1, 1_000_000L, new int[pixels.length], pixels), null);

      HistogramMessage map =
          decode(
              histograms.await(
                  "the map with its six events",
                  record ->
                      record.value().length > 0 && decode(record).info().contains("\"sum\":6")));
      assertArrayEquals(new int[] {SIDE, SIDE}, map.shape());
      long[] counts = map.data().integers();
      assertEquals((long) SIDE * SIDE, counts.length);
      assertEquals(1, counts[0]); // pixel 1: x 0, y 0
      assertEquals(1, counts[4095 * SIDE]); // pixel 4096: x 4095, y 0
      assertEquals(1, counts[1]); // pixel 4097: x 0, y 1
      assertEquals(2, counts[4095 * SIDE + 4095]); // the last pixel, twice
      assertEquals(1, counts[2048 * SIDE + 2048]); // pixel 8390657: x 2048, y 2048
      long sum = 0;
      for (long count : counts) {
        sum += count;
      }
      assertEquals(6, sum);
      assertEquals(
          "COUNTING", JSON.readTree(map.info()).path("state").asText(), "counting at 16.7 M bins");
    }
  }

  private static HistogramMessage decode(ConsumerRecord<byte[], byte[]> record) {
    try {
      return new HistogramDecoder().decode(ByteBuffer.wrap(record.value()));
    } catch (CodecException e) {
      throw new UncheckedIOException(new IOException(e));
    }
  }
}
