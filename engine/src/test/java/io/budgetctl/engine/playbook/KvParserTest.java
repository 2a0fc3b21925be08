package io.budgetctl.engine.playbook;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** key=value arguments as Ansible's parse_kv reads them (2.14's module_utils/splitter). */
class KvParserTest {
    @Test
    void aPairsEscapesAreDecodedLikeAnsibles() {
        // when: YAML plain text, so the backslashes reach the parser as written
        Map<String, Object> args = KvParser.parse("msg=\"{{ x | regex_search('(\\\\d)(\\\\d)', '\\\\2') }}\""
                + " path=a\\tb note=\"say \\\"hi\\\"\" uni=\\u00e9\\x41 name=\\N{BULLET} other=\\q", false);
        // then: a doubled backslash is one, backslash-t a tab, backslash-quote a quote, u/x/N escapes are
        // characters; unknown escapes stay
        assertThat(args).containsEntry("msg", "{{ x | regex_search('(\\d)(\\d)', '\\2') }}")
                .containsEntry("path", "a\tb").containsEntry("note", "say \"hi\"").containsEntry("uni", "éA")
                .containsEntry("name", "\u2022").containsEntry("other", "\\q");
    }

    @Test
    void freeFormTextStaysAsWritten() {
        // when
        Map<String, Object> args = KvParser.parse("printf 'a\\\\nb' chdir=/tmp", true);
        // then: only the pair is decoded; the command keeps its backslashes
        assertThat(args).containsEntry("_raw_params", "printf 'a\\\\nb'").containsEntry("chdir", "/tmp");
    }
}
