package io.budgetctl.engine.template;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Python's {@code json.dumps} output (ensure_ascii, separators, indent, sort_keys): as to_json/to_nice_json give it
 * in templates, and as Ansible's callbacks show a task's result on the console ({@link #display}). The one
 * implementation of both.
 */
public final class PyJson {
    private PyJson() {
    }

    /** How values that JSON has no form for are written: a template fails; the console shows their text. */
    private record Style(boolean ensureAscii, boolean strict) {
    }

    private static final Style TEMPLATE = new Style(true, true);
    private static final Style DISPLAY = new Style(false, false);

    /** json.dumps in a template: a value JSON has no form for fails; a negative indent is 0, as in Python. */
    static String dumps(Object v, Integer indent, boolean sortKeys, String itemSep, String keySep,
            boolean ensureAscii) {
        StringBuilder sb = new StringBuilder();
        write(v, indent == null ? null : Math.max(0, indent), sortKeys, itemSep, keySep, 0, sb,
                ensureAscii ? TEMPLATE : new Style(false, true));
        return sb.toString();
    }

    /**
     * A result as Ansible's callbacks print it: {@code json.dumps(v, sort_keys=True, ensure_ascii=False)} on one
     * line ({@code indent} 0) or indented. A value without a JSON form is shown as its text, so a
     * {@link io.budgetctl.engine.api.Secret} shows masked.
     */
    public static String display(Object v, int indent) {
        StringBuilder sb = new StringBuilder();
        write(v, indent > 0 ? indent : null, true, ", ", ": ", 0, sb, DISPLAY);
        return sb.toString();
    }

    private static void write(Object v, Integer indent, boolean sort, String itemSep, String keySep, int level,
            StringBuilder sb, Style style) {
        if (v != null && !style.strict() && v.getClass().isArray()) {
            List<Object> items = new ArrayList<>();
            for (int i = 0; i < java.lang.reflect.Array.getLength(v); i++) {
                items.add(java.lang.reflect.Array.get(v, i));
            }
            v = items;
        }
        if (v == null) {
            sb.append("null");
        } else if (v instanceof Undefined u && style.strict()) {
            throw u.fail();
        } else if (v instanceof Boolean b) {
            sb.append(b ? "true" : "false");
        } else if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            sb.append(Double.isNaN(d) ? "NaN" : Double.isInfinite(d) ? (d > 0 ? "Infinity" : "-Infinity")
                    : Py.floatRepr(d));
        } else if (v instanceof Number) {
            sb.append(Py.repr(v));
        } else if (v instanceof CharSequence) {
            string(style.strict() ? Py.str(v) : v.toString(), sb, style.ensureAscii());
        } else if (v instanceof Map<?, ?> m) {
            if (m.isEmpty()) {
                sb.append("{}");
                return;
            }
            List<Map.Entry<String, Object>> entries = new ArrayList<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                entries.add(Map.entry(style.strict() ? key(e.getKey()) : String.valueOf(e.getKey()),
                        e.getValue() == null ? NULL : e.getValue()));
            }
            if (sort) {
                entries.sort((a, b) -> Py.compareStrings(a.getKey(), b.getKey()));
            }
            sb.append('{');
            for (int i = 0; i < entries.size(); i++) {
                if (i > 0) {
                    sb.append(indent == null ? itemSep : itemSep.stripTrailing());
                }
                newline(indent, level + 1, sb);
                string(entries.get(i).getKey(), sb, style.ensureAscii());
                sb.append(keySep);
                Object val = entries.get(i).getValue();
                write(val == NULL ? null : val, indent, sort, itemSep, keySep, level + 1, sb, style);
            }
            newline(indent, level, sb);
            sb.append('}');
        } else if (v instanceof Collection<?> c) {
            if (c.isEmpty()) {
                sb.append("[]");
                return;
            }
            sb.append('[');
            int i = 0;
            for (Object o : c) {
                if (i++ > 0) {
                    sb.append(indent == null ? itemSep : itemSep.stripTrailing());
                }
                newline(indent, level + 1, sb);
                write(o, indent, sort, itemSep, keySep, level + 1, sb, style);
            }
            newline(indent, level, sb);
            sb.append(']');
        } else if (style.strict()) {
            throw new TemplateFailure("Object of type " + Py.typeName(v) + " is not JSON serializable");
        } else {
            string(v.toString(), sb, false);
        }
    }

    private static final Object NULL = new Object();

    private static String key(Object k) {
        if (k instanceof CharSequence) {
            return Py.str(k);
        }
        if (k == null) {
            return "null";
        }
        if (k instanceof Boolean b) {
            return b ? "true" : "false";
        }
        if (k instanceof Number) {
            return Py.repr(k);
        }
        throw new TemplateFailure("keys must be str, int, float, bool or None, not " + Py.typeName(k));
    }

    private static void newline(Integer indent, int level, StringBuilder sb) {
        if (indent != null) {
            sb.append('\n').append(" ".repeat(indent * level));
        }
    }

    static void string(String s, StringBuilder sb) {
        string(s, sb, true);
    }

    private static void string(String s, StringBuilder sb, boolean ensureAscii) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20 || (ensureAscii && c > 0x7e)) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
