package io.budgetctl.engine.exec;

import static org.assertj.core.api.Assertions.assertThat;

import io.budgetctl.engine.api.Secret;
import io.budgetctl.engine.api.SourceLocation;
import io.budgetctl.engine.api.Unsafe;
import io.budgetctl.engine.template.JinjavaTemplater;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link TaskArgs}: a task's arguments as its module gets them. Pinned: each argument is rendered, one that renders to
 * omit is left out and so is a dict entry that does (at any depth); args: is the base the task's own arguments
 * override; an argument that read host data is recorded as data; secrets stay secrets for set_fact and debug only;
 * an include hands on its vars: with the item's loop variables over them.
 */
class TaskArgsTest {
    private static final SourceLocation AT = SourceLocation.of("site.yml");
    private static final String OMIT = "__omit_place_holder__1234";
    private final JinjavaTemplater templater = new JinjavaTemplater();

    @Test
    void anArgumentOrDictEntryThatRendersToOmitIsLeftOut() {
        // given
        Map<String, Object> raw = new LinkedHashMap<>();
        raw.put("name", "{{ pkg }}");
        raw.put("state", "{{ state | default(omit) }}");
        raw.put("opts", Map.of("keep", "1", "drop", "{{ omit }}", "inner", Map.of("drop", "{{ omit }}")));
        Map<String, Object> vars = Map.of("pkg", "nginx", "omit", OMIT);

        // when
        TaskArgs.Rendered r = TaskArgs.render(raw, vars, templater, AT);

        // then
        assertThat(r.args()).containsOnlyKeys("name", "opts").containsEntry("name", "nginx")
                .containsEntry("opts", Map.of("keep", "1", "inner", Map.of()));
        assertThat(r.dataArgs()).isEmpty();
    }

    @Test
    void argsIsTheBaseAndAnArgumentReadingHostDataIsData() {
        Map<String, Object> raw = new LinkedHashMap<>();
        raw.put("_variable_params", "{{ base }}");
        raw.put("path", "{{ found }}");
        raw.put("mode", "0644");
        Map<String, Object> vars = Map.of("base", Map.of("path", "/base", "owner", "root"),
                "found", Unsafe.of("/from/host"), "omit", OMIT);

        TaskArgs.Rendered r = TaskArgs.render(raw, vars, templater, AT);

        assertThat(r.args()).isEqualTo(Map.of("path", "/from/host", "owner", "root", "mode", "0644"));
        assertThat(r.dataArgs()).containsExactly("path");
    }

    @Test
    void stripOmitLeavesListsAndOtherValuesAlone() {
        assertThat(TaskArgs.stripOmit(List.of(OMIT), OMIT)).isEqualTo(List.of(OMIT));
        assertThat(TaskArgs.stripOmit("x", OMIT)).isEqualTo("x");
    }

    @Test
    void secretsAreRevealedForModulesThatSendThemToTheHost() {
        Secret pw = Secret.of("s3cret");
        Map<String, Object> args = Map.of("cmd", List.of(pw), "env", Map.of("PW", pw));

        Map<String, Object> forCommand = TaskArgs.forModule("command", args);

        assertThat(forCommand).containsEntry("cmd", List.of("s3cret")).containsEntry("env", Map.of("PW", "s3cret"));
        assertThat(TaskArgs.forModule("debug", args)).isSameAs(args);
        assertThat(TaskArgs.forModule("set_fact", args)).isSameAs(args);
    }

    @Test
    void anIncludeHandsOnItsVarsWithTheLoopVariablesOverThem() {
        Map<String, Object> params = TaskArgs.includeParams(Map.of("item", "from vars", "port", 80),
                Map.of("item", "web1", "ansible_loop_var", "item"));

        assertThat(params).containsOnly(Map.entry("item", "web1"), Map.entry("port", 80),
                Map.entry("ansible_loop_var", "item"));
        assertThat(TaskArgs.includeParams(null, null)).isEmpty();
        assertThat(TaskArgs.applyKw(Map.of("apply", Map.of("tags", "x")))).isEqualTo(Map.of("tags", "x"));
        assertThat(TaskArgs.applyKw(Map.of("file", "x.yml"))).isEmpty();
    }
}
