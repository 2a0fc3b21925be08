package io.budgetctl.engine.template;

import static org.assertj.core.api.Assertions.assertThat;

import io.budgetctl.engine.api.Secret;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Expected values are what CPython 3.11 prints for the same expressions. */
class PyTextTest {
    @Test
    void splitlinesEndsALineWhereverPythonDoes() {
        // "a\r\nb\x0bc\x1cd\u2028e\n\nf".splitlines() == ['a', 'b', 'c', 'd', 'e', '', 'f']
        assertThat(PyText.splitlines("a\r\nb\u000bc\u001cd\u2028e\n\nf")).containsExactly("a", "b", "c", "d", "e", "",
                "f");
        assertThat(PyText.splitlines("")).isEmpty();
        assertThat(PyText.splitlines("x\r")).containsExactly("x");
    }

    @Test
    void aLoopLabelIsTheStringOrItsReprWithSecretsMasked() {
        // str('web') == 'web'; str({'k': "it's", 'n': 1e20, 'ok': True}) == "{'k': \"it's\", 'n': 1e+20, 'ok': True}"
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("k", "it's");
        item.put("n", 1e20);
        item.put("ok", true);
        assertThat(PyText.label("web")).isEqualTo("web");
        assertThat(PyText.label(item)).isEqualTo("{'k': \"it's\", 'n': 1e+20, 'ok': True}");
        // a secret never shows, alone or inside the item
        Secret pw = Secret.of("hunter2-secret");
        assertThat(PyText.label(pw)).doesNotContain("hunter2");
        assertThat(PyText.label(Map.of("user", "app", "password", pw))).doesNotContain("hunter2")
                .contains("'user': 'app'");
        assertThat(PyText.label(List.of(pw, "x"))).doesNotContain("hunter2");
    }

    @Test
    void strForAHostIsTheValueAsPythonWouldPassIt() {
        // str(['a', 1, None]) == "['a', 1, None]"
        assertThat(PyText.str(List.of("a", 1))).isEqualTo("['a', 1]");
        assertThat(PyText.str("plain")).isEqualTo("plain");
        assertThat(PyText.str(false)).isEqualTo("False");
    }
}
