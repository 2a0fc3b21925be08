package io.budgetctl.engine.exec;

import static org.assertj.core.api.Assertions.assertThat;

import io.budgetctl.engine.api.SourceLocation;
import io.budgetctl.engine.template.JinjavaTemplater;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link Conditions}: when:, until: and changed_when/failed_when. Pinned: a bare variable is evaluated as an
 * expression, YAML booleans and numbers as they are and null as false; every condition of a list (the blocks' first)
 * must hold and evaluation stops at the first false one; a condition written with {{ }} is rendered and text it
 * renders to is evaluated once more; changed_when/failed_when override the result (seeing its keys and the registered
 * name), but not a skipped one; a condition Ansible takes for a template is warned about in ansible-core 2.14's words,
 * as written, each time it is evaluated (the runner keeps one per task and host).
 */
class ConditionsTest {
    /** What ansible-core 2.14.18 printed for when: "{{ x == 1 }}", without the [WARNING]: prefix and the wrapping. */
    private static final String ANSIBLE_WARNING = "conditional statements should not include jinja2 templating "
            + "delimiters such as {{ }} or {% %}. Found: {{ x == 1 }}";

    private final List<String> warnings = new ArrayList<>();
    private final Conditions conditions = new Conditions(new JinjavaTemplater(), SourceLocation.of("site.yml"),
            warnings::add);

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

    @Test
    void aConditionWithDelimitersIsWarnedAboutAsWrittenInAnsiblesWordsAndEvaluatedAsBefore() {
        // given
        Map<String, Object> vars = Map.of("x", 1, "y", 1, "held", "{{ x == 1 }}");

        // when each is evaluated
        Map<Object, Boolean> results = new LinkedHashMap<>();
        for (Object c : List.of("{{ x == 1 }}", "x == {{ y }}", "{% if x == 1 %}True{% else %}False{% endif %}",
                "x == {{ y }} {# note #}", " {{ x == 2 }} ", "x == 1", "held", true, 1)) {
            results.put(c, conditions.holds(c, vars));
        }

        // then the ones written with delimiters were warned about, as written (untrimmed), once each
        assertThat(warnings).containsExactly(ANSIBLE_WARNING,
                Conditions.DELIMITERS_WARNING + "x == {{ y }}",
                Conditions.DELIMITERS_WARNING + "{% if x == 1 %}True{% else %}False{% endif %}",
                Conditions.DELIMITERS_WARNING + "x == {{ y }} {# note #}",
                Conditions.DELIMITERS_WARNING + " {{ x == 2 }} ");
        // and each still evaluates to what it did before
        assertThat(results.values()).containsExactly(true, true, true, true, false, true, true, true, true);
    }

    @Test
    void everyEvaluationWarnsUntilAFalseConditionEndsTheList() {
        // given
        Map<String, Object> vars = Map.of("x", 1);

        // when a list is evaluated twice, and one whose first condition is false
        conditions.all(List.of("x == 1", "{{ x == 1 }}"), vars);
        conditions.all(List.of("x == 1", "{{ x == 1 }}"), vars);
        conditions.all(List.of("x == 2", "{{ x == 3 }}"), vars);

        // then each evaluation warned (keeping one per task and host is the runner's), the unevaluated one not
        assertThat(warnings).containsExactly(ANSIBLE_WARNING, ANSIBLE_WARNING);
    }

    @Test
    void changedWhenAndFailedWhenWarnToo() {
        // given
        Map<String, Object> dict = result(true, false);

        // when
        conditions.applyResultConditions(dict, Map.of("changed_when", "{{ x == 1 }}",
                "failed_when", List.of("rc == 2", "{% if rc == 3 %}True{% endif %}")), null, Map.of("x", 1));

        // then
        assertThat(warnings).containsExactly(ANSIBLE_WARNING,
                Conditions.DELIMITERS_WARNING + "{% if rc == 3 %}True{% endif %}");
        assertThat(dict).containsEntry("changed", true).containsEntry("failed", false);
    }

    @Test
    void aConditionThatFailsIsWarnedAboutFirst() {
        // when
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(
                () -> conditions.holds("{{ nowhere == 1 }}", Map.of()));

        // then
        assertThat(thrown).isNotNull();
        assertThat(warnings).containsExactly(Conditions.DELIMITERS_WARNING + "{{ nowhere == 1 }}");
    }

    @Test
    void whatIsATemplateIsWhatAnsiblesTemplarSays() {
        // given each text with what ansible-core 2.14.18's Templar.is_template said of it
        Map<String, Boolean> ansible = new LinkedHashMap<>();
        ansible.put("{{ x }}", true);
        ansible.put("x == {{ y }}", true);
        ansible.put("'{{ y }}' == '1'", true);
        ansible.put("{% if x %}1{% endif %}", true);
        ansible.put("{% raw %}a{% endraw %}", true);
        ansible.put("{# c #} x == 1", true);
        ansible.put("{{ '%}' }}", true);
        ansible.put("{{ x }} {% y", true);
        ansible.put("{{ 'a' + }}", true);
        ansible.put("{{- x -}}", true);
        ansible.put("{{ {'a': [1, (2)]} }}", true);
        ansible.put("x == 1", false);
        ansible.put("'{{' in x", false);
        ansible.put("x == '}}'", false);
        ansible.put("{{ x", false);
        ansible.put("x }} and {{", false);
        ansible.put("a {{ 'b' }", false);
        ansible.put("{{ x %}", false);
        ansible.put("{% x }}", false);
        ansible.put("{{ x | bad syntax ( }}", false);
        ansible.put("'{{' in x and {{ y }}", false);
        ansible.put("{{ 'unterminated }}", false);
        ansible.put("{# open", false);
        ansible.put("{{ x ` }}", false);

        // when
        Map<String, Boolean> ours = new LinkedHashMap<>();
        ansible.keySet().forEach(s -> ours.put(s, Conditions.isTemplate(s)));

        // then
        assertThat(ours).isEqualTo(ansible);
    }

    private static Map<String, Object> result(boolean changed, boolean failed) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("changed", changed);
        d.put("failed", failed);
        d.put("rc", 2);
        return d;
    }
}
