package eu.ess.justbinit.tools.viewer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;

/**
 * The live page on loopback: {@code /} is a page that polls {@code /api/histograms} every second
 * and shows each histogram (by id) side by side with its state, sum and rate, its image from {@code
 * /image?id=ID&log=0|1} redrawn whenever a new message of it arrived.
 */
public final class LiveServer implements AutoCloseable {
  static final int IMAGE_WIDTH = 640;
  static final int IMAGE_HEIGHT = 400;

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final HistogramBoard board;
  private final String topic;
  private final HttpServer server;
  private final ExecutorService executor;
  private final byte[] page;
  private final PlotKinds kinds;

  /**
   * Serves the board on a loopback port.
   *
   * @param port 0 for any free port
   */
  public LiveServer(HistogramBoard board, String topic, int port) throws IOException {
    this(board, topic, port, PlotKinds.none());
  }

  /**
   * Serves the board on a loopback port, the histograms' axes named for {@code kinds}.
   *
   * @param port 0 for any free port
   */
  public LiveServer(HistogramBoard board, String topic, int port, PlotKinds kinds)
      throws IOException {
    this.board = board;
    this.kinds = kinds;
    this.topic = topic;
    this.page = resource("page.html");
    this.server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    this.executor =
        Executors.newFixedThreadPool(
            4,
            task -> {
              Thread thread = new Thread(task, "live-page");
              thread.setDaemon(true);
              return thread;
            });
    server.setExecutor(executor);
    server.createContext("/", this::page);
    server.createContext("/api/histograms", this::histograms);
    server.createContext("/image", this::image);
    server.start();
  }

  /** The page's address, e.g. http://127.0.0.1:8080/. */
  public URI address() {
    InetSocketAddress bound = server.getAddress();
    return URI.create(
        "http://" + bound.getAddress().getHostAddress() + ":" + bound.getPort() + "/");
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void page(HttpExchange exchange) throws IOException {
    if (!exchange.getRequestURI().getPath().equals("/")) {
      send(
          exchange, 404, "text/plain; charset=utf-8", "not found".getBytes(StandardCharsets.UTF_8));
      return;
    }
    send(exchange, 200, "text/html; charset=utf-8", page);
  }

  private void histograms(HttpExchange exchange) throws IOException {
    ObjectNode body = MAPPER.createObjectNode();
    body.put("topic", topic);
    body.put("undecodable", board.undecodable());
    ArrayNode list = body.putArray("histograms");
    for (HistogramBoard.Entry entry : board.entries()) {
      ObjectNode item = list.addObject();
      item.put("id", entry.summary().id());
      item.put("state", entry.summary().state());
      item.put("total", entry.summary().totalText());
      entry
          .summary()
          .rate()
          .ifPresentOrElse(rate -> item.put("rate", rate), () -> item.putNull("rate"));
      entry.summary().errorMessage().ifPresent(message -> item.put("error_message", message));
      ArrayNode shape = item.putArray("shape");
      entry.summary().shape().forEach(shape::add);
      item.put("schema", entry.message().schema());
      item.put("version", entry.version());
      item.put("kafka_timestamp_ms", entry.kafkaTimestampMs());
      item.set("info", entry.summary().info());
    }
    send(exchange, 200, "application/json", MAPPER.writeValueAsBytes(body));
  }

  private void image(HttpExchange exchange) throws IOException {
    Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
    Optional<HistogramBoard.Entry> entry = board.get(query.getOrDefault("id", ""));
    if (entry.isEmpty()) {
      send(
          exchange,
          404,
          "text/plain; charset=utf-8",
          "no such histogram".getBytes(StandardCharsets.UTF_8));
      return;
    }
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    try {
      ImageIO.write(
          HistogramImage.render(
              entry.get().message(),
              kinds.of(entry.get().summary().id(), entry.get().message()),
              "1".equals(query.get("log")),
              IMAGE_WIDTH,
              IMAGE_HEIGHT),
          "png",
          png);
    } catch (IllegalArgumentException e) {
      send(
          exchange,
          422,
          "text/plain; charset=utf-8",
          e.getMessage().getBytes(StandardCharsets.UTF_8));
      return;
    }
    send(exchange, 200, "image/png", png.toByteArray());
  }

  private static void send(HttpExchange exchange, int status, String type, byte[] body)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> values = new HashMap<>();
    if (raw != null) {
      for (String pair : raw.split("&", -1)) {
        int equals = pair.indexOf('=');
        if (equals > 0) {
          values.put(
              URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
              URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
        }
      }
    }
    return values;
  }

  private static byte[] resource(String name) {
    try (InputStream in = LiveServer.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read resource " + name, e);
    }
  }
}
