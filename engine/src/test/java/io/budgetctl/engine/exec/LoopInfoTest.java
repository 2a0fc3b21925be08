package io.budgetctl.engine.exec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link LoopInfo}: {@code ansible_loop} as ansible-core 2.14's TaskExecutor builds it with
 * {@code loop_control: {extended: true}}. Pinned: every counter for the first, a middle and the last item; that
 * {@code previtem} and {@code nextitem} are left out (undefined, so {@code is defined} works) where there is none;
 * that {@code extended_allitems: false} leaves out {@code allitems}; and that without {@code extended} there is no
 * {@code ansible_loop} at all. Templates written against Ansible read these keys by name.
 */
class LoopInfoTest {
    private static final List<Object> ITEMS = List.of("a", "b", "c");
    private static final Map<String, Object> EXTENDED = Map.of("extended", true);

    @Test
    void theFirstItemHasNoPreviousItem() {
        // when
        Map<String, Object> info = LoopInfo.extended(EXTENDED, ITEMS, 0);

        // then
        assertThat(info).containsExactlyInAnyOrderEntriesOf(Map.of("allitems", ITEMS, "index", 1, "index0", 0,
                "first", true, "last", false, "length", 3, "revindex", 3, "revindex0", 2, "nextitem", "b"));
    }

    @Test
    void aMiddleItemHasBothNeighbours() {
        // when
        Map<String, Object> info = LoopInfo.extended(EXTENDED, ITEMS, 1);

        // then
        assertThat(info).containsExactlyInAnyOrderEntriesOf(Map.of("allitems", ITEMS, "index", 2, "index0", 1,
                "first", false, "last", false, "length", 3, "revindex", 2, "revindex0", 1, "nextitem", "c",
                "previtem", "a"));
    }

    @Test
    void theLastItemHasNoNextItem() {
        // when
        Map<String, Object> info = LoopInfo.extended(EXTENDED, ITEMS, 2);

        // then
        assertThat(info).containsExactlyInAnyOrderEntriesOf(Map.of("allitems", ITEMS, "index", 3, "index0", 2,
                "first", false, "last", true, "length", 3, "revindex", 1, "revindex0", 0, "previtem", "b"));
    }

    @Test
    void aSingleItemIsFirstAndLast() {
        // when
        Map<String, Object> info = LoopInfo.extended(EXTENDED, List.of("only"), 0);

        // then
        assertThat(info).containsEntry("first", true).containsEntry("last", true).containsEntry("revindex0", 0)
                .doesNotContainKeys("previtem", "nextitem");
    }

    @Test
    void extendedAllitemsFalseLeavesOutAllitems() {
        // when
        Map<String, Object> info = LoopInfo.extended(Map.of("extended", true, "extended_allitems", false), ITEMS, 1);

        // then
        assertThat(info).doesNotContainKey("allitems").containsEntry("index", 2);
    }

    @Test
    void withoutExtendedThereIsNoAnsibleLoop() {
        // when / then
        assertThat(LoopInfo.extended(Map.of(), ITEMS, 0)).isNull();
        assertThat(LoopInfo.extended(Map.of("extended", false, "label", "{{ item }}"), ITEMS, 0)).isNull();
    }
}
