package eu.ess.justbinit.controller.supervisor;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * The workers' class data sharing archive (CDS, a JVM's loaded classes mapped from a file instead
 * of parsed from jars): kept in a cache directory under a name that holds what it depends on (the
 * JVM, its options, each jar's path, size and time), so that a stale one is never used and a
 * rebuilt classpath makes a new one. The first worker launched without one writes it when it exits
 * (-XX:ArchiveClassesAtExit), into a file of its own that becomes the archive only once complete;
 * later workers map it (-XX:SharedArchiveFile). The JVM ignores an archive it cannot use, so a
 * broken one costs nothing but the sharing. Not used when a classpath entry is a directory (the JVM
 * refuses to archive then) or the worker options already say how to share classes (-Xshare,
 * -XX:SharedArchiveFile, -XX:ArchiveClassesAtExit). Any thread may call it.
 */
final class ClassArchive {
  private static final Logger LOG = Logger.getLogger(ClassArchive.class.getName());
  private static final String PREFIX = "worker-";
  private static final String SUFFIX = ".jsa";

  private final Path directory;
  private final Path archive;
  private Path writing;
  private int written;

  private ClassArchive(Path directory, String key) {
    this.directory = directory;
    this.archive = directory.resolve(PREFIX + key + SUFFIX);
  }

  /**
   * The archive of workers started with this JVM, options and classpath, in {@code directory};
   * empty when class sharing cannot or should not be arranged.
   */
  static Optional<ClassArchive> of(
      Path directory, String javaVersion, List<String> jvmOptions, String classpath) {
    if (jvmOptions.stream().anyMatch(ClassArchive::isSharingOption)) {
      return Optional.empty();
    }
    List<String> entries =
        Stream.of(classpath.split(File.pathSeparator, -1)).filter(e -> !e.isEmpty()).toList();
    StringBuilder depends = new StringBuilder(javaVersion).append('\n');
    jvmOptions.forEach(option -> depends.append(option).append('\n'));
    for (String entry : entries) {
      Path path = Path.of(entry);
      if (!Files.isRegularFile(path)) {
        return Optional.empty();
      }
      try {
        depends
            .append(path.toAbsolutePath())
            .append(' ')
            .append(Files.size(path))
            .append(' ')
            .append(Files.getLastModifiedTime(path).toMillis())
            .append('\n');
      } catch (IOException e) {
        return Optional.empty();
      }
    }
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      LOG.log(Level.FINE, "No class archive: cannot create " + directory, e);
      return Optional.empty();
    }
    ClassArchive made = new ClassArchive(directory, digest(depends.toString()));
    made.removeOthers();
    return Optional.of(made);
  }

  private static boolean isSharingOption(String option) {
    return option.startsWith("-Xshare")
        || option.startsWith("-XX:SharedArchiveFile")
        || option.startsWith("-XX:ArchiveClassesAtExit");
  }

  /** The archive's file (it may not exist yet). */
  Path file() {
    return archive;
  }

  /**
   * The JVM options of the next worker: map the archive when it exists; else, when no worker is
   * writing it yet, write it at exit into {@code launchName}'s file of its own.
   *
   * @return the options, and the file that worker writes (for {@link #exited})
   */
  synchronized Launch nextLaunch(String launchName) {
    if (Files.isRegularFile(archive)) {
      return new Launch(List.of("-XX:SharedArchiveFile=" + archive), Optional.empty());
    }
    if (writing != null) {
      return new Launch(List.of(), Optional.empty());
    }
    writing = directory.resolve(PREFIX + launchName + "-" + ++written + ".tmp");
    return new Launch(List.of("-XX:ArchiveClassesAtExit=" + writing), Optional.of(writing));
  }

  /**
   * A worker that was to write {@code file} exited: a complete archive becomes the archive; the
   * next worker writes it again when this one left none.
   */
  synchronized void exited(Path file) {
    if (!file.equals(writing)) {
      return;
    }
    writing = null;
    try {
      if (Files.isRegularFile(file) && Files.size(file) > 0) {
        try {
          Files.move(file, archive, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(file, archive, StandardCopyOption.REPLACE_EXISTING);
        }
        LOG.info(() -> "Workers share the classes archived in " + archive + " from now on");
      } else {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      LOG.log(Level.WARNING, "Cannot keep the workers' class archive " + archive, e);
    }
  }

  /** Archives of other JVMs or classpaths, and files left by workers that never finished one. */
  private void removeOthers() {
    try (Stream<Path> files = Files.list(directory)) {
      for (Path file : files.toList()) {
        String name = file.getFileName().toString();
        if (name.startsWith(PREFIX) && !file.equals(archive)) {
          Files.deleteIfExists(file);
        }
      }
    } catch (IOException e) {
      LOG.log(Level.FINE, "Cannot tidy " + directory, e);
    }
  }

  private static String digest(String text) {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /**
   * @param options the JVM options of the worker to launch
   * @param writes the file it writes its archive into at exit, if it does
   */
  record Launch(List<String> options, Optional<Path> writes) {}
}
