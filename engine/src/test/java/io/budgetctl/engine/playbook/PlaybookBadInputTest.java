package io.budgetctl.engine.playbook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.budgetctl.engine.api.EngineException;
import io.budgetctl.engine.exec.TestModules;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Playbooks that are not what they should be fail at load time with file:line:column, fast, without a trace. */
class PlaybookBadInputTest {
    @TempDir
    Path dir;

    private Throwable load(String name, byte[] content) throws Exception {
        Path p = dir.resolve(name);
        Files.write(p, content);
        return catchThrowable(() -> PlaybookLoader.load(p, new LoadOptions(TestModules.registry(), List.of())));
    }

    @Test
    void a_playbook_with_a_recursive_alias_names_the_alias() throws Exception {
        // when
        Throwable t = load("site.yml", """
                - hosts: all
                  vars:
                    a: &a [1, *a]
                  tasks: []
                """.getBytes(StandardCharsets.UTF_8));

        // then
        assertThat(t).isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.oneLine())
                .startsWith(dir.resolve("site.yml") + ":3:15: YAML alias *a is used inside the value of its own"));
    }

    @Test
    void a_billion_laughs_playbook_is_refused_in_well_under_a_second_or_two() throws Exception {
        // given
        String vars = io.budgetctl.engine.yaml.AliasGuardTest.billionLaughs().indent(4);

        // when
        long start = System.nanoTime();
        Throwable t = load("site.yml", ("- hosts: all\n  vars:\n" + vars + "  tasks: []\n")
                .getBytes(StandardCharsets.UTF_8));

        // then
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
        assertThat(t).isInstanceOf(EngineException.class).hasMessageContaining("YAML aliases expand this document");
    }

    @Test
    void a_playbook_that_is_not_utf8_names_the_line_and_byte() throws Exception {
        // given a task name written in Windows-1252
        byte[] text = "- hosts: all\n  tasks:\n    - name: d\u00e9ploiement\n      debug: {msg: x}\n"
                .getBytes(StandardCharsets.ISO_8859_1);

        // when
        Throwable t = load("site.yml", text);

        // then
        assertThat(t).isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.oneLine())
                .isEqualTo(dir.resolve("site.yml") + ":3:14: not valid UTF-8: byte 0xE9 at byte offset 35"));
    }
}
