package io.budgetctl.engine.exec;

import java.util.Collection;
import java.util.Map;
import java.util.stream.Collectors;

/** Python's str()/repr() of plain values, for loop item labels and environment values, as Ansible shows them. */
final class Py {
    private Py() {
    }

    static String str(Object v) {
        if (v == null) {
            return "None";
        }
        if (v instanceof Boolean b) {
            return b ? "True" : "False";
        }
        if (v instanceof String s) {
            return s;
        }
        return repr(v);
    }

    static String repr(Object v) {
        if (v == null) {
            return "None";
        }
        if (v instanceof Boolean b) {
            return b ? "True" : "False";
        }
        if (v instanceof CharSequence s) {
            return v instanceof String ? s.toString() : s.toString();
        }
        if (v instanceof Map<?, ?> m) {
            return m.entrySet().stream().map(e -> quote(e.getKey()) + ": " + quote(e.getValue()))
                    .collect(Collectors.joining(", ", "{", "}"));
        }
        if (v instanceof Collection<?> c) {
            return c.stream().map(Py::quote).collect(Collectors.joining(", ", "[", "]"));
        }
        return String.valueOf(v);
    }

    private static String quote(Object v) {
        if (v instanceof String s) {
            return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
        }
        return repr(v);
    }
}
