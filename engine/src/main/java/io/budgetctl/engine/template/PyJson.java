package io.budgetctl.engine.template;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** Python's {@code json.dumps} output (ensure_ascii, separators, indent, sort_keys), as to_json/to_nice_json give. */
final class PyJson {
    private PyJson() {
    }

    static String dumps(Object v, Integer indent, boolean sortKeys, String itemSep, String keySep) {
        StringBuilder sb = new StringBuilder();
        write(v, indent, sortKeys, itemSep, keySep, 0, sb);
        return sb.toString();
    }

    private static void write(Object v, Integer indent, boolean sort, String itemSep, String keySep, int level,
            StringBuilder sb) {
        if (v == null) {
            sb.append("null");
        } else if (v instanceof Undefined u) {
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
            string(Py.str(v), sb);
        } else if (v instanceof Map<?, ?> m) {
            if (m.isEmpty()) {
                sb.append("{}");
                return;
            }
            List<Map.Entry<String, Object>> entries = new ArrayList<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                entries.add(Map.entry(key(e.getKey()), e.getValue() == null ? NULL : e.getValue()));
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
                string(entries.get(i).getKey(), sb);
                sb.append(keySep);
                Object val = entries.get(i).getValue();
                write(val == NULL ? null : val, indent, sort, itemSep, keySep, level + 1, sb);
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
                write(o, indent, sort, itemSep, keySep, level + 1, sb);
            }
            newline(indent, level, sb);
            sb.append(']');
        } else {
            throw new TemplateFailure("Object of type " + Py.typeName(v) + " is not JSON serializable");
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
                    if (c < 0x20 || c > 0x7e) {
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
