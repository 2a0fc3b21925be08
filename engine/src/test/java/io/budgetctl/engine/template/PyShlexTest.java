package io.budgetctl.engine.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The one word splitter against Python's own: every expected list and message below is what
 * {@code shlex.split(s)} of /usr/bin/python3 (3.11, the one ansible-core 2.14 runs on here) gives for that input.
 */
class PyShlexTest {
    @Test
    void wordsAreSplitAsPythonsShlexSplitsThem() {
        assertThat(PyShlex.split("a b  c")).containsExactly("a", "b", "c");
        assertThat(PyShlex.split("'a b' \"c d\"")).containsExactly("a b", "c d");
        // in double quotes a backslash escapes only " and \ (a shell would also take $ and `)
        assertThat(PyShlex.split("\"a\\\"b\" \"x\\$y\" \"q\\`z\" \"back\\\\slash\""))
                .containsExactly("a\"b", "x\\$y", "q\\`z", "back\\slash");
        assertThat(PyShlex.split("a\\ b c\\\\d")).containsExactly("a b", "c\\d");
        // only space, tab, CR and LF separate words
        assertThat(PyShlex.split("x\fy\u00a0z w")).containsExactly("x\fy\u00a0z", "w");
        assertThat(PyShlex.split("-o 'ProxyCommand=ssh -W %h:%p bastion' -o Port=22"))
                .containsExactly("-o", "ProxyCommand=ssh -W %h:%p bastion", "-o", "Port=22");
        assertThat(PyShlex.split("it\"s\"one")).containsExactly("itsone");
        assertThat(PyShlex.split("  ")).isEqualTo(List.of());
    }

    @Test
    void anUnfinishedQuoteOrEscapeIsPythonsError() {
        assertThatThrownBy(() -> PyShlex.split("\"open")).hasMessage("No closing quotation");
        assertThatThrownBy(() -> PyShlex.split("'open")).hasMessage("No closing quotation");
        assertThatThrownBy(() -> PyShlex.split("end\\")).hasMessage("No escaped character");
    }
}
