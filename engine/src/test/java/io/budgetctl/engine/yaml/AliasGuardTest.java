package io.budgetctl.engine.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.budgetctl.engine.api.EngineException;
import io.budgetctl.engine.inventory.Inventory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

public class AliasGuardTest {

    /** Ten levels of ten aliases: about 1 KB of YAML that would expand to 10^10 values. */
    public static String billionLaughs() {
        StringBuilder sb = new StringBuilder("lol0: &lol0 [\"lol\"]\n");
        for (int i = 1; i <= 10; i++) {
            sb.append("lol").append(i).append(": &lol").append(i).append(" [");
            for (int j = 0; j < 10; j++) {
                sb.append(j == 0 ? "" : ", ").append("*lol").append(i - 1);
            }
            sb.append("]\n");
        }
        return sb.toString();
    }

    @Test
    void a_billion_laughs_document_is_refused_quickly_with_the_place_and_a_hint() {
        // given
        String yaml = billionLaughs();
        assertThat(yaml.length()).isLessThan(1100);

        // when
        long start = System.nanoTime();
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(
                () -> YamlLoader.composeString(yaml, "vars.yml"));

        // then
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
        assertThat(t).isInstanceOfSatisfying(EngineException.class, e -> {
            assertThat(e.oneLine()).startsWith("vars.yml:7:").contains("anchor &lol6")
                    .contains("YAML aliases expand this document to").contains("billion laughs");
            assertThat(e.hint()).contains("every use of an alias");
        });
    }

    @Test
    void an_alias_inside_its_own_anchor_is_an_error_not_a_stack_overflow() {
        // when / then
        assertThatThrownBy(() -> YamlLoader.composeString("x: 1\na: &a [1, *a]\n", "vars.yml"))
                .isInstanceOfSatisfying(EngineException.class, e -> {
                    assertThat(e.oneLine()).isEqualTo("vars.yml:2:11: YAML alias *a is used inside the value of"
                            + " its own anchor &a (line 2, column 4), which would then contain itself without end");
                    assertThat(e.hint()).contains("copy the values instead");
                });
        // a mapping merged into itself made snakeyaml-engine's composer loop without end
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> assertThatThrownBy(
                () -> YamlLoader.composeString("m: &m\n  k: 1\n  <<: *m\n", "vars.yml"))
                .isInstanceOf(EngineException.class).hasMessageStartingWith("YAML alias *m is used inside"));
    }

    @Test
    void ordinary_aliases_and_merge_keys_still_load_as_copies() {
        // given
        String yaml = "base: &b {port: 80, tags: [a, b]}\nweb: {<<: *b, name: web}\nlist: [*b, *b]\n";

        // when
        Object loaded = YamlLoader.toJava(YamlLoader.composeString(yaml, "x.yml").orElseThrow());

        // then
        assertThat(loaded).isEqualTo(Map.of("base", Map.of("port", 80, "tags", List.of("a", "b")),
                "web", Map.of("port", 80, "tags", List.of("a", "b"), "name", "web"),
                "list", List.of(Map.of("port", 80, "tags", List.of("a", "b")),
                        Map.of("port", 80, "tags", List.of("a", "b")))));
    }

    /** A 10,000-item anchored list and {@code uses} aliases to it (each use copies 10,001 values). */
    private static String manyCopies(int uses) {
        StringBuilder sb = new StringBuilder("base: &b [");
        for (int i = 0; i < 10_000; i++) {
            sb.append(i == 0 ? "" : ",").append(i);
        }
        sb.append("]\ncopies:\n");
        for (int i = 0; i < uses; i++) {
            sb.append("- *b\n");
        }
        return sb.toString();
    }

    @Test
    void aliases_may_add_up_to_a_million_copied_values() {
        // when 99 uses add 990,099 values / 101 uses add 1,010,101
        // then
        assertThat(YamlLoader.composeString(manyCopies(99), "ok.yml")).isPresent();
        assertThatThrownBy(() -> YamlLoader.composeString(manyCopies(101), "big.yml"))
                .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.oneLine())
                        .startsWith("big.yml:3:1: YAML aliases expand this document to 1020106 values from 10005"
                                + " written ones"));
    }

    @Test
    void the_inventory_reader_refuses_them_too(@TempDir Path dir) throws Exception {
        // given
        Path inv = dir.resolve("hosts.yml");
        Files.writeString(inv, "all:\n  vars:\n    loop: &l [1, *l]\n  hosts:\n    web1:\n",
                StandardCharsets.UTF_8);

        // when / then
        assertThatThrownBy(() -> Inventory.load(List.of(inv))).isInstanceOfSatisfying(EngineException.class,
                e -> assertThat(e.oneLine()).startsWith(inv + ":3:18: YAML alias *l is used inside"));
    }
}
