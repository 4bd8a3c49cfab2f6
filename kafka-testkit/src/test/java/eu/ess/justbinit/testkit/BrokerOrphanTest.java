package eu.ess.justbinit.testkit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** No broker outlives the JVM that started it, even one killed with SIGKILL. */
@ProcessLevel
class BrokerOrphanTest {
  private static final Pattern BROKER_PID = Pattern.compile("broker pid (\\d+),.*");

  @Test
  void theBrokerExitsWhenItsParentIsKilled(@TempDir Path dir) throws Exception {
    Process parent =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                ChildClasspath.current(),
                EmbeddedKafkaMain.class.getName(),
                "--data-dir",
                dir.toString())
            .redirectErrorStream(true)
            .start();
    Optional<ProcessHandle> broker = Optional.empty();
    try {
      long pid = CompletableFuture.supplyAsync(() -> brokerPid(parent)).get(90, TimeUnit.SECONDS);
      broker = ProcessHandle.of(pid);
      assertTrue(broker.isPresent() && broker.get().isAlive(), "the broker runs");

      parent.destroyForcibly().waitFor();

      broker.get().onExit().get(15, TimeUnit.SECONDS);
      assertFalse(broker.get().isAlive());
    } finally {
      parent.destroyForcibly();
      broker.ifPresent(ProcessHandle::destroyForcibly);
    }
  }

  private static long brokerPid(Process parent) {
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8))) {
      StringBuilder seen = new StringBuilder();
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        Matcher matcher = BROKER_PID.matcher(line);
        if (matcher.matches()) {
          return Long.parseLong(matcher.group(1));
        }
        seen.append(line).append('\n');
      }
      throw new IllegalStateException("EmbeddedKafkaMain printed no broker pid:\n" + seen);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
