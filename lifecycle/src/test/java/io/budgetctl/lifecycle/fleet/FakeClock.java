package io.budgetctl.lifecycle.fleet;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** A clock tests move by hand; its {@link #sleeper()} moves it instead of sleeping and remembers each wait. */
final class FakeClock extends Clock {
    private volatile Instant now;
    final List<Duration> sleeps = new ArrayList<>();

    FakeClock(Instant start) {
        this.now = start;
    }

    static FakeClock at(String iso) {
        return new FakeClock(Instant.parse(iso));
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return now;
    }

    synchronized void advance(Duration d) {
        now = now.plus(d);
    }

    Sleeper sleeper() {
        return d -> {
            synchronized (this) {
                sleeps.add(d);
            }
            advance(d);
        };
    }
}
