package eu.ess.justbinit.controller.status;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A Graphite stand-in: collects the plaintext lines it receives. */
public final class GraphiteListener implements AutoCloseable {
  private final ServerSocket server;
  private final List<String> lines = new ArrayList<>();
  private final Thread acceptor;

  /** Listens on loopback {@code port} (0: any free port). */
  public GraphiteListener(int port) throws IOException {
    server = new ServerSocket();
    server.setReuseAddress(true);
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    acceptor = new Thread(this::accept, "graphite-listener");
    acceptor.start();
  }

  private void accept() {
    while (!server.isClosed()) {
      try (Socket socket = server.accept();
          BufferedReader in =
              new BufferedReader(
                  new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          synchronized (lines) {
            lines.add(line);
          }
        }
      } catch (IOException closed) {
        return;
      }
    }
  }

  public int port() {
    return server.getLocalPort();
  }

  /** Every line received so far, once there are at least {@code count}. */
  public Optional<List<String>> received(int count) {
    synchronized (lines) {
      return lines.size() >= count ? Optional.of(List.copyOf(lines)) : Optional.empty();
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    try {
      acceptor.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
