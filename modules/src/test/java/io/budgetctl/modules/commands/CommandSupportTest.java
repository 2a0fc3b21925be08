package io.budgetctl.modules.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.budgetctl.modules.BadArgument;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class CommandSupportTest {

    /** Python's own shlex.split is the oracle: the command module must split exactly like Ansible's. */
    @ParameterizedTest
    @ValueSource(strings = {
        "echo hello",
        "echo 'a b' c",
        "echo \"a \\\"quoted\\\" b\"",
        "  spaced   out\targs  ",
        "back\\ slash\\$x",
        "mix'ed'\"quo\"tes",
        "echo \"\\$HOME \\n\"",
        "echo '' \"\"",
        "printf 'a\\n\\n'",
        "grep -E '^(a|b)$' /etc/hosts",
        "unicode 'größe' ✓",
    })
    void shlexSplitMatchesPythonShlex(String input) throws Exception {
        // given
        List<?> expected = pythonShlex(input);
        // when
        List<String> words = CommandSupport.shlexSplit(input);
        // then
        assertThat(words).isEqualTo(expected);
    }

    @Test
    void unclosedQuoteIsABadArgument() {
        assertThatThrownBy(() -> CommandSupport.shlexSplit("echo 'oops"))
                .isInstanceOf(BadArgument.class)
                .hasMessageContaining("No closing quotation");
    }

    @Test
    void durationsArePrintedLikePythonsTimedelta() {
        assertThat(CommandSupport.pyDelta(Duration.ofNanos(3_130_000))).isEqualTo("0:00:00.003130");
        assertThat(CommandSupport.pyDelta(Duration.ofSeconds(3725))).isEqualTo("1:02:05");
        assertThat(CommandSupport.pyDelta(Duration.ofHours(49))).isEqualTo("2 days, 1:00:00");
    }

    private static List<?> pythonShlex(String input) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("python3", "-c",
                "import json,shlex,sys; print(json.dumps(shlex.split(sys.argv[1])))", input)
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        return new ObjectMapper().readValue(out, List.class);
    }
}
