package io.budgetctl.engine.template;

import io.budgetctl.engine.api.SourceLocation;
import java.util.Map;

/**
 * Jinja2 templating as Ansible does it, on Jinjava. Errors (undefined variable, syntax, bad filter argument) are
 * {@link io.budgetctl.engine.api.EngineException}s naming the variable, file and line.
 */
public interface Templater {

    /**
     * Templates a value from a playbook: strings are rendered; maps and lists recursively. A string that is exactly
     * one expression ({@code "{{ x }}"}) keeps the native type of the result (list, dict, int, bool), like Ansible.
     */
    Object render(Object value, Map<String, Object> vars, SourceLocation location);

    /** Renders a whole template file (the template module, lookup('template')) to text. */
    String renderText(String template, Map<String, Object> vars, SourceLocation location);

    /**
     * {@link #renderText} with the directories where {@code {% include %}}, {@code {% import %}} and
     * {@code {% extends %}} look for files (each's {@code templates/}, then itself), as the template module passes them.
     */
    default String renderText(String template, Map<String, Object> vars, SourceLocation location,
                              java.util.List<java.nio.file.Path> searchPath) {
        return renderText(template, vars, location);
    }

    /**
     * Evaluates a bare Jinja2 expression ({@code when:}, {@code failed_when:}, {@code assert that:}) to its native
     * value.
     */
    Object evaluate(String expression, Map<String, Object> vars, SourceLocation location);

    /** {@link #evaluate} then Ansible's truthiness. */
    default boolean isTrue(String expression, Map<String, Object> vars, SourceLocation location) {
        return Truth.of(evaluate(expression, vars, location));
    }
}
