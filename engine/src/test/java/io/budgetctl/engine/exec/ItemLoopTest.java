package io.budgetctl.engine.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.budgetctl.engine.api.EngineException;
import io.budgetctl.engine.api.SourceLocation;
import io.budgetctl.engine.event.Status;
import io.budgetctl.engine.template.JinjavaTemplater;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link ItemLoop}: the loop's own rules around each item's execution. Pinned: loop_control's loop_var and index_var
 * are set for the item and in its result, the label is templated in the item's variables, facts of earlier items are
 * seen by later ones, and the aggregate is Ansible's (changed if any item changed, failed if any failed, skipped only
 * if all were, its msg).
 */
class ItemLoopTest {
    private final ItemLoop loop = new ItemLoop(new JinjavaTemplater(), SourceLocation.of("site.yml"));

    @Test
    void eachItemRunsWithItsLoopVariablesAndTheAggregateSaysWhatTheItemsDid() {
        // given
        Map<String, Object> lc = Map.of("loop_var", "pkg", "index_var", "i", "label", "{{ pkg | upper }}");
        Map<String, Object> facts = new LinkedHashMap<>();
        List<String> seen = new ArrayList<>();

        // when
        ItemLoop.Outcome o = loop.run(lc, new LoopItems.Items(List.of("curl", "git"), false), Map.of(), facts,
                (iv, params) -> {
                    seen.add(iv.get("pkg") + "@" + iv.get("i") + " seen=" + iv.get("last") + " " + params);
                    facts.put("last", iv.get("pkg"));
                    return iv.get("pkg").equals("curl") ? done(Status.CHANGED, true) : Execution.skipped();
                });

        // then
        assertThat(seen).containsExactly("curl@0 seen=null {pkg=curl, ansible_loop_var=pkg, i=0}",
                "git@1 seen=curl {pkg=git, ansible_loop_var=pkg, i=1}");
        assertThat(o.items()).extracting(HostOutcome.Item::label).containsExactly("CURL", "GIT");
        assertThat(o.total().status()).isEqualTo(Status.CHANGED);
        assertThat(o.total().msg()).isEqualTo("All items completed");
        assertThat(o.total().result()).containsEntry("changed", true).containsEntry("failed", false);
        List<?> results = (List<?>) o.total().result().get("results");
        @SuppressWarnings("unchecked")
        Map<String, Object> second = (Map<String, Object>) results.get(1);
        assertThat(second).containsEntry("pkg", "git").containsEntry("i", 1)
                .containsEntry("ansible_index_var", "i").containsEntry("skipped", true);
    }

    @Test
    void oneFailedItemFailsTheLoopAndNoItemsIsSkipped() {
        ItemLoop.Outcome failed = loop.run(null, new LoopItems.Items(List.of(1, 2), false), Map.of(), Map.of(),
                (iv, params) -> iv.get("item").equals(2) ? done(Status.FAILED, false) : done(Status.OK, false));
        assertThat(failed.total().status()).isEqualTo(Status.FAILED);
        assertThat(failed.total().result()).containsEntry("failed", true)
                .containsEntry("msg", "One or more items failed");
        assertThat(failed.items()).extracting(HostOutcome.Item::label).containsExactly("1", "2");

        ItemLoop.Outcome none = loop.run(null, new LoopItems.Items(List.of(), false), Map.of(), Map.of(),
                (iv, params) -> {
                    throw new AssertionError("no item to run");
                });
        assertThat(none.total().status()).isEqualTo(Status.SKIPPED);
        assertThat(none.total().result()).containsEntry("skipped", true).containsEntry("msg", "No items in the list")
                .doesNotContainKey("failed");
    }

    @Test
    void aTemplatedPauseIsRenderedAndOneThatIsNoNumberIsAnError() {
        // given: pause from a variable, 0.3 s between the two items
        Map<String, Object> lc = Map.of("pause", "{{ wait }}");
        List<Long> starts = new ArrayList<>();

        // when
        loop.run(lc, new LoopItems.Items(List.of(1, 2), false), Map.of("wait", "0.3"), Map.of(), (iv, params) -> {
            starts.add(System.nanoTime());
            return done(Status.OK, false);
        });

        // then: the second item started after the pause (it was ignored before: no pause at all)
        assertThat(starts.get(1) - starts.get(0)).isGreaterThanOrEqualTo(300_000_000L);
        assertThatThrownBy(() -> loop.run(Map.of("pause", "{{ wait }}"), new LoopItems.Items(List.of(1, 2), false),
                Map.of("wait", "soon"), Map.of(), (iv, params) -> done(Status.OK, false)))
                .isInstanceOf(EngineException.class)
                .hasMessage("loop_control.pause must be a number of seconds, got 'soon'");
    }

    private static Execution done(Status status, boolean changed) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("changed", changed);
        r.put("failed", status == Status.FAILED);
        return new Execution(status, r, List.of(), null);
    }
}
