package io.budgetctl.engine.exec;

import static org.assertj.core.api.Assertions.assertThat;

import io.budgetctl.engine.api.SourceLocation;
import io.budgetctl.engine.template.JinjavaTemplater;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link Conditions}: when:, until: and changed_when/failed_when. Pinned: a bare variable is evaluated as an
 * expression, YAML booleans and numbers as they are and null as false; every condition of a list (the blocks' first)
 * must hold and evaluation stops at the first false one; a condition written with {{ }} is rendered and text it
 * renders to is evaluated once more; changed_when/failed_when override the result (seeing its keys and the registered
 * name), but not a skipped one.
 */
class ConditionsTest {
    private final Conditions conditions = new Conditions(new JinjavaTemplater(), SourceLocation.of("site.yml"));

    @Test
    void aBareVariableIsAnExpressionAndYamlValuesAreTakenAsTheyAre() {
        assertThat(conditions.holds("enabled", Map.of("enabled", true))).isTrue();
        assertThat(conditions.holds("enabled", Map.of("enabled", false))).isFalse();
        assertThat(conditions.holds("count > 2", Map.of("count", 3))).isTrue();
        assertThat(conditions.holds(false, Map.of())).isFalse();
        assertThat(conditions.holds(0, Map.of())).isFalse();
        assertThat(conditions.holds(2, Map.of())).isTrue();
        assertThat(conditions.holds(null, Map.of())).isFalse();
    }

    @Test
    void everyConditionOfAListMustHoldAndTheFirstFalseOneEndsIt() {
        Map<String, Object> vars = Map.of("a", 1, "b", 2);

        assertThat(conditions.all(List.of("a == 1", "b == 2"), vars)).isTrue();
        assertThat(conditions.all(List.of("a == 1", "b == 3"), vars)).isFalse();
        // the second would fail (undefined): it is never evaluated
        assertThat(conditions.all(List.of("a == 2", "nowhere.to.be.found == 1"), vars)).isFalse();
        assertThat(conditions.when(List.of("a == 1"), List.of("b == 2"), vars)).isTrue();
        assertThat(conditions.when(List.of("a == 5"), "b == 2", vars)).isFalse();
        assertThat(conditions.when(List.of(), null, vars)).isTrue();
    }

    @Test
    void aConditionWithBracesIsRenderedAndTextItGivesEvaluatedAgain() {
        assertThat(conditions.holds("{{ flag }}", Map.of("flag", true))).isTrue();
        assertThat(conditions.holds("{{ flag }}", Map.of("flag", false))).isFalse();
        assertThat(conditions.holds("{{ answer }}", Map.of("answer", "Yes"))).isTrue();
        assertThat(conditions.holds("{{ answer }}", Map.of("answer", "no"))).isFalse();
        assertThat(conditions.holds("{{ answer }}", Map.of("answer", ""))).isFalse();
        // the rendered text 'a == 1' is an expression in its own right
        assertThat(conditions.holds("{{ check }}", Map.of("check", "a == 1", "a", 1))).isTrue();
        assertThat(conditions.holds("{{ check }}", Map.of("check", "a == 1", "a", 2))).isFalse();
    }

    @Test
    void changedWhenAndFailedWhenOverrideTheResult() {
        // given a command that changed something and exited 2
        Map<String, Object> dict = result(true, false);
        Map<String, Object> kw = Map.of("changed_when", false, "failed_when", "out.rc == 2 and rc == 2",
                "register", "out");

        // when
        conditions.applyResultConditions(dict, kw, "out", Map.of());

        // then
        assertThat(dict).containsEntry("changed", false).containsEntry("failed", true)
                .containsEntry("failed_when_result", true);
    }

    @Test
    void failedWhenFalseClearsAFailureAndNoConditionLeavesTheResult() {
        Map<String, Object> failed = result(false, true);
        conditions.applyResultConditions(failed, Map.of("failed_when", List.of("rc == 2", "rc > 5")), null,
                Map.of());
        assertThat(failed).containsEntry("failed", false).containsEntry("failed_when_result", false);

        Map<String, Object> untouched = result(true, true);
        conditions.applyResultConditions(untouched, Map.of(), null, Map.of());
        assertThat(untouched).containsEntry("changed", true).containsEntry("failed", true)
                .doesNotContainKey("failed_when_result");
    }

    @Test
    void aSkippedResultKeepsWhatItSays() {
        Map<String, Object> skipped = result(false, false);
        skipped.put("skipped", true);

        conditions.applyResultConditions(skipped, Map.of("changed_when", true, "failed_when", true), null, Map.of());

        assertThat(skipped).containsEntry("changed", false).containsEntry("failed", false)
                .doesNotContainKey("failed_when_result");
    }

    private static Map<String, Object> result(boolean changed, boolean failed) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("changed", changed);
        d.put("failed", failed);
        d.put("rc", 2);
        return d;
    }
}
