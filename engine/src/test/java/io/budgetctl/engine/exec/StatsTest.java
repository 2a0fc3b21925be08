package io.budgetctl.engine.exec;

import static org.assertj.core.api.Assertions.assertThat;

import io.budgetctl.engine.event.HostStats;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link Stats}: the PLAY RECAP counters. Pinned: each kind lands in its own {@link HostStats} field (the counters
 * are kept positionally, so a reordered kind would silently swap e.g. skipped and rescued), counts add up per host,
 * and the snapshot lists hosts in the order asked for (the inventory's) with hosts outside it (the implicit
 * localhost, added hosts) after them, and leaves out hosts that were never counted.
 */
class StatsTest {
    @Test
    void eachKindIsCountedInItsOwnField() {
        // given a host with 1 ok, 2 changed, ... 7 ignored
        Stats stats = new Stats();
        Stats.Kind[] kinds = Stats.Kind.values();
        for (int k = 0; k < kinds.length; k++) {
            for (int n = 0; n <= k; n++) {
                stats.add("h1", kinds[k]);
            }
        }

        // when
        HostStats s = stats.snapshot(List.of("h1")).get("h1");

        // then
        assertThat(s).isEqualTo(new HostStats(1, 2, 3, 4, 5, 6, 7));
    }

    @Test
    void hostsComeInTheGivenOrderThenTheOthersAndUncountedOnesAreLeftOut() {
        // given
        Stats stats = new Stats();
        stats.add("localhost", Stats.Kind.OK);
        stats.add("db1", Stats.Kind.FAILED);
        stats.add("web1", Stats.Kind.SKIPPED);
        stats.add("web1", Stats.Kind.SKIPPED);

        // when
        var snapshot = stats.snapshot(List.of("web1", "web2", "db1"));

        // then
        assertThat(snapshot.keySet()).containsExactly("web1", "db1", "localhost");
        assertThat(snapshot.get("web1")).isEqualTo(new HostStats(0, 0, 0, 0, 2, 0, 0));
        assertThat(snapshot.get("db1")).isEqualTo(new HostStats(0, 0, 0, 1, 0, 0, 0));
    }
}
