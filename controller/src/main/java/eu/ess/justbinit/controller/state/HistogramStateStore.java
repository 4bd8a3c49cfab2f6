package eu.ess.justbinit.controller.state;

import eu.ess.justbinit.common.logging.Unawaited;
import eu.ess.justbinit.wire.rpc.Checkpoint;
import eu.ess.justbinit.wire.rpc.HistogramSpec;
import eu.ess.justbinit.wire.rpc.HistogramState;
import eu.ess.justbinit.wire.rpc.SavedHistogram;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The controller's state directory (--state-dir): for every histogram it runs, a file with its spec
 * and its latest checkpoint, so that a controller started again after it died resumes them. Any
 * thread may call it; every file is written, renamed and deleted by one thread of its own, in the
 * order asked, so that the disk never holds up a worker's stream.
 *
 * <p>A store opened with {@link #disabled()} keeps nothing: the controller without --state-dir.
 */
public final class HistogramStateStore implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(HistogramStateStore.class.getName());
  private static final Pattern FILE_NAME = Pattern.compile("histogram-([0-9]{1,18})\\.pb");
  private static final String CORRUPT_SUFFIX = ".corrupt";
  private static final String LOCK_FILE = "lock";

  /** How long closing may take to write the latest checkpoints. */
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(60);

  private final Path directory;

  /** Held, locked, while the store is open: one controller per directory. */
  private final FileChannel lockFile;

  private final ScheduledThreadPoolExecutor writer;
  private final AtomicLong nextNumber;
  private final Set<StoredHistogram> kept = ConcurrentHashMap.newKeySet();

  private HistogramStateStore(Path directory, long nextNumber, FileChannel lockFile) {
    this.directory = directory;
    this.lockFile = lockFile;
    this.nextNumber = new AtomicLong(nextNumber);
    this.writer =
        new ScheduledThreadPoolExecutor(
            1,
            runnable -> {
              Thread thread = new Thread(runnable, "state-writer");
              thread.setDaemon(true);
              return thread;
            });
    // Closing writes what is pending at once: the writes it scheduled for later are not waited for.
    writer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
  }

  /** A store that keeps nothing. */
  public static HistogramStateStore disabled() {
    return new HistogramStateStore(null, 0, null);
  }

  /**
   * The store in {@code directory}, made if missing. Files left half-written by a controller that
   * died while writing are reported and deleted.
   *
   * @throws IOException when the directory cannot be made or read
   */
  public static HistogramStateStore open(Path directory) throws IOException {
    Files.createDirectories(directory);
    FileChannel lockFile =
        FileChannel.open(
            directory.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = lockFile.tryLock();
    } catch (IOException | OverlappingFileLockException e) {
      lockFile.close();
      throw new IOException("Cannot lock " + directory.resolve(LOCK_FILE), e);
    }
    if (lock == null) {
      lockFile.close();
      // Two controllers writing the same files would resume each other's histograms.
      throw new IOException(directory + " is in use by another controller");
    }
    try {
      return open(directory, lockFile);
    } catch (IOException | RuntimeException e) {
      lockFile.close();
      throw e;
    }
  }

  private static HistogramStateStore open(Path directory, FileChannel lockFile) throws IOException {
    long highest = -1;
    try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
      for (Path file : files) {
        String name = file.getFileName().toString();
        if (name.endsWith(StateFile.PARTIAL_SUFFIX)) {
          LOG.warning(
              () -> "State file " + file + " was left half-written (the controller died): deleted");
          Files.deleteIfExists(file);
          continue;
        }
        Matcher matcher = FILE_NAME.matcher(name);
        if (matcher.matches()) {
          highest = Math.max(highest, Long.parseLong(matcher.group(1)));
        }
      }
    }
    LOG.info(() -> "Keeping the state of every histogram in " + directory);
    return new HistogramStateStore(directory, highest + 1, lockFile);
  }

  /** Whether this store keeps anything. */
  public boolean enabled() {
    return directory != null;
  }

  /**
   * A histogram found in the directory, to be run again.
   *
   * @param slot its number among the running histograms when it was kept
   */
  public record Restored(
      HistogramSpec spec, int slot, Optional<Checkpoint> checkpoint, StoredHistogram stored) {}

  /**
   * The histograms kept by the controller that ran before, in the order they were started. A file
   * that cannot be read is reported, renamed to *.corrupt and skipped; a histogram that had ended
   * is not returned and its file deleted.
   */
  public List<Restored> restore() {
    if (!enabled()) {
      return List.of();
    }
    TreeMap<Long, Path> files = new TreeMap<>();
    try (DirectoryStream<Path> listing = Files.newDirectoryStream(directory)) {
      for (Path file : listing) {
        Matcher matcher = FILE_NAME.matcher(file.getFileName().toString());
        if (matcher.matches()) {
          files.put(Long.parseLong(matcher.group(1)), file);
        }
      }
    } catch (IOException e) {
      LOG.log(
          Level.SEVERE, "Cannot list the state directory " + directory + ": nothing resumed", e);
      return List.of();
    }
    List<Restored> restored = new ArrayList<>();
    files.forEach(
        (number, file) -> {
          SavedHistogram saved;
          try {
            saved = StateFile.read(file);
          } catch (StateFile.CorruptStateException e) {
            LOG.severe(
                () ->
                    "State file "
                        + file
                        + " skipped, its histogram not resumed: "
                        + e.getMessage());
            setAside(file);
            return;
          } catch (IOException e) {
            LOG.severe(() -> "State file " + file + " cannot be read, skipped: " + e);
            return;
          }
          Optional<Checkpoint> checkpoint =
              saved.hasCheckpoint() ? Optional.of(saved.getCheckpoint()) : Optional.empty();
          if (checkpoint.isPresent() && !StoredHistogram.worthKeeping(checkpoint.get())) {
            LOG.info(() -> "State file " + file + " holds an ended histogram: deleted");
            delete(file);
            return;
          }
          StoredHistogram stored =
              new StoredHistogram(this, file, saved.getSpec(), saved.getSlot());
          stored.writtenNow(file.toFile().length());
          kept.add(stored);
          restored.add(new Restored(saved.getSpec(), saved.getSlot(), checkpoint, stored));
        });
    return restored;
  }

  /**
   * Starts keeping a new histogram, which runs in {@code slot}: its file, with the spec alone, is
   * on the disk when this returns.
   */
  public StoredHistogram keep(HistogramSpec spec, int slot) {
    if (!enabled()) {
      return StoredHistogram.NOT_KEPT;
    }
    Path file = directory.resolve("histogram-" + nextNumber.getAndIncrement() + ".pb");
    StoredHistogram stored = new StoredHistogram(this, file, spec, slot);
    kept.add(stored);
    Future<?> written = writer.submit(() -> stored.write(Optional.empty()));
    try {
      written.get();
    } catch (ExecutionException e) {
      LOG.log(Level.SEVERE, "Could not keep the state of histogram '" + spec.getId() + "'", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return stored;
  }

  /** Writes the latest checkpoints, then stops: what a controller shutting down keeps. */
  @Override
  public void close() {
    if (!enabled()) {
      return;
    }
    var unused =
        writer.submit(
            Unawaited.task(
                LOG,
                "writing the latest checkpoints",
                () -> kept.forEach(StoredHistogram::writePending)));
    writer.shutdown();
    try {
      if (!writer.awaitTermination(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.severe("The latest checkpoints were not all written in " + CLOSE_TIMEOUT);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      lockFile.close();
    } catch (IOException e) {
      LOG.log(Level.FINE, "the lock goes with the process anyway", e);
    }
  }

  void schedule(Runnable task, long delayNanos) {
    try {
      var unused =
          writer.schedule(
              Unawaited.task(LOG, "writing the kept state", task),
              delayNanos,
              TimeUnit.NANOSECONDS);
    } catch (java.util.concurrent.RejectedExecutionException closed) {
      LOG.fine("The store is closed: nothing more is written");
    }
  }

  void forgotten(StoredHistogram stored, Path file) {
    kept.remove(stored);
    schedule(() -> delete(file), 0);
  }

  private static void delete(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      LOG.log(Level.WARNING, "Could not delete the state file " + file, e);
    }
  }

  private static void setAside(Path file) {
    try {
      Files.move(
          file,
          file.resolveSibling(file.getFileName() + CORRUPT_SUFFIX),
          StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      LOG.log(Level.WARNING, "Could not set the state file " + file + " aside", e);
    }
  }

  static boolean isEnded(HistogramState state) {
    return state == HistogramState.FINISHED || state == HistogramState.ERROR;
  }

  /** For tests: waits until every write asked for so far is done. */
  void awaitWrites() throws InterruptedException, ExecutionException, TimeoutException {
    writer.submit(() -> {}).get(30, TimeUnit.SECONDS);
  }
}
