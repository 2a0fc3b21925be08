package io.budgetctl.engine.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.budgetctl.engine.api.EngineException;
import io.budgetctl.engine.api.SourceLocation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;

class YamlLoaderTest {
    @TempDir
    Path dir;

    @Test
    void loadsYamlOneOneScalarsQuotedStringsAndNesting() throws Exception {
        // given
        Path f = write("a.yml", "mode: 0644\nquoted: '0644'\nflag: yes\nlist: [on, 'off', 1.5]\nnested: {k: ~}\n");

        // when
        Object value = YamlLoader.load(f);

        // then
        assertThat(value).isEqualTo(Map.of("mode", 420, "quoted", "0644", "flag", true,
                "list", List.of(true, "off", 1.5), "nested", java.util.Collections.singletonMap("k", null)));
    }

    @Test
    void mergeKeysCopyAnchoredMappingsAndOwnKeysWin() throws Exception {
        // given
        Path f = write("m.yml", """
                base: &base {a: 1, b: 2}
                other: &other {b: 3, c: 4}
                one:
                  <<: *base
                  b: 20
                many:
                  <<: [*base, *other]
                """);

        // when
        @SuppressWarnings("unchecked")
        Map<String, Object> value = (Map<String, Object>) YamlLoader.load(f);

        // then: own keys beat merged ones; in a list of merges the earlier mapping wins (as in PyYAML)
        assertThat(value.get("one")).isEqualTo(Map.of("a", 1, "b", 20));
        assertThat(value.get("many")).isEqualTo(Map.of("a", 1, "b", 2, "c", 4));
    }

    @Test
    void duplicateKeysKeepTheLastValue() throws Exception {
        // given
        Path f = write("d.yml", "a: 1\nb: 2\na: 3\n");

        // when
        Object value = YamlLoader.load(f);

        // then
        assertThat(value).isEqualTo(Map.of("a", 3, "b", 2));
        assertThat(List.<Object>copyOf(((Map<?, ?>) value).keySet())).containsExactly("a", "b");
    }

    @Test
    void nodesKeepOneBasedLineAndColumnNamedAfterTheFile() throws Exception {
        // given
        Path f = write("pos.yml", "top:\n  inner: value\n");

        // when
        MappingNode root = (MappingNode) YamlLoader.compose(f).orElseThrow();
        Node top = YamlLoader.get(root, "top").orElseThrow();
        Node inner = YamlLoader.get((MappingNode) top, "inner").orElseThrow();

        // then
        assertThat(YamlLoader.location(inner)).isEqualTo(new SourceLocation(f.toString(), 2, 10));
    }

    @Test
    void syntaxErrorsCarryFileLineColumnAndAHint() throws Exception {
        // given
        Path f = write("bad.yml", "a: 1\nb: [1, 2\nc: 3\n");

        // when / then
        assertThatThrownBy(() -> YamlLoader.load(f))
                .isInstanceOfSatisfying(EngineException.class, e -> {
                    assertThat(e.location().file()).isEqualTo(f.toString());
                    assertThat(e.location().line()).isEqualTo(3);
                    assertThat(e.getMessage()).startsWith("YAML syntax error");
                    assertThat(e.hint()).contains("indentation");
                });
    }

    @Test
    void vaultValuesAreRejectedWithTheirPosition() throws Exception {
        // given
        Path f = write("v.yml", "secret: !vault |\n  $ANSIBLE_VAULT;1.1;AES256\n  6162\n");

        // when / then
        assertThatThrownBy(() -> YamlLoader.load(f))
                .isInstanceOfSatisfying(EngineException.class, e -> {
                    assertThat(e.location().line()).isEqualTo(1);
                    assertThat(e.getMessage()).contains("!vault");
                });
    }

    @Test
    void unsafeTagKeepsTheText() throws Exception {
        assertThat(YamlLoader.load(write("u.yml", "x: !unsafe '{{ not_templated }}'\n")))
                .isEqualTo(Map.of("x", "{{ not_templated }}"));
    }

    @Test
    void missingFileIsAClearError() {
        assertThatThrownBy(() -> YamlLoader.load(dir.resolve("nope.yml")))
                .isInstanceOf(EngineException.class).hasMessage("file not found");
    }

    @Test
    @SuppressWarnings("unchecked")
    void schemaPlugsIntoTheStandardLoadApi() {
        // given
        Load load = new Load(LoadSettings.builder().setSchema(Yaml11Resolver.schema()).build());

        // when
        Map<Object, Object> value = (Map<Object, Object>) load.loadFromString("a: on\nb: 0755\nc: ~\n");

        // then
        assertThat(value.get("a")).isEqualTo(true);
        assertThat(value.get("b")).isEqualTo(493);
        assertThat(value).containsKey("c");
        assertThat(value.get("c")).isNull();
    }

    private Path write(String name, String text) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, text);
        return f;
    }
}
