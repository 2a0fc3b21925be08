package io.budgetctl.engine.lint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.budgetctl.engine.api.EngineException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class LintTest {
    private static final Path DIR = Path.of("src/test/resources/lint");

    @Test
    void everyRuleReportsItsLine() {
        // when
        List<Finding> findings = Lint.check(List.of(DIR.resolve("bad.yml")));

        // then
        assertThat(findings).extracting(f -> f.ruleId() + "@" + f.location().line()).containsExactly(
                "no-plain-password@4",
                "no-changed-when@8",
                "unnamed-task@8",
                "no-changed-when@9",
                "command-instead-of-shell@10",
                "package-latest@14",
                "world-writable@19");
        assertThat(findings).allSatisfy(f -> assertThat(f.location().file()).endsWith("bad.yml"));
    }

    @Test
    void cleanPlaybookWithGuardsAndNoqaHasNoFindings() {
        assertThat(Lint.check(List.of(DIR.resolve("good.yml")))).isEmpty();
    }

    @Test
    void roleTaskFilesAndVarsFilesAreCheckedWhenADirectoryIsGiven() {
        // when
        List<Finding> findings = Lint.check(List.of(DIR.resolve("roles"), DIR.resolve("group_vars")));

        // then
        assertThat(findings).extracting(f -> f.ruleId() + "@" + f.location().line()).containsExactly(
                "no-plain-password@1",
                "world-writable@4",
                "package-latest@6",
                "command-instead-of-shell@8");
    }

    @Test
    void brokenYamlIsASyntaxFindingWithPosition() {
        // when
        List<Finding> findings = Lint.check(List.of(DIR.resolve("broken.yml")));

        // then
        assertThat(findings).hasSize(1);
        assertThat(findings.get(0).ruleId()).isEqualTo("syntax-error");
        assertThat(findings.get(0).location().line()).isGreaterThan(1);
    }

    @Test
    void missingPathIsAnError() {
        assertThatThrownBy(() -> Lint.check(List.of(DIR.resolve("nope.yml")))).isInstanceOf(EngineException.class);
    }

    @Test
    void modesAreWorldWritableOnlyWithTheOtherWriteBit() {
        assertThat(Lint.worldWritable(scalar("0777", true))).isTrue();
        assertThat(Lint.worldWritable(scalar("0666", false))).isTrue();
        assertThat(Lint.worldWritable(scalar("0644", true))).isFalse();
        assertThat(Lint.worldWritable(scalar("a+w", false))).isTrue();
        assertThat(Lint.worldWritable(scalar("+w", false))).isTrue();
        assertThat(Lint.worldWritable(scalar("ug+w", false))).isFalse();
        assertThat(Lint.worldWritable(scalar("u=rw,g=r,o=r", false))).isFalse();
    }

    private static org.snakeyaml.engine.v2.nodes.ScalarNode scalar(String text, boolean plain) {
        return (org.snakeyaml.engine.v2.nodes.ScalarNode) io.budgetctl.engine.yaml.YamlLoader
                .composeString(plain ? text : "'" + text + "'", "t").orElseThrow();
    }
}
