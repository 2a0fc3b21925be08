package io.budgetctl.engine.template;

import java.util.Collection;
import java.util.Map;

/** Python truthiness, which Jinja2 and Ansible conditionals use. */
public final class Truth {
    private Truth() {
    }

    public static boolean of(Object v) {
        if (v == null) {
            return false;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof Number n) {
            return n.doubleValue() != 0;
        }
        if (v instanceof CharSequence s) {
            return s.length() > 0;
        }
        if (v instanceof Collection<?> c) {
            return !c.isEmpty();
        }
        if (v instanceof Map<?, ?> m) {
            return !m.isEmpty();
        }
        return true;
    }
}
