package eu.ess.justbinit.tools.sendcommand;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import eu.ess.justbinit.tools.cli.ToolCommandLine;
import eu.ess.justbinit.tools.kafka.BrokerOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Sends one JSON command to just-bin-it's config topic and waits for its response: exit status 0 on
 * ACK, 1 on ERR, 2 when none came in time.
 */
@Command(
    name = "send-command",
    mixinStandardHelpOptions = true,
    exitCodeOnInvalidInput = SendCommand.FAILED,
    exitCodeOnExecutionException = SendCommand.FAILED,
    description = {
      "Sends a JSON command (a file, or standard input) to just-bin-it's config topic, adding a"
          + " msg_id when it has none, and prints the response from the response topic.",
      "Exit status: 0 ACK, 1 ERR, 2 no response within the timeout, 3 the command could not be"
          + " sent (bad JSON, bad options, Kafka unreachable)."
    })
public final class SendCommand implements Callable<Integer> {
  static final int ACK = 0;
  static final int ERR = 1;
  static final int TIMEOUT = 2;
  static final int FAILED = 3;

  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Mixin private BrokerOptions brokers;

  @Option(
      names = {"-t", "--config-topic"},
      required = true,
      description = "the topic just-bin-it reads commands from")
  private String configTopic;

  @Option(
      names = {"-rt", "--response-topic"},
      required = true,
      description = "the topic just-bin-it answers on")
  private String responseTopic;

  @Option(
      names = "--timeout",
      defaultValue = "10",
      paramLabel = "SECONDS",
      description = "how long to wait for the response (default: ${DEFAULT-VALUE} s)")
  private double timeoutSeconds;

  @Parameters(
      arity = "0..1",
      paramLabel = "FILE",
      description = "the JSON command; standard input when absent or -")
  private Path file;

  private final InputStream in;
  private final PrintStream out;

  public SendCommand() {
    this(System.in, System.out);
  }

  public SendCommand(InputStream in, PrintStream out) {
    this.in = in;
    this.out = out;
  }

  public static void main(String[] args) {
    System.exit(ToolCommandLine.of(new SendCommand()).execute(args));
  }

  @Override
  public Integer call() throws IOException, InterruptedException {
    ObjectNode command = readCommand();
    if (!command.hasNonNull("msg_id")) {
      command.put("msg_id", UUID.randomUUID().toString());
    }
    JsonNode msgId = command.get("msg_id");
    Duration timeout = Duration.ofMillis((long) (timeoutSeconds * 1000));
    long deadline = System.nanoTime() + timeout.toNanos();
    try (KafkaConsumer<byte[], byte[]> responses = responseConsumer()) {
      // The response may come at once: the consumer's position is fixed before the command goes.
      List<TopicPartition> partitions = partitions(responses, timeout);
      responses.assign(partitions);
      responses.seekToEnd(partitions);
      partitions.forEach(partition -> responses.position(partition, timeout));
      send(MAPPER.writeValueAsBytes(command), timeout);
      out.println("sent: " + command);
      Optional<JsonNode> response = awaitResponse(responses, msgId, deadline);
      if (response.isEmpty()) {
        out.println("no response within " + timeoutSeconds + " s");
        return TIMEOUT;
      }
      out.println("response: " + response.get());
      return "ACK".equals(response.get().path("response").asText()) ? ACK : ERR;
    }
  }

  private ObjectNode readCommand() throws IOException {
    byte[] bytes;
    if (file == null || file.toString().equals("-")) {
      bytes = in.readAllBytes();
    } else {
      bytes = Files.readAllBytes(file);
    }
    JsonNode node;
    try {
      node = MAPPER.readTree(bytes);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "the command is not valid JSON: " + e.getOriginalMessage());
    }
    if (!(node instanceof ObjectNode)) {
      throw new IllegalArgumentException(
          "the command must be a JSON object, not: " + new String(bytes, StandardCharsets.UTF_8));
    }
    return (ObjectNode) node;
  }

  private void send(byte[] value, Duration timeout) throws InterruptedException {
    Map<String, Object> properties = brokers.clientProperties();
    properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout.toMillis());
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(properties, new ByteArraySerializer(), new ByteArraySerializer())) {
      producer
          .send(new ProducerRecord<>(configTopic, value))
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      throw new IllegalStateException(
          "cannot send the command to " + configTopic + ": " + cause.getMessage(), cause);
    }
  }

  private KafkaConsumer<byte[], byte[]> responseConsumer() {
    Map<String, Object> properties = brokers.clientProperties();
    properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    return new KafkaConsumer<>(
        properties, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  private List<TopicPartition> partitions(KafkaConsumer<?, ?> consumer, Duration timeout) {
    try {
      return consumer.partitionsFor(responseTopic, timeout).stream()
          .map(info -> new TopicPartition(responseTopic, info.partition()))
          .collect(Collectors.toList());
    } catch (KafkaException e) {
      throw new IllegalStateException(
          "cannot read the response topic " + responseTopic + ": " + e.getMessage(), e);
    }
  }

  /** The first response with our msg_id; responses to other commands are passed over. */
  private Optional<JsonNode> awaitResponse(
      KafkaConsumer<byte[], byte[]> consumer, JsonNode msgId, long deadline) {
    while (true) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return Optional.empty();
      }
      for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofNanos(left))) {
        Optional<JsonNode> response = parse(record.value());
        if (response.isPresent() && msgId.equals(response.get().get("msg_id"))) {
          return response;
        }
      }
    }
  }

  private static Optional<JsonNode> parse(byte[] value) {
    try {
      return Optional.of(MAPPER.readTree(value));
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
