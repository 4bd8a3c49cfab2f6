package eu.ess.justbinit.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.annotation.Annotation;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;

/**
 * Finds the test classes of a module that start a broker, a container or a JVM but are not tagged
 * {@link ProcessLevel}, so that the fast tier stays fast. Any thread may call it; it reads the
 * module's compiled test classes.
 *
 * <p>How: it reads the constant pool of every class file under the module's test-classes folder as
 * text and collects the class names each one mentions. A test class (one that mentions a JUnit test
 * annotation, nested classes counted with their outer class, {@code *IT} classes left to failsafe)
 * starts processes when it, or a helper of the test tree it mentions (transitively, such as a
 * harness; another test class is judged on its own), mentions one of {@link #STARTERS}.
 *
 * <p>Limits: it sees only names written in class files, so a process started through reflection or
 * through the module's own main code (e.g. a service class that launches workers, used by a test
 * without any harness) goes unseen; a test that only mentions a starter's type without starting it
 * is reported all the same (tag it, or keep the type out of it). It does not report tagged classes
 * that start nothing.
 */
public final class ProcessLevelAudit {
  /**
   * Classes (internal names; a package where the name ends in "/") whose use means a broker, a
   * container or a JVM.
   */
  public static final List<String> STARTERS =
      List.of(
          "eu/ess/justbinit/testkit/EmbeddedKafka",
          "eu/ess/justbinit/testkit/KafkaBrokerExtension",
          "eu/ess/justbinit/testkit/BrokerProcess",
          "java/lang/ProcessBuilder",
          "org/testcontainers/");

  private static final List<String> TEST_ANNOTATIONS =
      List.of(
          "Lorg/junit/jupiter/api/Test;",
          "Lorg/junit/jupiter/params/ParameterizedTest;",
          "Lorg/junit/jupiter/api/RepeatedTest;",
          "Lorg/junit/jupiter/api/TestFactory;",
          "Lorg/junit/jupiter/api/TestTemplate;");

  private static final Pattern NAME =
      Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*(?:/[A-Za-z0-9_$]+)+");

  private ProcessLevelAudit() {}

  /** Fails, naming each class and what it starts, when a test class of the module is untagged. */
  public static void assertTagged(Class<?> anyTestClassOfTheModule) {
    List<String> untagged = untagged(anyTestClassOfTheModule);
    if (!untagged.isEmpty()) {
      throw new AssertionError(
          "Test classes that start a broker, a container or a JVM need @ProcessLevel:\n  "
              + String.join("\n  ", untagged));
    }
  }

  /** The untagged test classes that start processes, each with the starter it reaches. */
  public static List<String> untagged(Class<?> anyTestClassOfTheModule) {
    List<String> untagged = new ArrayList<>();
    starting(anyTestClassOfTheModule)
        .forEach(
            (test, starter) -> {
              if (!isTagged(test, anyTestClassOfTheModule.getClassLoader())) {
                untagged.add(test + " (reaches " + starter + ")");
              }
            });
    return untagged;
  }

  /**
   * Every test class of the module that starts processes, tagged or not, by its name, with the
   * starter it reaches.
   */
  public static Map<String, String> starting(Class<?> anyTestClassOfTheModule) {
    Path root = testClasses(anyTestClassOfTheModule);
    Map<String, Set<String>> mentions = new TreeMap<>();
    Set<String> tests = new HashSet<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
        String name = root.relativize(file).toString().replace('\\', '/');
        String outer = outer(name.substring(0, name.length() - ".class".length()));
        String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        Set<String> names = mentions.computeIfAbsent(outer, k -> new TreeSet<>());
        Matcher matcher = NAME.matcher(text);
        while (matcher.find()) {
          names.add(matcher.group());
        }
        if (TEST_ANNOTATIONS.stream().anyMatch(text::contains)) {
          tests.add(outer);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the test classes under " + root, e);
    }
    Map<String, String> memo = new HashMap<>();
    Map<String, String> starting = new TreeMap<>();
    for (String test : mentions.keySet()) {
      if (tests.contains(test) && !test.endsWith("IT")) {
        String starter = starter(test, mentions, tests, memo);
        if (starter != null) {
          starting.put(test.replace('/', '.'), starter);
        }
      }
    }
    return starting;
  }

  /** Whether JUnit sees the tag {@value ProcessLevel#TAG} on the class or a superclass. */
  public static boolean isTagged(Class<?> testClass) {
    for (Class<?> c = testClass; c != null; c = c.getSuperclass()) {
      for (Annotation annotation : c.getAnnotations()) {
        if (isProcessTag(annotation)
            || Stream.of(annotation.annotationType().getAnnotations())
                .anyMatch(ProcessLevelAudit::isProcessTag)) {
          return true;
        }
      }
    }
    return false;
  }

  /** The first starter that {@code start} reaches through the test tree's helpers, or null. */
  private static String starter(
      String start,
      Map<String, Set<String>> mentions,
      Set<String> tests,
      Map<String, String> memo) {
    if (memo.containsKey(start)) {
      return memo.get(start);
    }
    Deque<String> todo = new ArrayDeque<>(List.of(start));
    Set<String> visited = new HashSet<>(todo);
    String found = null;
    while (!todo.isEmpty() && found == null) {
      String current = todo.pop();
      for (String name : mentions.getOrDefault(current, Set.of())) {
        String hit = STARTERS.stream().filter(s -> isStarter(name, s)).findFirst().orElse(null);
        if (hit != null) {
          found = current.equals(start) ? name : name + " via " + current;
          break;
        }
        String outer = outer(name);
        // Another test class is judged on its own; a helper counts for the tests that use it.
        if (mentions.containsKey(outer) && !tests.contains(outer) && visited.add(outer)) {
          todo.add(outer);
        }
      }
    }
    memo.put(start, found);
    return found;
  }

  private static boolean isStarter(String name, String starter) {
    return starter.endsWith("/")
        ? name.startsWith(starter)
        : name.equals(starter) || name.startsWith(starter + "$");
  }

  private static boolean isTagged(String className, ClassLoader loader) {
    try {
      return isTagged(Class.forName(className, false, loader));
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("Cannot load " + className, e);
    }
  }

  private static boolean isProcessTag(Annotation annotation) {
    return annotation instanceof ProcessLevel
        || (annotation instanceof Tag tag && tag.value().equals(ProcessLevel.TAG));
  }

  private static String outer(String internalName) {
    int dollar = internalName.indexOf('$');
    return dollar < 0 ? internalName : internalName.substring(0, dollar);
  }

  private static Path testClasses(Class<?> anyTestClass) {
    try {
      return Path.of(anyTestClass.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException("Cannot locate the test classes of " + anyTestClass, e);
    }
  }
}
