package io.budgetctl.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {
    /** Time the test moves by hand. */
    static final class Hand implements InstantSource {
        Instant now = Instant.parse("2026-12-05T10:00:00Z");

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void aKeyIsHeldBackAfterTheLimitUntilItsOldestFailureLeavesTheWindow() {
        // given 3 wrong passwords per minute, sent 10 s apart for one key
        Hand clock = new Hand();
        LoginThrottle t = new LoginThrottle(3, Duration.ofMinutes(1), clock);
        for (int i = 0; i < 3; i++) {
            assertThat(t.retryAfterSeconds("10.0.0.7")).isZero();
            t.failed("10.0.0.7");
            clock.now = clock.now.plusSeconds(10);
        }

        // then: held back until the first failure is a minute old, other keys untouched
        assertThat(t.retryAfterSeconds("10.0.0.7")).isEqualTo(30);
        assertThat(t.retryAfterSeconds("10.0.0.8")).isZero();
        clock.now = clock.now.plusSeconds(29).plusMillis(500);
        assertThat(t.retryAfterSeconds("10.0.0.7")).isEqualTo(1);
        clock.now = clock.now.plusMillis(500);
        assertThat(t.retryAfterSeconds("10.0.0.7")).isZero();

        // and one more failure while two are still in the window locks it again, until the next oldest leaves
        t.failed("10.0.0.7");
        assertThat(t.retryAfterSeconds("10.0.0.7")).isEqualTo(10);
    }

    @Test
    void aSuccessForgetsTheKeysFailures() {
        // given a key one failure short of the limit
        Hand clock = new Hand();
        LoginThrottle t = new LoginThrottle(3, Duration.ofMinutes(1), clock);
        t.failed("alice");
        t.failed("alice");

        // when it signs in
        t.succeeded("alice");
        t.failed("alice");
        t.failed("alice");

        // then the count started again: two more failures do not hold it back, a third does
        assertThat(t.retryAfterSeconds("alice")).isZero();
        t.failed("alice");
        assertThat(t.retryAfterSeconds("alice")).isEqualTo(60);
    }

    @Test
    void pastTheBoundTheKeyWhoseLastFailureIsOldestIsForgotten() {
        // given room for two keys, "a" failing before "b"
        Hand clock = new Hand();
        LoginThrottle t = new LoginThrottle(1, Duration.ofMinutes(1), clock, 2);
        t.failed("a");
        clock.now = clock.now.plusSeconds(1);
        t.failed("b");

        // when a third key fails
        clock.now = clock.now.plusSeconds(1);
        t.failed("c");

        // then "a" is forgotten, the others are still held back
        assertThat(t.retryAfterSeconds("a")).isZero();
        assertThat(t.retryAfterSeconds("b")).isPositive();
        assertThat(t.retryAfterSeconds("c")).isPositive();
    }

    @Test
    void refusesANonsenseConfiguration() {
        assertThatThrownBy(() -> new LoginThrottle(0, Duration.ofMinutes(1), Clock.systemUTC()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LoginThrottle(5, Duration.ZERO, Clock.systemUTC()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
