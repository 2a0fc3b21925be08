package io.budgetctl.engine.exec;

import static org.assertj.core.api.Assertions.assertThat;

import io.budgetctl.engine.event.HostStats;
import io.budgetctl.engine.event.Status;
import io.budgetctl.engine.playbook.Actions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@link Stats}: the PLAY RECAP counters. Pinned: each kind lands in its own {@link HostStats} field (the counters
 * are kept positionally, so a reordered kind would silently swap e.g. skipped and rescued), counts add up per host,
 * and the snapshot lists hosts in the order asked for (the inventory's) with hosts outside it (the implicit
 * localhost, added hosts) after them, and leaves out hosts that were never counted. {@link Stats#count} as
 * Ansible 2.14's strategy counts a task's result: changed is also ok, an ignored failure or unreachable is ok and
 * ignored (and changed when it changed), a failure that was not ignored is left to the caller, a successful
 * include_role counts nothing, a looped include_tasks one ok per item that was not skipped.
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

    @Test
    void aTasksResultCountsAsAnsiblesStrategyCountsIt() {
        // given
        Stats stats = new Stats();

        // when / then: only an unreachable host that was not ignored is reported as such
        assertThat(stats.count("command", outcome("ok", Status.OK, false, false))).isFalse();
        assertThat(stats.count("command", outcome("changed", Status.CHANGED, false, true))).isFalse();
        assertThat(stats.count("command", outcome("skipped", Status.SKIPPED, false, false))).isFalse();
        assertThat(stats.count("command", outcome("gone", Status.UNREACHABLE, false, false))).isTrue();
        assertThat(stats.count("command", outcome("gone-ignored", Status.UNREACHABLE, true, false))).isFalse();
        assertThat(stats.count("command", outcome("failed", Status.FAILED, false, false))).isFalse();
        assertThat(stats.count("command", outcome("failed-ignored", Status.FAILED, true, true))).isFalse();
        var s = stats.snapshot(List.of());

        // HostStats(ok, changed, unreachable, failed, skipped, rescued, ignored)
        assertThat(s.get("ok")).isEqualTo(new HostStats(1, 0, 0, 0, 0, 0, 0));
        assertThat(s.get("changed")).isEqualTo(new HostStats(1, 1, 0, 0, 0, 0, 0));
        assertThat(s.get("skipped")).isEqualTo(new HostStats(0, 0, 0, 0, 1, 0, 0));
        assertThat(s.get("gone")).isEqualTo(new HostStats(0, 0, 1, 0, 0, 0, 0));
        assertThat(s.get("gone-ignored")).isEqualTo(new HostStats(1, 0, 0, 0, 0, 0, 1));
        assertThat(s).doesNotContainKey("failed");
        assertThat(s.get("failed-ignored")).isEqualTo(new HostStats(1, 1, 0, 0, 0, 0, 1));
    }

    @Test
    void aSuccessfulIncludeRoleCountsNothingAndALoopedIncludeTasksEachItemThatRan() {
        // given
        Stats stats = new Stats();
        List<HostOutcome.Item> items = List.of(item(Status.OK), item(Status.SKIPPED), item(Status.CHANGED));

        // when
        stats.count(Actions.INCLUDE_ROLE, outcome("role", Status.CHANGED, false, true));
        stats.count(Actions.INCLUDE_TASKS, outcome("looped", Status.CHANGED, items));
        stats.count(Actions.INCLUDE_TASKS, outcome("all-skipped", Status.SKIPPED, List.of(item(Status.SKIPPED))));
        stats.count(Actions.INCLUDE_TASKS, outcome("once", Status.OK, List.of()));
        var s = stats.snapshot(List.of());

        // then
        assertThat(s).doesNotContainKey("role");
        assertThat(s.get("looped")).isEqualTo(new HostStats(2, 0, 0, 0, 0, 0, 0));
        assertThat(s.get("all-skipped")).isEqualTo(new HostStats(0, 0, 0, 0, 1, 0, 0));
        assertThat(s.get("once")).isEqualTo(new HostStats(1, 0, 0, 0, 0, 0, 0));
    }

    private static HostOutcome outcome(String host, Status status, boolean ignored, boolean changed) {
        return new HostOutcome(host, status, Map.of("changed", changed), List.of(), List.of(), null, ignored,
                Map.of(), Map.of(), List.of(), null, false, Duration.ZERO, Set.of(), List.of());
    }

    private static HostOutcome outcome(String host, Status status, List<HostOutcome.Item> items) {
        return new HostOutcome(host, status, Map.of("changed", status == Status.CHANGED), items, List.of(), null,
                false, Map.of(), Map.of(), List.of(), null, false, Duration.ZERO, Set.of(), List.of());
    }

    private static HostOutcome.Item item(Status status) {
        return new HostOutcome.Item("item", status, Map.of(), List.of(), null);
    }
}
