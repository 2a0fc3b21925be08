package io.budgetctl.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * Slows down password guessing: a key (a client address, a user name) that had {@code limit} wrong passwords within
 * {@code window} is held back, right password or not, until the oldest of those failures is older than the window.
 * The caller decides what counts as a failure ({@link #failed}) and whether a success wipes the slate
 * ({@link #succeeded}). In memory, per process; the number of tracked keys is bounded, the one whose last failure is
 * oldest forgotten first.
 * <p>Used by the registry's token server (per client address, HTTP 429 with Retry-After) and the licence portal's
 * web UI sign-in (per account).
 */
public final class LoginThrottle {
    static final int MAX_KEYS = 10_000;

    private final int limit;
    private final Duration window;
    private final InstantSource clock;
    private final int maxKeys;
    private final Map<String, Deque<Instant>> failures = new HashMap<>();

    /** {@code clock}: a {@link Clock}, or in tests any source of instants. */
    public LoginThrottle(int limit, Duration window, InstantSource clock) {
        this(limit, window, clock, MAX_KEYS);
    }

    LoginThrottle(int limit, Duration window, InstantSource clock, int maxKeys) {
        if (limit < 1 || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("a login throttle needs a limit of at least 1 and a positive window");
        }
        this.limit = limit;
        this.window = window;
        this.clock = clock;
        this.maxKeys = maxKeys;
    }

    /** The default: 10 wrong passwords per key per minute. */
    public static LoginThrottle standard() {
        return new LoginThrottle(10, Duration.ofMinutes(1), Clock.systemUTC());
    }

    /** Seconds the key must wait before it is heard again (at least 1), or 0 when it may try now. */
    public synchronized long retryAfterSeconds(String key) {
        Deque<Instant> q = recent(key);
        if (q == null || q.size() < limit) {
            return 0;
        }
        Duration left = Duration.between(clock.instant(), q.peekFirst().plus(window));
        return Math.max(1, (left.toMillis() + 999) / 1000);
    }

    /** Records one wrong password for the key. */
    public synchronized void failed(String key) {
        Deque<Instant> q = recent(key);
        if (q == null) {
            if (failures.size() >= maxKeys) {
                forgetOldest();
            }
            q = new ArrayDeque<>();
            failures.put(key, q);
        }
        q.addLast(clock.instant());
        while (q.size() > limit) {
            q.removeFirst();
        }
    }

    /** Forgets the key's failures: for callers where a right password starts the count again. */
    public synchronized void succeeded(String key) {
        failures.remove(key);
    }

    /** The key's failures inside the window (older ones dropped), or null when it has none. */
    private Deque<Instant> recent(String key) {
        Deque<Instant> q = failures.get(key);
        if (q == null) {
            return null;
        }
        Instant cutoff = clock.instant().minus(window);
        while (!q.isEmpty() && !q.peekFirst().isAfter(cutoff)) {
            q.removeFirst();
        }
        if (q.isEmpty()) {
            failures.remove(key);
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
