package eu.ess.justbinit.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a worker's time went, from its JFR recording: the execution samples of a span of time
 * counted by the method on top of the stack, by component (that of the innermost frame outside the
 * JDK, so that a copy inside kafka-clients counts for kafka-clients) and by thread.
 */
final class JfrSummary {
  private final Map<String, Integer> byMethod = new HashMap<>();
  private final Map<String, Integer> byComponent = new HashMap<>();
  private final Map<String, Integer> byThread = new HashMap<>();
  private final Map<String, Integer> waiting = new HashMap<>();
  private int samples;
  private int waitingSamples;

  /** The samples taken from {@code from} (included) to {@code to} (excluded). */
  static JfrSummary of(Path recording, Instant from, Instant to) throws IOException {
    JfrSummary summary = new JfrSummary();
    for (RecordedEvent event : RecordingFile.readAllEvents(recording)) {
      if (event.getStartTime().isBefore(from) || !event.getStartTime().isBefore(to)) {
        continue;
      }
      String name = event.getEventType().getName();
      if (name.equals("jdk.ExecutionSample")) {
        summary.add(event);
      } else if (name.equals("jdk.NativeMethodSample")) {
        summary.addWaiting(event);
      }
    }
    return summary;
  }

  private void add(RecordedEvent event) {
    RecordedStackTrace stack = event.getStackTrace();
    if (stack == null || stack.getFrames().isEmpty()) {
      return;
    }
    samples++;
    RecordedFrame top = stack.getFrames().get(0);
    String type = top.getMethod().getType().getName();
    byMethod.merge(type + "." + top.getMethod().getName(), 1, Integer::sum);
    byComponent.merge(component(stack), 1, Integer::sum);
    byThread.merge(threadName(event), 1, Integer::sum);
  }

  private static String component(RecordedStackTrace stack) {
    for (RecordedFrame frame : stack.getFrames()) {
      String type = frame.getMethod().getType().getName();
      if (!type.startsWith("java.") && !type.startsWith("jdk.") && !type.startsWith("sun.")) {
        return component(type);
      }
    }
    return "JDK alone (class loading, threads, ...)";
  }

  /** A thread in native code: mostly waiting (epoll, socket reads); by thread and method. */
  private void addWaiting(RecordedEvent event) {
    RecordedStackTrace stack = event.getStackTrace();
    if (stack == null || stack.getFrames().isEmpty()) {
      return;
    }
    waitingSamples++;
    RecordedFrame top = stack.getFrames().get(0);
    waiting.merge(
        threadName(event)
            + " in "
            + top.getMethod().getType().getName()
            + "."
            + top.getMethod().getName(),
        1,
        Integer::sum);
  }

  private static String threadName(RecordedEvent event) {
    return event.getThread("sampledThread") == null
        ? "?"
        : event.getThread("sampledThread").getJavaName();
  }

  /** The part of the worker a class belongs to. */
  private static String component(String type) {
    if (type.startsWith("eu.ess.justbinit.worker.histogram.")) {
      return "binning (histogram)";
    }
    if (type.startsWith("eu.ess.justbinit.wire.codec.")
        || type.startsWith("com.google.flatbuffers")) {
      return "decoding (codec, flatbuffers)";
    }
    if (type.startsWith("eu.ess.justbinit.")) {
      return "worker (loop, publish, link)";
    }
    if (type.startsWith("org.apache.kafka.")) {
      return "kafka-clients";
    }
    if (type.startsWith("io.grpc.") || type.startsWith("com.google.protobuf")) {
      return "gRPC, protobuf";
    }
    return "other libraries";
  }

  /** Markdown: a table of the top entries of each view, with their share of the samples. */
  String markdown(int top) {
    StringBuilder text = new StringBuilder();
    text.append("Execution samples: ").append(samples).append("\n\n");
    table(text, "component", byComponent, top, samples);
    table(text, "top-of-stack method", byMethod, top, samples);
    table(text, "thread", byThread, top, samples);
    text.append("Native-method samples (threads in native code, mostly waiting): ")
        .append(waitingSamples)
        .append("\n\n");
    table(text, "thread in native method", waiting, top, waitingSamples);
    return text.toString();
  }

  private static void table(
      StringBuilder text, String what, Map<String, Integer> counts, int top, int total) {
    text.append("| ").append(what).append(" | samples | share |\n|---|---:|---:|\n");
    List<Map.Entry<String, Integer>> sorted =
        counts.entrySet().stream()
            .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
            .limit(top)
            .collect(Collectors.toList());
    for (Map.Entry<String, Integer> entry : sorted) {
      text.append(
          String.format(
              "| `%s` | %d | %.1f %% |%n",
              entry.getKey(), entry.getValue(), 100.0 * entry.getValue() / Math.max(1, total)));
    }
    text.append('\n');
  }
}
