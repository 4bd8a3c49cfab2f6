package eu.ess.justbinit.controller.supervisor;

/**
 * How many spare workers the controller keeps: {@code minimum} from its start, and once a config of
 * more histograms has come, as many as that config had, up to {@code maximum}. NICOS sends a config
 * per count, mostly the same one: from the second on, every histogram starts on a spare (in tens of
 * milliseconds) instead of all but the first in JVMs started cold (2.0 s on 2 cores). The pool
 * never shrinks: an idle spare costs some 100 MB of memory and no CPU, a new one 2 s of CPU.
 *
 * @param minimum spares kept from the start ({@code --spare-workers})
 * @param maximum the most spares kept after large configs ({@code --max-spare-workers}); never less
 *     than {@code minimum}
 */
public record SparePool(int minimum, int maximum) {
  public SparePool {
    if (minimum < 0 || maximum < 0) {
      throw new IllegalArgumentException(
          "spare workers: at least " + minimum + ", at most " + maximum);
    }
    maximum = Math.max(minimum, maximum);
  }

  /** A fixed pool of {@code spares}, which no config changes. */
  public static SparePool fixed(int spares) {
    return new SparePool(spares, spares);
  }

  /** The pool's size after a config of {@code histograms}, when it was {@code size} before. */
  int sizeAfterConfig(int size, int histograms) {
    return Math.max(size, Math.min(maximum, histograms));
  }
}
