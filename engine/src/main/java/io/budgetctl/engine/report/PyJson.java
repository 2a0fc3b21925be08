package io.budgetctl.engine.report;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Serialises a result the way Ansible's callbacks show it: Python's {@code json.dumps(obj, sort_keys=True,
 * ensure_ascii=False)} — {@code ", "} and {@code ": "} separators on one line, or an indent of 4 with {@code ","} at
 * line ends. Anything that is not a map, collection, array, string, number, boolean or null is shown as its
 * {@code toString()} (so a {@link io.budgetctl.engine.api.Secret} shows masked).
 */
final class PyJson {
    private PyJson() {
    }

    static String dumps(Object value, int indent) {
        StringBuilder sb = new StringBuilder();
        write(sb, value, indent, 0);
        return sb.toString();
    }

    private static void write(StringBuilder sb, Object value, int indent, int depth) {
        if (value == null) {
            sb.append("null");
        } else if (value instanceof Boolean b) {
            sb.append(b ? "true" : "false");
        } else if (value instanceof Double || value instanceof Float) {
            sb.append(pyFloat(((Number) value).doubleValue()));
        } else if (value instanceof Number n) {
            sb.append(n);
        } else if (value instanceof Map<?, ?> map) {
            Map<String, Object> sorted = new TreeMap<>();
            map.forEach((k, v) -> sorted.put(String.valueOf(k), v));
            if (sorted.isEmpty()) {
                sb.append("{}");
                return;
            }
            sb.append('{');
            boolean first = true;
            for (Map.Entry<String, Object> e : sorted.entrySet()) {
                separator(sb, first, indent, depth + 1);
                first = false;
                string(sb, e.getKey());
                sb.append(": ");
                write(sb, e.getValue(), indent, depth + 1);
            }
            close(sb, indent, depth);
            sb.append('}');
        } else if (value instanceof Collection<?> || value.getClass().isArray()) {
            List<Object> items = asList(value);
            if (items.isEmpty()) {
                sb.append("[]");
                return;
            }
            sb.append('[');
            boolean first = true;
            for (Object item : items) {
                separator(sb, first, indent, depth + 1);
                first = false;
                write(sb, item, indent, depth + 1);
            }
            close(sb, indent, depth);
            sb.append(']');
        } else {
            string(sb, value.toString());
        }
    }

    private static List<Object> asList(Object value) {
        if (value instanceof Collection<?> c) {
            return new ArrayList<>(c);
        }
        int n = Array.getLength(value);
        List<Object> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            list.add(Array.get(value, i));
        }
        return list;
    }

    private static void separator(StringBuilder sb, boolean first, int indent, int depth) {
        if (indent > 0) {
            sb.append(first ? "\n" : ",\n").append(" ".repeat(indent * depth));
        } else if (!first) {
            sb.append(", ");
        }
    }

    private static void close(StringBuilder sb, int indent, int depth) {
        if (indent > 0) {
            sb.append('\n').append(" ".repeat(indent * depth));
        }
    }

    /** Python's {@code repr(float)} for the common cases: 1.0, 0.5, 1e+20, nan, inf. */
    static String pyFloat(double d) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "Infinity" : "-Infinity";
        }
        if (d == Math.rint(d) && Math.abs(d) < 1e16) {
            return String.format("%d.0", (long) d);
        }
        String s = Double.toString(d);
        int e = s.indexOf('E');
        if (e < 0) {
            return s;
        }
        String mantissa = s.substring(0, e).replaceAll("\\.0$", "");
        int exp = Integer.parseInt(s.substring(e + 1));
        return mantissa + "e" + (exp < 0 ? "-" : "+") + String.format("%02d", Math.abs(exp));
    }

    static void string(StringBuilder sb, String s) {
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
                    if (c < 0x20) {
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
