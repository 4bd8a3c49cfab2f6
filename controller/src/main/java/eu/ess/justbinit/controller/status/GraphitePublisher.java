package eu.ess.justbinit.controller.status;

import eu.ess.justbinit.controller.supervisor.WorkerInfo;
import eu.ess.justbinit.wire.rpc.HistogramState;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.logging.Logger;

/**
 * Sends each histogram's statistics to Graphite in its plaintext protocol. {@link #publish} is
 * called by the controller's ticker thread and locks this publisher for the whole send, so that
 * sends never overlap and whether the server is down is kept consistently. The metrics are named as
 * the original names them: {@code <prefix>.<metric><p>-<i>-sum} and {@code ...-diff}, where p is
 * the histogram's slot ({@link WorkerInfo#index}: its position in the config, the original's
 * process index) and i its index within that process (always 0: one histogram per process),
 * timestamped with the last pulse time in whole seconds.
 *
 * <p>Like the original's sender it connects for every batch, so a restarted server is picked up
 * without further ado; a server that is down is logged once, not every second.
 */
public final class GraphitePublisher {
  private static final Logger LOG = Logger.getLogger(GraphitePublisher.class.getName());
  private static final int CONNECT_TIMEOUT_MS = 1000;

  private final String host;
  private final int port;
  private final String namePrefix;
  private boolean down;

  /**
   * @param prefix prepended with a dot when not empty
   * @param metric base name of each histogram's metrics
   */
  public GraphitePublisher(String host, int port, String prefix, String metric) {
    this.host = host;
    this.port = port;
    this.namePrefix = (prefix.isEmpty() ? "" : prefix + ".") + metric;
  }

  /** Sends the statistics of every histogram that has reported; never throws. */
  public synchronized void publish(List<WorkerInfo> histograms) {
    String lines = lines(histograms);
    if (lines.isEmpty()) {
      return;
    }
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MS);
      OutputStream out = socket.getOutputStream();
      out.write(lines.getBytes(StandardCharsets.UTF_8));
      out.flush();
      if (down) {
        down = false;
        LOG.info(() -> "Graphite server " + host + ":" + port + " is back");
      }
    } catch (IOException e) {
      if (!down) {
        down = true;
        LOG.warning(
            () ->
                "Cannot send statistics to the Graphite server "
                    + host
                    + ":"
                    + port
                    + " ("
                    + e.getMessage()
                    + "); will keep trying every second");
      }
    }
  }

  /** The plaintext lines for these histograms. */
  String lines(List<WorkerInfo> histograms) {
    StringBuilder lines = new StringBuilder();
    for (WorkerInfo histogram : histograms) {
      if (histogram.state() == HistogramState.HISTOGRAM_STATE_UNSPECIFIED) {
        continue; // nothing reported yet: the original sends nothing for it either
      }
      String name = namePrefix + histogram.index() + "-0-";
      // Python's round(): halves to even.
      long seconds = (long) Math.rint(histogram.statistics().getLastPulseTimeNs() / 1e9);
      lines.append(name).append("sum ").append(histogram.statistics().getSum());
      lines.append(' ').append(seconds).append('\n');
      lines.append(name).append("diff ").append(histogram.statistics().getDiff());
      lines.append(' ').append(seconds).append('\n');
    }
    return lines.toString();
  }
}
