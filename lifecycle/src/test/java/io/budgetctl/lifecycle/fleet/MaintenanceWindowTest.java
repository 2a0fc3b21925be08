package io.budgetctl.lifecycle.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class MaintenanceWindowTest {
    /** Saturday 22:00 to Sunday 04:00, Moscow time (UTC+3): Saturday 19:00Z to Sunday 01:00Z. */
    private final MaintenanceWindow overnight = MaintenanceWindow.of(List.of("sat"), "22:00", "04:00", "Europe/Moscow");

    @Test
    void givenAnOvernightWindow_whenAskedAroundMidnight_thenItIsOpenUntilItsEndOnTheNextDay() {
        assertThat(overnight.isOpen(Instant.parse("2026-12-05T18:59:59Z"))).isFalse();
        assertThat(overnight.isOpen(Instant.parse("2026-12-05T19:00:00Z"))).isTrue();
        assertThat(overnight.isOpen(Instant.parse("2026-12-05T23:30:00Z"))).isTrue();
        assertThat(overnight.isOpen(Instant.parse("2026-12-06T00:59:59Z"))).isTrue();
        assertThat(overnight.isOpen(Instant.parse("2026-12-06T01:00:00Z"))).isFalse();
        // Sunday night is not in it: the day is the day the window opens
        assertThat(overnight.isOpen(Instant.parse("2026-12-06T20:00:00Z"))).isFalse();
    }

    @Test
    void givenAClosedWindow_whenAskedForTheNextOpening_thenItIsTheNextListedDayAtStartLocalTime() {
        assertThat(overnight.nextOpening(Instant.parse("2026-12-02T12:00:00Z")))
                .isEqualTo(Instant.parse("2026-12-05T19:00:00Z"));
        assertThat(overnight.nextOpening(Instant.parse("2026-12-06T02:00:00Z")))
                .isEqualTo(Instant.parse("2026-12-12T19:00:00Z"));
        Instant inside = Instant.parse("2026-12-05T20:00:00Z");
        assertThat(overnight.nextOpening(inside)).isEqualTo(inside);
        assertThat(overnight.closesAfter(inside)).isEqualTo(Instant.parse("2026-12-06T01:00:00Z"));
    }

    @Test
    void givenNoZone_whenRead_thenUtcIsUsedAndTheTextFormShowsIt() {
        MaintenanceWindow w = MaintenanceWindow.of(List.of("sun", "sat"), "01:00", "05:00", null);
        assertThat(w).hasToString("sat,sun 01:00-05:00 UTC");
        assertThat(w.isOpen(Instant.parse("2026-12-06T04:59:00Z"))).isTrue();
        assertThat(w.length()).hasHours(4);
        assertThat(overnight.length()).hasHours(6);
    }

    @Test
    void givenBadValues_whenRead_thenTheMessageNamesTheValue() {
        assertThatThrownBy(() -> MaintenanceWindow.of(List.of("sat"), "22:00", "04:00", "Mars/Olympus"))
                .hasMessage("unknown time zone 'Mars/Olympus' (an IANA name such as Europe/Moscow)");
        assertThatThrownBy(() -> MaintenanceWindow.of(List.of("someday"), "22:00", "04:00", null))
                .hasMessageContaining("unknown day 'someday'");
        assertThatThrownBy(() -> MaintenanceWindow.of(List.of("sat"), "25:00", "04:00", null))
                .hasMessageContaining("bad time '25:00'");
    }
}
