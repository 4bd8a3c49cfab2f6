package eu.ess.justbinit.controller.supervisor;

import java.time.Duration;

/**
 * How hard the supervisor tries to keep a histogram's worker alive.
 *
 * <p>A start <em>fails</em> when its worker dies before it has reported once (it never got
 * running). A worker that dies after it reported is a crash: it is restarted at once from its last
 * checkpoint and does not count towards giving up, so that a worker killed now and then keeps its
 * histogram alive; only failed starts make the back-off grow. How long a failed start took does not
 * matter: a histogram whose workers keep failing to start ends in ERROR whether each fails in a
 * second or in minutes.
 *
 * @param firstBackoff the delay before the first restart; it doubles after each failed start
 * @param maxBackoff the longest delay between restarts
 * @param maxFailedStarts give up after this many failed starts in a row, with no report between
 * @param helloTimeout a worker that has not introduced itself by then is killed (a failed start)
 */
public record RestartPolicy(
    Duration firstBackoff, Duration maxBackoff, int maxFailedStarts, Duration helloTimeout) {

  /** 100 ms, 200, 400 ... up to 5 s; 5 failed starts in a row give up. */
  public static RestartPolicy standard() {
    return new RestartPolicy(
        Duration.ofMillis(100), Duration.ofSeconds(5), 5, Duration.ofSeconds(30));
  }
}
