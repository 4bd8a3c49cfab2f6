package eu.ess.justbinit.controller.state;

import eu.ess.justbinit.wire.rpc.Checkpoint;
import eu.ess.justbinit.wire.rpc.HistogramSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One histogram's file in the {@link HistogramStateStore}: takes every checkpoint its workers send
 * and writes the latest to the disk, at most once per {@link #interval} (large histograms and slow
 * disks less often), until the histogram is forgotten. Any thread may call it; the writing is done
 * by the store's thread.
 */
public final class StoredHistogram {
  private static final Logger LOG = Logger.getLogger(StoredHistogram.class.getName());

  /** The shortest time between two writes of one histogram. */
  static final Duration MIN_INTERVAL = Duration.ofSeconds(1);

  /**
   * A file of N bytes is written at most once per N / this many seconds (a 4096 x 4096 map of 17 MB
   * every 4 s).
   */
  static final long BYTES_PER_SECOND = 4L << 20;

  /**
   * A write that took t is followed by the next at least this many t later: whatever the disk, the
   * store's thread spends at most a twentieth of its time writing one histogram.
   */
  static final int WRITE_TIME_FACTOR = 20;

  /** The handle of a histogram that is not kept: the controller without --state-dir. */
  public static final StoredHistogram NOT_KEPT = new StoredHistogram(null, null, null, 0);

  private final HistogramStateStore store;
  private final Path file;
  private final HistogramSpec spec;
  private final int slot;

  private Checkpoint pending;
  private boolean scheduled;
  private boolean forgotten;
  private long nextWriteNanos = System.nanoTime();

  StoredHistogram(HistogramStateStore store, Path file, HistogramSpec spec, int slot) {
    this.store = store;
    this.file = file;
    this.spec = spec;
    this.slot = slot;
  }

  /** The time between two writes of a file of {@code bytes} that took {@code took}. */
  public static Duration interval(long bytes, Duration took) {
    Duration forSize = Duration.ofNanos((long) (bytes * 1e9 / BYTES_PER_SECOND));
    Duration forTime = took.multipliedBy(WRITE_TIME_FACTOR);
    Duration longer = forSize.compareTo(forTime) > 0 ? forSize : forTime;
    return longer.compareTo(MIN_INTERVAL) > 0 ? longer : MIN_INTERVAL;
  }

  /**
   * A histogram that ended is not resumed: a checkpoint that says it ended (the final one, or one
   * taken as the controller shut down) does not replace the last one of a running histogram.
   */
  static boolean worthKeeping(Checkpoint checkpoint) {
    return !HistogramStateStore.isEnded(checkpoint.getState());
  }

  /** The histogram's worker sent {@code checkpoint}: it goes to the disk when this file is due. */
  public void checkpointed(Checkpoint checkpoint) {
    if (store == null || !worthKeeping(checkpoint)) {
      return;
    }
    long delay;
    synchronized (this) {
      if (forgotten) {
        return;
      }
      pending = checkpoint;
      if (scheduled) {
        return;
      }
      scheduled = true;
      delay = Math.max(0, nextWriteNanos - System.nanoTime());
    }
    store.schedule(this::writePending, delay);
  }

  /**
   * The histogram ended (finished, failed, stopped by a command, replaced by a config): its file is
   * deleted and nothing more is written.
   */
  public void forget() {
    if (store == null) {
      return;
    }
    synchronized (this) {
      if (forgotten) {
        return;
      }
      forgotten = true;
      pending = null;
    }
    store.forgotten(this, file);
  }

  /** On the store's thread: writes the checkpoint that waits, if any. */
  void writePending() {
    Checkpoint taken;
    synchronized (this) {
      scheduled = false;
      taken = pending;
      pending = null;
      if (forgotten || taken == null) {
        return;
      }
    }
    write(Optional.of(taken));
  }

  /** On the store's thread: writes the file now. */
  void write(Optional<Checkpoint> checkpoint) {
    long started = System.nanoTime();
    try {
      long bytes = StateFile.write(file, spec, slot, checkpoint);
      LOG.finer(
          () ->
              "Kept "
                  + file
                  + ", "
                  + bytes
                  + " bytes in "
                  + (System.nanoTime() - started) / 1_000_000
                  + " ms");
      writtenAt(started, bytes);
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.WARNING, "Could not write the state file " + file + "; retrying later", e);
      writtenAt(started, 0);
    }
  }

  /** The file, of {@code bytes}, was written just now: the next write waits its interval. */
  void writtenNow(long bytes) {
    writtenAt(System.nanoTime(), bytes);
  }

  private synchronized void writtenAt(long startedNanos, long bytes) {
    nextWriteNanos =
        startedNanos
            + interval(bytes, Duration.ofNanos(System.nanoTime() - startedNanos)).toNanos();
  }
}
