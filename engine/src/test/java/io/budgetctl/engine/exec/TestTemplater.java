package io.budgetctl.engine.exec;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import io.budgetctl.engine.api.SourceLocation;
import io.budgetctl.engine.template.Templater;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A minimal test-only {@link Templater} on real Jinjava (the production JinjavaTemplater is built on another
 * branch). Keeps the native type of a string that is exactly one expression, like Ansible.
 */
public final class TestTemplater implements Templater {
    private static final Pattern SINGLE = Pattern.compile("^\\{\\{\\s*(.+?)\\s*}}$", Pattern.DOTALL);
    private final Jinjava jinjava = new Jinjava();

    @Override
    public Object render(Object value, Map<String, Object> vars, SourceLocation location) {
        if (value instanceof String s) {
            if (!s.contains("{{") && !s.contains("{%")) {
                return s;
            }
            Matcher m = SINGLE.matcher(s.strip());
            if (m.matches() && !m.group(1).contains("}}")) {
                return evaluate(m.group(1), vars, location);
            }
            return renderText(s, vars, location);
        }
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(k, render(v, vars, location)));
            return out;
        }
        if (value instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            l.forEach(v -> out.add(render(v, vars, location)));
            return out;
        }
        return value;
    }

    @Override
    public String renderText(String template, Map<String, Object> vars, SourceLocation location) {
        return jinjava.render(template, vars);
    }

    @Override
    public Object evaluate(String expression, Map<String, Object> vars, SourceLocation location) {
        JinjavaInterpreter interp = jinjava.newInterpreter();
        interp.getContext().putAll(vars);
        JinjavaInterpreter.pushCurrent(interp);
        try {
            return interp.resolveELExpression(expression, 1);
        } finally {
            JinjavaInterpreter.popCurrent();
        }
    }
}
