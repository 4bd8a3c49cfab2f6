package eu.ess.justbinit.testkit;

import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waits for a condition by polling it until a deadline: the one await loop of the tests. Any thread
 * may call it; it blocks the caller, and the condition runs on the calling thread.
 */
public final class Eventually {
  private static final long POLL_MS = 20;

  private Eventually() {}

  /** Polls {@code condition} until it holds; fails with {@code what} at the deadline. */
  public static void await(String what, Duration within, BooleanSupplier condition) {
    await(() -> what, within, condition);
  }

  /**
   * The same, describing the wait only when it fails, so that the description can tell what was
   * seen instead.
   */
  public static void await(Supplier<String> what, Duration within, BooleanSupplier condition) {
    get(what, within, () -> condition.getAsBoolean() ? Optional.of(true) : Optional.empty());
  }

  /** Polls {@code probe} until it yields a value; fails with {@code what} at the deadline. */
  public static <T> T get(String what, Duration within, Supplier<Optional<T>> probe) {
    return get(() -> what, within, probe);
  }

  /**
   * The same, describing the wait only when it fails, so that the description can tell what was
   * seen instead.
   */
  public static <T> T get(Supplier<String> what, Duration within, Supplier<Optional<T>> probe) {
    long deadline = System.nanoTime() + within.toNanos();
    while (true) {
      Optional<T> value = probe.get();
      if (value.isPresent()) {
        return value.get();
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("Timed out after " + within + " waiting for: " + what.get());
      }
      try {
        Thread.sleep(POLL_MS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("Interrupted waiting for: " + what.get(), e);
      }
    }
  }
}
