package io.budgetctl.engine.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.budgetctl.engine.api.EngineException;
import io.budgetctl.engine.api.SourceLocation;
import io.budgetctl.engine.api.Unsafe;
import io.budgetctl.engine.template.JinjavaTemplater;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link LoopItems}: the items of loop:/with_*. Pinned: with_items flattens one level, with_flattened all; with_list
 * and loop: keep the list as it is (with_list of a text is that one text, loop: of anything but a list is Ansible's
 * error); with_dict gives key/value pairs in order; with_sequence counts by start/end/stride or count with a format;
 * the last with_* keyword counts; items templated from host data are data.
 */
class LoopItemsTest {
    private static final SourceLocation AT = SourceLocation.of("site.yml");
    private final JinjavaTemplater templater = new JinjavaTemplater();

    @Test
    void withItemsFlattensOneLevelWithFlattenedAll() {
        List<Object> nested = List.of(1, List.of(2, List.of(3)), 4);

        assertThat(LoopItems.shaped("with_items", nested, AT)).containsExactly(1, 2, List.of(3), 4);
        assertThat(LoopItems.shaped("with_flattened", nested, AT)).containsExactly(1, 2, 3, 4);
        assertThat(LoopItems.shaped("with_items", "one", AT)).containsExactly("one");
        assertThat(LoopItems.shaped("with_items", null, AT)).isEmpty();
    }

    @Test
    void withListAndLoopKeepTheListAsItIs() {
        List<Object> nested = List.of("a", List.of("b", "c"));

        assertThat(LoopItems.shaped("with_list", nested, AT)).containsExactly("a", List.of("b", "c"));
        assertThat(LoopItems.shaped(null, nested, AT)).containsExactly("a", List.of("b", "c"));
        assertThat(LoopItems.shaped("with_list", "just text", AT)).containsExactly("just text");
    }

    @Test
    void withDictGivesKeyValuePairsInOrderAndRefusesAnythingElse() {
        Map<String, Object> users = new LinkedHashMap<>();
        users.put("bob", 1);
        users.put("amy", 2);

        assertThat(LoopItems.shaped("with_dict", users, AT)).containsExactly(
                Map.of("key", "bob", "value", 1), Map.of("key", "amy", "value", 2));
        assertThatThrownBy(() -> LoopItems.shaped("with_dict", List.of(1), AT))
                .isInstanceOfSatisfying(EngineException.class,
                        e -> assertThat(e.oneLine()).isEqualTo("site.yml: with_dict expects a dict"));
    }

    @Test
    void withIndexedItemsTogetherAndNestedCombineTheLists() {
        assertThat(LoopItems.shaped("with_indexed_items", List.of("a", "b"), AT))
                .containsExactly(List.of(0, "a"), List.of(1, "b"));
        assertThat(LoopItems.shaped("with_together", List.of(List.of(1, 2), List.of("x")), AT))
                .containsExactly(List.of(1, "x"), java.util.Arrays.asList(2, null));
        assertThat(LoopItems.shaped("with_nested", List.of(List.of(1, 2), List.of("x", "y")), AT))
                .containsExactly(List.of(1, "x"), List.of(1, "y"), List.of(2, "x"), List.of(2, "y"));
    }

    @Test
    void withSequenceCountsByStrideOrCountInItsFormat() {
        assertThat(LoopItems.shaped("with_sequence", "start=1 end=5 stride=2", AT)).containsExactly("1", "3", "5");
        assertThat(LoopItems.sequence("count=3", AT)).containsExactly("1", "2", "3");
        assertThat(LoopItems.sequence("start=4 count=2", AT)).containsExactly("4", "5");
        assertThat(LoopItems.sequence("start=0 end=4 stride=2 format=web%02d", AT)).containsExactly("web00", "web02",
                "web04");
        assertThat(LoopItems.sequence("start=3 end=1 stride=-1", AT)).containsExactly("3", "2", "1");
    }

    @Test
    void withSequenceAsAnsibleCore214() {
        // the values ansible localhost -m debug -a "msg={{ lookup('sequence', SPEC, wantlist=True) }}" printed
        assertThat(LoopItems.sequence("start=0 count=3 stride=2", AT)).containsExactly("0", "2", "4");
        assertThat(LoopItems.sequence("4-8/2:web%02d", AT)).containsExactly("web04", "web06", "web08");
        assertThat(LoopItems.sequence("5", AT)).containsExactly("1", "2", "3", "4", "5");
        assertThat(LoopItems.sequence("start=0x10 end=0x12", AT)).containsExactly("16", "17", "18");
        assertThat(LoopItems.sequence("start=1 count=3 stride=-1", AT)).containsExactly("1", "0", "-1", "-2", "-3");
        assertThat(LoopItems.sequence("start=1 end=3 stride=0", AT)).isEmpty();
        assertThat(LoopItems.sequence("count=0", AT)).isEmpty();
        // and its refusals, each with ansible's message
        Map<String, String> refused = Map.of(
                "start=5 end=1", "to count backwards make stride negative",
                "start=1 end=3 foo=1", "unrecognized arguments to with_sequence: ['foo']",
                "end=3 count=2", "can't specify both count and end in with_sequence",
                "start=01 end=3", "can't parse start=01 as integer",
                "start=1 end=3 format=%d%d", "bad formatting string: %d%d",
                "stride=2", "must specify count or end in with_sequence");
        refused.forEach((spec, msg) -> assertThatThrownBy(() -> LoopItems.sequence(spec, AT))
                .as(spec).isInstanceOf(EngineException.class).hasMessage(msg));
    }

    @Test
    void aLoopOverSomethingThatIsNoListIsAnsiblesError() {
        Map<String, Object> kw = Map.of("loop", "{{ name }}");

        assertThatThrownBy(() -> LoopItems.of(kw, Map.of("name", "web1"), templater, AT))
                .isInstanceOfSatisfying(EngineException.class, e -> {
                    assertThat(e.oneLine()).isEqualTo("site.yml: Invalid data passed to 'loop', it requires a list, "
                            + "got this instead: web1. Hint: If you passed a list/dict of just one element, try adding "
                            + "wantlist=True to your lookup invocation or use q/query instead of lookup.");
                    assertThat(e.hint()).isEqualTo("make the loop value a list");
                });
        assertThatThrownBy(() -> LoopItems.of(Map.of("with_cartesian", List.of()), Map.of(), templater, AT))
                .hasMessage("loop keyword 'with_cartesian' is not supported");
    }

    @Test
    void theItemsAreTemplatedInTheHostsVariablesAndNoLoopIsNull() {
        Map<String, Object> kw = new LinkedHashMap<>();
        kw.put("loop", List.of("ignored"));
        kw.put("with_items", "{{ pkgs }}");

        LoopItems.Items items = LoopItems.of(kw, Map.of("pkgs", List.of("nginx", List.of("curl"))), templater, AT);

        assertThat(items.list()).containsExactly("nginx", "curl");
        assertThat(items.unsafe()).isFalse();
        assertThat(LoopItems.of(Map.of("when", "x"), Map.of(), templater, AT)).isNull();
    }

    @Test
    void itemsTemplatedFromHostDataAreData() {
        Map<String, Object> vars = Map.of("found", Unsafe.of(List.of("a", "b")));

        LoopItems.Items items = LoopItems.of(Map.of("loop", "{{ found }}"), vars, templater, AT);

        assertThat(items.list()).containsExactly("a", "b");
        assertThat(items.unsafe()).isTrue();
    }
}
