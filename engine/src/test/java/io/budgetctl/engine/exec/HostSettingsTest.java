package io.budgetctl.engine.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.budgetctl.engine.api.EngineException;
import io.budgetctl.engine.template.JinjavaTemplater;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link HostSettings}' environment: the blocks' and the task's mappings merged (the task's wins), values as text; one
 * that renders to something else (a missing variable's null included) is an error at the task, not an internal one.
 */
class HostSettingsTest {
    private static final String PLAYBOOK = """
            - hosts: all
              gather_facts: false
              tasks:
                - block:
                    - {name: env, command: env, environment: {B: "{{ b }}", C: task}}
                  environment: {A: "1", C: block}
                - {name: env from a variable, command: env, environment: "{{ settings }}"}
            """;

    @TempDir
    Path dir;

    HostSettings settings(String task) throws IOException {
        TaskRef ref = ExecFixtures.ref(ExecFixtures.play(dir, PLAYBOOK), task);
        return new HostSettings(ref.scope(), ref.task(), new JinjavaTemplater());
    }

    @Test
    void theBlocksAndTheTasksEnvironmentsMergeInnerWins() throws IOException {
        assertThat(settings("env").environment(Map.of("b", 2)))
                .containsExactly(Map.entry("A", "1"), Map.entry("C", "task"), Map.entry("B", "2"));
    }

    @Test
    void anEnvironmentThatIsNoMappingIsAnErrorAtTheTask() throws IOException {
        Map<String, Object> vars = new HashMap<>();
        vars.put("settings", null);
        assertThatThrownBy(() -> settings("env from a variable").environment(vars))
                .isInstanceOf(EngineException.class)
                .hasMessage("environment must be a mapping of NAME: value, got None");
        assertThatThrownBy(() -> settings("env from a variable").environment(Map.of("settings", "PATH=/bin")))
                .isInstanceOf(EngineException.class)
                .hasMessage("environment must be a mapping of NAME: value, got PATH=/bin");
    }
}
