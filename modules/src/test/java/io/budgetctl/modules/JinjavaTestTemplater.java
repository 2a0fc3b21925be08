package io.budgetctl.modules;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.interpret.Context;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.interpret.TemplateError;
import io.budgetctl.engine.api.EngineException;
import io.budgetctl.engine.api.SourceLocation;
import io.budgetctl.engine.template.Templater;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Test-only {@link Templater} on real Jinjava, until the engine's JinjavaTemplater is merged. Unknown variables fail
 * (Ansible's "is undefined"), also inside larger expressions ({@code missing == 1}), which Jinjava's own
 * failOnUnknownTokens does not catch.
 */
final class JinjavaTestTemplater implements Templater {
    private final Jinjava jinjava = new Jinjava(JinjavaConfig.newBuilder().withFailOnUnknownTokens(true).build());

    @Override
    public Object render(Object value, Map<String, Object> vars, SourceLocation location) {
        if (value instanceof String s) {
            String t = s.strip();
            if (t.startsWith("{{") && t.endsWith("}}") && t.indexOf("{{", 2) < 0) {
                return evaluate(t.substring(2, t.length() - 2), vars, location);
            }
            return renderText(s, vars, location);
        }
        return value;
    }

    @Override
    public String renderText(String template, Map<String, Object> vars, SourceLocation location) {
        try {
            return jinjava.render(template, vars);
        } catch (RuntimeException e) {
            throw new EngineException(location, e.getMessage(), null, e);
        }
    }

    @Override
    public Object evaluate(String expression, Map<String, Object> vars, SourceLocation location) {
        Context context = new StrictContext(jinjava.getGlobalContext(), vars);
        JinjavaInterpreter interpreter = new JinjavaInterpreter(jinjava, context, jinjava.getGlobalConfig());
        JinjavaInterpreter.pushCurrent(interpreter);
        try {
            Object v = interpreter.resolveELExpression(expression, 1);
            if (!interpreter.getErrors().isEmpty()) {
                throw new EngineException(location, interpreter.getErrors().stream().map(TemplateError::getMessage)
                        .collect(Collectors.joining("; ")), null);
            }
            return v;
        } catch (EngineException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new EngineException(location, "'" + expression + "': " + e.getMessage(), null, e);
        } finally {
            JinjavaInterpreter.popCurrent();
        }
    }

    /** Looking up a variable that is not defined anywhere throws, as Ansible's StrictUndefined does. */
    private static final class StrictContext extends Context {
        private final Map<String, ?> vars;

        StrictContext(Context parent, Map<String, ?> vars) {
            super(parent, vars);
            this.vars = vars;
        }

        @Override
        public Object get(Object key) {
            Object v = super.get(key);
            if (v == null && key instanceof String k && !k.startsWith("__") && !vars.containsKey(k)
                    && k.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw new com.hubspot.jinjava.interpret.UnknownTokenException("'" + k + "' is undefined", 1, 1);
            }
            return v;
        }
    }
}
