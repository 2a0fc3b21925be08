package io.budgetctl.lifecycle.fleet;

import java.time.Duration;

/** Waits: between waves ({@code --pause}) and for a maintenance window. Tests pass one that moves a fake clock. */
@FunctionalInterface
public interface Sleeper {
    void sleep(Duration d) throws InterruptedException;

    static Sleeper real() {
        return d -> Thread.sleep(Math.max(0, d.toMillis()));
    }
}
