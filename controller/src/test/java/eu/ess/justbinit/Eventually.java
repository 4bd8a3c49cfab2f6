package eu.ess.justbinit;

import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits for a condition by polling it until a deadline. */
public final class Eventually {
  private static final long POLL_MS = 20;

  private Eventually() {}

  /** Polls {@code condition} until it holds; fails with {@code what} at the deadline. */
  public static void await(String what, Duration within, BooleanSupplier condition) {
    get(what, within, () -> condition.getAsBoolean() ? Optional.of(true) : Optional.empty());
  }

  /** Polls {@code probe} until it yields a value; fails with {@code what} at the deadline. */
  public static <T> T get(String what, Duration within, Supplier<Optional<T>> probe) {
    long deadline = System.nanoTime() + within.toNanos();
    while (true) {
      Optional<T> value = probe.get();
      if (value.isPresent()) {
        return value.get();
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("Timed out after " + within + " waiting for: " + what);
      }
      try {
        Thread.sleep(POLL_MS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("Interrupted waiting for: " + what, e);
      }
    }
  }
}
