package io.budgetctl.modules;

import com.hubspot.jinjava.Jinjava;
import io.budgetctl.engine.api.SourceLocation;
import io.budgetctl.engine.template.Templater;
import java.util.Map;

/**
 * Test-only Templater on real Jinjava, until the engine's JinjavaTemplater is merged (then switch to it). Renders
 * for real; it only lacks Ansible's filters and native types.
 */
final class JinjavaTestTemplater implements Templater {
    private final Jinjava jinjava = new Jinjava();

    @Override
    public Object render(Object value, Map<String, Object> vars, SourceLocation location) {
        return value instanceof String s ? jinjava.render(s, vars) : value;
    }

    @Override
    public String renderText(String template, Map<String, Object> vars, SourceLocation location) {
        return jinjava.render(template, vars);
    }

    @Override
    public Object evaluate(String expression, Map<String, Object> vars, SourceLocation location) {
        return jinjava.render("{{ " + expression + " }}", vars);
    }
}
