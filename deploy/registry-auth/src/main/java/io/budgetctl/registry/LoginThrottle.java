package io.budgetctl.registry;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * Slows down password guessing: an address that sent {@code limit} wrong passwords within {@code window} gets HTTP
 * 429 with Retry-After for every request (right password or not) until the oldest of those failures is older than
 * the window. Only wrong credentials count: anonymous challenges (docker's first request) and granted tokens do not.
 * In memory, per server process; the number of tracked addresses is bounded, the oldest forgotten first.
 */
final class LoginThrottle {
  private static final int MAX_ADDRESSES = 10_000;

  private final int limit;
  private final Duration window;
  private final Clock clock;
  private final Map<String, Deque<Instant>> failures = new HashMap<>();

  LoginThrottle(int limit, Duration window, Clock clock) {
    if (limit < 1 || window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("a login throttle needs a limit of at least 1 and a positive window");
    }
    this.limit = limit;
    this.window = window;
    this.clock = clock;
  }

  /** The default: 10 wrong passwords per address per minute. */
  static LoginThrottle standard() {
    return new LoginThrottle(10, Duration.ofMinutes(1), Clock.systemUTC());
  }

  /** Seconds the address must wait before it is heard again (at least 1), or 0 when it may ask now. */
  synchronized long retryAfterSeconds(String address) {
    Deque<Instant> q = recent(address);
    if (q == null || q.size() < limit) {
      return 0;
    }
    Duration left = Duration.between(clock.instant(), q.peekFirst().plus(window));
    return Math.max(1, (left.toMillis() + 999) / 1000);
  }

  /** Records one wrong password from the address. */
  synchronized void failed(String address) {
    Deque<Instant> q = recent(address);
    if (q == null) {
      if (failures.size() >= MAX_ADDRESSES) {
        forgetOldest();
      }
      q = new ArrayDeque<>();
      failures.put(address, q);
    }
    q.addLast(clock.instant());
    while (q.size() > limit) {
      q.removeFirst();
    }
  }

  /** The address's failures inside the window (older ones dropped), or null when it has none. */
  private Deque<Instant> recent(String address) {
    Deque<Instant> q = failures.get(address);
    if (q == null) {
      return null;
    }
    Instant cutoff = clock.instant().minus(window);
    while (!q.isEmpty() && !q.peekFirst().isAfter(cutoff)) {
      q.removeFirst();
    }
    if (q.isEmpty()) {
      failures.remove(address);
      return null;
    }
    return q;
  }

  private void forgetOldest() {
    String oldest = null;
    Instant at = null;
    for (Map.Entry<String, Deque<Instant>> e : failures.entrySet()) {
      Instant last = e.getValue().peekLast();
      if (at == null || (last != null && last.isBefore(at))) {
        oldest = e.getKey();
        at = last;
      }
    }
    failures.remove(oldest);
  }
}
