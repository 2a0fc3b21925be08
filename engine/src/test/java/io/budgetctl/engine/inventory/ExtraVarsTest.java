package io.budgetctl.engine.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.budgetctl.engine.api.EngineException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExtraVarsTest {
    @TempDir
    Path dir;

    @Test
    void keyValueValuesAreStringsAndQuotesGroupWords() {
        // when
        Map<String, Object> vars = ExtraVars.parse(List.of("version=1.4.2 count=3 msg='a b' q=\"x=y\""), dir);

        // then
        assertThat(vars).containsExactly(Map.entry("version", "1.4.2"), Map.entry("count", "3"),
                Map.entry("msg", "a b"), Map.entry("q", "x=y"));
    }

    @Test
    void templatesWithSpacesStayOneValue() {
        assertThat(ExtraVars.parse(List.of("a={{ b | default('x y') }} c=1"), dir))
                .containsEntry("a", "{{ b | default('x y') }}").containsEntry("c", "1");
    }

    @Test
    void inlineJsonKeepsTypesAndLaterValuesWin() {
        // when
        Map<String, Object> vars = ExtraVars.parse(List.of("{\"a\": 1, \"b\": [true]}", "a=2", "{c: yes}"), dir);

        // then
        assertThat(vars).containsEntry("a", "2").containsEntry("b", List.of(true)).containsEntry("c", true);
    }

    @Test
    void atFileIsReadRelativeToTheBaseDirectory() throws Exception {
        // given
        Files.writeString(dir.resolve("release.yml"), "version: 2.0.1\nreplicas: 2\n");
        Files.writeString(dir.resolve("more.json"), "{\"replicas\": 3}");

        // when
        Map<String, Object> vars = ExtraVars.parse(List.of("@release.yml", "@more.json"), dir);

        // then
        assertThat(vars).containsEntry("version", "2.0.1").containsEntry("replicas", 3);
    }

    @Test
    void escapesInValuesAreDecoded() {
        assertThat(ExtraVars.parse(List.of("a=line1\\nline2"), dir)).containsEntry("a", "line1\nline2");
    }

    @Test
    void errorsAreClear() {
        assertThatThrownBy(() -> ExtraVars.parse(List.of("@missing.yml"), dir)).isInstanceOf(EngineException.class)
                .hasMessageContaining("extra vars file not found");
        assertThatThrownBy(() -> ExtraVars.parse(List.of("./vars.yml"), dir)).isInstanceOf(EngineException.class)
                .satisfies(e -> assertThat(((EngineException) e).hint()).contains("-e @./vars.yml"));
        assertThatThrownBy(() -> ExtraVars.parse(List.of("[1, 2]"), dir)).isInstanceOf(EngineException.class)
                .hasMessageContaining("mapping");
        assertThatThrownBy(() -> ExtraVars.parse(List.of("a=1 oops"), dir)).isInstanceOf(EngineException.class)
                .hasMessage("'oops' is not key=value");
        assertThatThrownBy(() -> ExtraVars.parse(List.of("a='open"), dir)).isInstanceOf(EngineException.class)
                .hasMessageContaining("unbalanced quote");
    }
}
