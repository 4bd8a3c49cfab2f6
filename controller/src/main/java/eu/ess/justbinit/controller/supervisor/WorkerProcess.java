package eu.ess.justbinit.controller.supervisor;

import eu.ess.justbinit.wire.rpc.ControllerMessage;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One launched worker JVM and, once it dialled in, its stream. Its place in the lifecycle ({@link
 * WorkerState}) is kept by {@link WorkerPool}, not here. Any thread may call it (the pool, its
 * histogram, gRPC threads, exit callbacks); it locks itself around the stream, last in the lock
 * order (docs/architecture.md, "Threads"), and calls nothing else while it holds the lock.
 */
final class WorkerProcess {
  private static final Logger LOG = Logger.getLogger(WorkerProcess.class.getName());
  private static final int TAIL_BYTES = 8192;

  private final String key;
  private final Process process;
  private final Path log;
  private final int heapMegabytes;
  private StreamObserver<ControllerMessage> stream;
  private boolean reported;

  WorkerProcess(String key, Process process, Path log, int heapMegabytes) {
    this.key = key;
    this.process = process;
    this.log = log;
    this.heapMegabytes = heapMegabytes;
  }

  /** The heap limit it was started with, in MB (unless the JVM options set their own). */
  int heapMegabytes() {
    return heapMegabytes;
  }

  String key() {
    return key;
  }

  Process process() {
    return process;
  }

  /**
   * Completes once the JVM has exited by itself, or, still alive after {@code grace}, been killed
   * (it may then take a moment more to be gone).
   */
  CompletableFuture<Void> exitWithin(Duration grace) {
    return process
        .onExit()
        .copy()
        .orTimeout(grace.toMillis(), TimeUnit.MILLISECONDS)
        .handle(
            (exited, late) -> {
              if (late != null) {
                process.destroyForcibly();
              }
              return null;
            });
  }

  long pid() {
    return process.pid();
  }

  synchronized boolean attached() {
    return stream != null;
  }

  synchronized void attach(StreamObserver<ControllerMessage> stream) {
    this.stream = stream;
  }

  /** Sends a message if the worker is attached; a broken stream is noticed by the caller. */
  synchronized void send(ControllerMessage message) {
    if (stream == null) {
      return;
    }
    try {
      stream.onNext(message);
    } catch (RuntimeException e) {
      LOG.log(Level.FINE, "Could not send to worker " + pid(), e);
    }
  }

  /** Closes our side of the stream, if there is one. */
  synchronized void closeStream() {
    if (stream == null) {
      return;
    }
    try {
      stream.onCompleted();
    } catch (RuntimeException e) {
      LOG.log(Level.FINE, "Stream to worker " + pid() + " already closed", e);
    }
    stream = null;
  }

  /** The worker reported at least once: it got running. */
  synchronized boolean reported() {
    return reported;
  }

  synchronized void markReported() {
    reported = true;
  }

  /** The last non-blank line the worker wrote to its log, or empty. */
  String lastLogLine() {
    try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
      long length = file.length();
      int size = (int) Math.min(length, TAIL_BYTES);
      byte[] tail = new byte[size];
      file.seek(length - size);
      file.readFully(tail);
      List<String> lines = new String(tail, StandardCharsets.UTF_8).lines().toList();
      for (int i = lines.size() - 1; i >= 0; i--) {
        if (!lines.get(i).isBlank()) {
          return lines.get(i).strip();
        }
      }
    } catch (IOException e) {
      LOG.log(Level.FINE, "Cannot read worker log " + log, e);
    }
    return "";
  }

  Path log() {
    return log;
  }
}
