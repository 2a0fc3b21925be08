package io.budgetctl.engine.connection;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ShellQuoteTest {

    @Test
    void leavesPlainWordsAlone() {
        assertThat(ShellQuote.quote("/usr/bin/env")).isEqualTo("/usr/bin/env");
        assertThat(ShellQuote.quote("a-b_c.d:e,f+g@h%i")).isEqualTo("a-b_c.d:e,f+g@h%i");
    }

    @Test
    void quotesEmptyString() {
        assertThat(ShellQuote.quote("")).isEqualTo("''");
    }

    @Test
    void quotesAssignmentsSoTheyAreNotTakenAsEnvironment() {
        assertThat(ShellQuote.quote("A=b")).isEqualTo("'A=b'");
    }

    @Test
    void escapesSingleQuotes() {
        assertThat(ShellQuote.quote("it's")).isEqualTo("'it'\"'\"'s'");
    }

    @Test
    void joinsArgvWithSpaces() {
        assertThat(ShellQuote.join(List.of("echo", "a b", "$HOME"))).isEqualTo("echo 'a b' '$HOME'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"two words", "it's", "double \"quoted\"", "line1\nline2", "unicode ✓ Привет",
            "$HOME", "`id`", "$(id)", "*", "?[a]", "back\\slash", "tab\there", "semi;colon", "a && b", "~root",
            "'", "''", "-n", "trailing space "})
    void survivesARealShellExactly(String word, @TempDir Path dir) {
        // given a real POSIX shell reading the quoted word
        String script = "printf '%s' " + ShellQuote.quote(word);
        LocalConnection c = new LocalConnection("localhost");

        // when
        ExecResult r = c.exec(ExecRequest.of("/bin/sh", "-c", script).withCwd(dir.toString()));

        // then it prints the word byte for byte
        assertThat(r.exitCode()).isZero();
        assertThat(r.stdout()).isEqualTo(word);
    }
}
