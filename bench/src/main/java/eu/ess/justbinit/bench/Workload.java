package eu.ess.justbinit.bench;

import java.util.Locale;

/**
 * A topic of ev44 messages of equal size on one partition: Gaussian times of flight in [0, 1e8) ns
 * and pixel ids in [1, 6144].
 *
 * @param name A, B or A10 (the bench's names), with a suffix when scaled down
 * @param messages how many messages the topic holds
 * @param eventsPerMessage events in each message
 */
record Workload(String name, int messages, int eventsPerMessage) {

  /** The bench's workload of this name, its message count divided by {@code scale}. */
  static Workload named(String name, int scale) {
    Workload full =
        switch (name.toUpperCase(Locale.ROOT)) {
          case "A" -> new Workload("A", 200, 100_000);
          case "B" -> new Workload("B", 20_000, 1_000);
          case "A10" -> new Workload("A10", 2_000, 100_000);
          default -> throw new IllegalArgumentException("unknown workload " + name + ": A, B, A10");
        };
    return scale == 1
        ? full
        : new Workload(
            full.name + "/" + scale, Math.max(1, full.messages / scale), full.eventsPerMessage);
  }

  long events() {
    return (long) messages * eventsPerMessage;
  }

  /** The data topic: one per workload and size, so a kept broker directory can serve again. */
  String topic() {
    return "bench_events_" + name.replace('/', '_') + "_" + messages;
  }

  /** The workload this one is a scaled copy of (the anchors are per workload). */
  String base() {
    int slash = name.indexOf('/');
    return slash < 0 ? name : name.substring(0, slash);
  }
}
