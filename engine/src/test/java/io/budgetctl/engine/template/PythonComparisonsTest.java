package io.budgetctl.engine.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.budgetctl.engine.api.EngineException;
import io.budgetctl.engine.api.Secret;
import io.budgetctl.engine.api.SourceLocation;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What the differential suite (Jinja2DifferentialIT, cases expr_int_eq_str ...) cannot show: comparisons of values
 * Python never sees (secrets, numbers beyond a long, int-keyed dicts from YAML), and the messages with the file.
 */
class PythonComparisonsTest {
    private static final SourceLocation LOC = new SourceLocation("roles/app/tasks/main.yml", 4, 9);

    private final JinjavaTemplater templater = JinjavaTemplater.create();

    private Object eval(String expr, Map<String, Object> vars) {
        return templater.evaluate(expr, vars, LOC);
    }

    @Test
    void givenASecret_whenComparedOrSearched_thenItIsItsTextAsBefore() {
        // given
        Map<String, Object> vars = Map.of("pw", Secret.of("s3cr3t"), "names", List.of("s3cr3t", "other"));

        // then: JUEL compared a secret as text; Python's rules keep that (a secret stands for a str)
        assertThat(eval("pw == 's3cr3t'", vars)).isEqualTo(true);
        assertThat(eval("pw != 's3cr3t'", vars)).isEqualTo(false);
        assertThat(eval("pw in names", vars)).isEqualTo(true);
        assertThat(eval("'3cr' in pw", vars)).isEqualTo(true);
        assertThat(eval("pw < 't'", vars)).isEqualTo(true);
    }

    @Test
    void givenYamlIntKeys_whenSearchedWithAnotherType_thenOnlyPythonEqualKeysMatch() {
        // given: {1: a} as YAML gives it (the differential suite passes variables through JSON, which makes keys text)
        Map<String, Object> vars = Map.of("codes", Map.of(1L, "a"));

        // then
        assertThat(eval("[1 in codes, 1.0 in codes, true in codes, '1' in codes]", vars))
                .isEqualTo(List.of(true, true, true, false));
    }

    @Test
    void givenNumbersBeyondALong_whenOrdered_thenTheyCompareExactly() {
        // given
        Map<String, Object> vars = Map.of("big", new BigInteger("18446744073709551617"), "max", Long.MAX_VALUE);

        // then: comparing longValue() of the big one would wrap around to 1
        assertThat(eval("[big > max, max < big, big == big, big > 1]", vars))
                .isEqualTo(List.of(true, true, true, true));
    }

    @Test
    void givenMixedTypes_whenOrdered_thenTheErrorNamesBothTypesAndTheTask() {
        assertThatThrownBy(() -> eval("port > '80'", Map.of("port", 8080L)))
                .isInstanceOfSatisfying(EngineException.class, e -> {
                    assertThat(e.oneLine()).contains("roles/app/tasks/main.yml:4:9")
                            .contains("'>' not supported between instances of 'int' and 'str'");
                    assertThat(e.hint()).contains("| int");
                });
        assertThatThrownBy(() -> eval("[1] < (1, 2)", Map.of()))
                .isInstanceOf(EngineException.class)
                .hasMessageContaining("'<' not supported between instances of 'list' and 'tuple'");
    }

    @Test
    void givenATemplateCondition_whenTheTypesDiffer_thenTheElseBranchIsTaken() {
        // given
        String template = "{% if port == '8080' %}text{% elif port == 8080 %}number{% endif %}"
                + "{{ ' no' if '8080' in [port] else ' yes' }}";

        // then
        assertThat(templater.renderText(template, Map.of("port", 8080L), LOC)).isEqualTo("number yes");
    }
}
