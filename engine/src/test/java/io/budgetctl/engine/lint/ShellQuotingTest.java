package io.budgetctl.engine.lint;

import static org.assertj.core.api.Assertions.assertThat;

import io.budgetctl.engine.api.SourceLocation;
import io.budgetctl.engine.template.JinjavaTemplater;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rule {@code shell-unquoted-var} of {@code lint --strict}, and the idioms it accepts, rendered by the real
 * templater and run by a real {@code sh}: a hostile value stays one literal word.
 */
class ShellQuotingTest {
    private static final Path DIR = Path.of("src/test/resources/lint");
    private static final SourceLocation LOC = new SourceLocation("roles/x/tasks/main.yml", 1, 1);

    @TempDir
    Path tmp;

    @Test
    void strictLintFlagsEachUnquotedExpressionWhereItIs() {
        // when
        List<Finding> findings = Lint.check(List.of(DIR.resolve("shell-quote.yml")), true);

        // then
        assertThat(findings).extracting(f -> f.ruleId() + "@" + f.location().line() + ":" + f.location().column())
                .containsExactly("shell-unquoted-var@13:20", "shell-unquoted-var@16:19",
                        "shell-unquoted-var@19:24");
        assertThat(findings.get(0).message()).startsWith("shell command uses {{ to }} unquoted (end it with | quote");
        assertThat(Lint.check(List.of(DIR.resolve("shell-quote.yml")), false)).isEmpty();
    }

    @Test
    void aHostileValueStaysOneWordInTheShell() throws Exception {
        // given
        Path marker = tmp.resolve("pwned");
        String to = "v1$(touch " + marker + ")";
        // when
        String out = sh("printf '[%s]' {{ to | quote }}-x", Map.of("to", to));
        // then
        assertThat(out).isEqualTo("[" + to + "-x]");
        assertThat(marker).doesNotExist();
    }

    @Test
    void aTwoWordCommandSplitsIntoWordsThatAreEachQuoted() throws Exception {
        // given
        Path marker = tmp.resolve("pwned");
        String expr = "printf '[%s]' {{ compose.split() | map('quote') | join(' ') }}";
        // when / then
        assertThat(sh(expr, Map.of("compose", "docker compose"))).isEqualTo("[docker][compose]");
        assertThat(sh(expr, Map.of("compose", "docker-compose;touch " + marker)))
                .isEqualTo("[docker-compose;touch][" + marker + "]");
        assertThat(marker).doesNotExist();
    }

    private String sh(String template, Map<String, Object> vars) throws Exception {
        String script = String.valueOf(JinjavaTemplater.create().render(template, vars, LOC));
        Process p = new ProcessBuilder("sh", "-c", script).directory(tmp.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        return out;
    }
}
