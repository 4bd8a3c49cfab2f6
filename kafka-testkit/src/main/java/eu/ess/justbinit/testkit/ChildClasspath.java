package eu.ess.justbinit.testkit;

import java.io.File;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The broker JVM's classpath: the current one, less every slf4j binding but log4j2's, so that the
 * broker logs through log4j2 to its own file even when the caller routes slf4j elsewhere (our
 * modules put slf4j-jdk14 on their runtime classpath).
 */
final class ChildClasspath {
  private static final Pattern FOREIGN_BINDING =
      Pattern.compile(
          "(slf4j-jdk14|slf4j-simple|slf4j-nop|slf4j-reload4j|slf4j-log4j12|logback-classic)-.*\\.jar");

  private ChildClasspath() {}

  /** The classpath of this JVM, read where surefire or the launcher put it. */
  static String current() {
    String surefire = System.getProperty("surefire.test.class.path");
    return surefire != null && !surefire.isBlank()
        ? surefire
        : System.getProperty("java.class.path", "");
  }

  static String forBroker(String classpath) {
    List<String> entries =
        Arrays.stream(classpath.split(Pattern.quote(File.pathSeparator)))
            .filter(entry -> !entry.isBlank())
            .filter(entry -> !FOREIGN_BINDING.matcher(fileName(entry)).matches())
            .collect(Collectors.toList());
    if (entries.stream().noneMatch(entry -> fileName(entry).startsWith("log4j-slf4j-impl-"))) {
      throw new IllegalStateException(
          "log4j-slf4j-impl is not on the classpath: the broker would log nowhere");
    }
    return String.join(File.pathSeparator, entries);
  }

  private static String fileName(String entry) {
    Path name = Path.of(entry).getFileName();
    return name == null ? entry : name.toString();
  }
}
