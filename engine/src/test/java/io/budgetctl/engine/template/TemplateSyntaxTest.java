package io.budgetctl.engine.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.budgetctl.engine.api.EngineException;
import io.budgetctl.engine.api.SourceLocation;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TemplateSyntaxTest {
    private final JinjavaTemplater templater = JinjavaTemplater.create();

    @Test
    void an_unclosed_print_in_a_task_value_fails_at_the_value_with_the_template_position() {
        // when / then
        assertThatThrownBy(() -> templater.render("Hello {{ name", Map.of("name", "x"),
                new SourceLocation("site.yml", 7, 14))).isInstanceOfSatisfying(EngineException.class, e -> {
                    assertThat(e.oneLine()).isEqualTo("site.yml:7:14: template syntax error: unexpected end of"
                            + " template, expected 'end of print statement'. (template line 1, column 7)");
                    assertThat(e.hint()).contains("{{ '{{' }}");
                });
    }

    @Test
    void in_a_template_file_the_location_is_the_opening_tag() {
        // given a template file (a location without a line)
        String source = "a = 1\nb = {% if on %}2\nc = 3\n";

        // when / then
        assertThatThrownBy(() -> templater.renderText(source, Map.of("on", true),
                SourceLocation.of("templates/app.conf.j2"))).isInstanceOfSatisfying(EngineException.class,
                        e -> assertThat(e.oneLine()).isEqualTo("templates/app.conf.j2:2:5: template syntax error:"
                                + " Unexpected end of template. Jinja was looking for the following tags: 'endif'."
                                + " The innermost block that needs to be closed is 'if'."));
    }

    @Test
    void closing_braces_inside_strings_and_brackets_do_not_end_a_tag() {
        // when
        String out = templater.renderText("{{ '}}' ~ {'k': {'v': 1}}['k']['v'] }} {# a }} b #}{% set s = ')' %}{{ s }}",
                Map.of(), SourceLocation.of("t.j2"));

        // then
        assertThat(out).isEqualTo("}}1 )");
    }

    @Test
    void nested_blocks_and_whitespace_control_are_matched() {
        // when
        String out = templater.renderText("{%- for u in us -%}{% if u %}{{ u }}{% endif %}{%- endfor %}"
                + "{% raw %}{{ {% endraw %}", Map.of("us", java.util.List.of("a", "b")), SourceLocation.of("t.j2"));

        // then
        assertThat(out).isEqualTo("ab{{ ");
    }
}
