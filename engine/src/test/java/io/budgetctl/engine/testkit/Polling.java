package io.budgetctl.engine.testkit;

import java.time.Duration;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;

/**
 * How the integration tests wait for something on a host, a container or a process: Awaitility, set up the way the
 * hand-written loops it replaced behaved. The first look is immediate ({@code pollDelay} zero: Awaitility's default
 * waits one interval first), and every look runs on the test's own thread ({@code pollInSameThread}), so a docker,
 * ssh or HTTP call is never cut off at the deadline and another thread's uncaught exception does not end the wait.
 * Add {@code failFast}, {@code until} or {@code untilAsserted} to what this returns; name {@code what} so that a
 * timeout says what was awaited. See docs/testing.md, "How tests wait".
 */
public final class Polling {
    private Polling() {
    }

    /** Waits for {@code what} at most {@code atMost}, looking every {@code every}, the first look at once. */
    public static ConditionFactory poll(String what, Duration atMost, Duration every) {
        return Awaitility.await(what).atMost(atMost).pollDelay(Duration.ZERO).pollInterval(every).pollInSameThread();
    }
}
