package io.budgetctl.engine.template;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * PyYAML's {@code yaml.dump} output as Ansible's to_yaml (flow style for leaf collections) and to_nice_yaml (block
 * style, indent 4) produce it: sorted keys, PyYAML's indentless sequences, YAML 1.1 quoting of strings that would read
 * back as something else. Long lines are not folded (PyYAML folds plain scalars past 80 columns).
 */
final class PyYaml {
    private static final Pattern IMPLICIT = Pattern.compile(
            "yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF"
                    + "|~|null|Null|NULL|<<|="
                    + "|[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+"
                    + "|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+"
                    + "|[-+]?(?:[0-9][0-9_]*)\\.[0-9_]*(?:[eE][-+][0-9]+)?|\\.[0-9_]+(?:[eE][-+][0-9]+)?"
                    + "|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\\.[0-9_]*|[-+]?\\.(?:inf|Inf|INF)|\\.(?:nan|NaN|NAN)"
                    + "|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:(?:[Tt]|[ \\t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9]"
                    + "(?:\\.[0-9]*)?(?:[ \\t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)?");

    private final int indent;
    private final Boolean flowStyle;
    private final boolean sortKeys;
    private final StringBuilder out = new StringBuilder();

    private PyYaml(int indent, Boolean flowStyle, boolean sortKeys) {
        this.indent = indent;
        this.flowStyle = flowStyle;
        this.sortKeys = sortKeys;
    }

    /**
     * yaml.dump with {@code indent}, {@code default_flow_style} (None: flow style for collections of scalars only,
     * False: block style, True: flow style throughout) and keys sorted or as inserted.
     */
    static String dump(Object v, int indent, Boolean flowStyle, boolean sortKeys) {
        PyYaml y = new PyYaml(indent, flowStyle, sortKeys);
        y.node(v, 0, Ctx.ROOT);
        y.out.append('\n');
        return y.out.toString();
    }

    private enum Ctx { ROOT, MAPVALUE, SEQITEM }

    private static boolean isCollection(Object v) {
        return v instanceof Map || v instanceof Collection;
    }

    private static boolean isEmptyCollection(Object v) {
        return (v instanceof Map<?, ?> m && m.isEmpty()) || (v instanceof Collection<?> c && c.isEmpty());
    }

    private boolean useFlow(Object v) {
        if (isEmptyCollection(v) || Boolean.TRUE.equals(flowStyle)) {
            return true;
        }
        if (flowStyle != null) {
            return false;
        }
        Collection<?> children = v instanceof Map<?, ?> m ? m.values() : (Collection<?>) v;
        for (Object c : children) {
            if (isCollection(c)) {
                return false;
            }
        }
        return true;
    }

    /** Writes v whose first line continues the current line; col is the block indent of v's own lines. */
    private void node(Object v, int col, Ctx ctx) {
        if (!isCollection(v)) {
            if (ctx == Ctx.MAPVALUE) {
                out.append(' ');
            }
            scalar(v, false, col);
            return;
        }
        if (useFlow(v)) {
            if (ctx == Ctx.MAPVALUE) {
                out.append(' ');
            }
            flow(v);
            return;
        }
        if (v instanceof Map<?, ?> m) {
            boolean first = true;
            for (Map.Entry<?, ?> e : sorted(m)) {
                if (!(first && ctx == Ctx.SEQITEM)) {
                    if (ctx != Ctx.ROOT || !first) {
                        out.append('\n');
                    }
                    out.append(" ".repeat(col));
                }
                first = false;
                scalar(e.getKey(), false, col);
                out.append(':');
                Object val = e.getValue();
                if (isCollection(val) && !useFlow(val)) {
                    node(val, val instanceof Map ? col + indent : col, Ctx.MAPVALUE);
                } else {
                    node(val, col + indent, Ctx.MAPVALUE);
                }
            }
        } else {
            boolean first = true;
            for (Object item : (Collection<?>) v) {
                if (!(first && ctx == Ctx.SEQITEM)) {
                    if (ctx != Ctx.ROOT || !first) {
                        out.append('\n');
                    }
                    out.append(" ".repeat(col));
                }
                first = false;
                out.append('-');
                if (isCollection(item) && !useFlow(item)) {
                    out.append(" ".repeat(indent - 1));
                    node(item, col + indent, Ctx.SEQITEM);
                } else {
                    out.append(' ');
                    node(item, col + indent, Ctx.SEQITEM);
                }
            }
        }
    }

    private void flow(Object v) {
        if (v instanceof Map<?, ?> m) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : sorted(m)) {
                if (!first) {
                    out.append(", ");
                }
                first = false;
                scalar(e.getKey(), true, 0);
                out.append(": ");
                if (isCollection(e.getValue())) {
                    flow(e.getValue());
                } else {
                    scalar(e.getValue(), true, 0);
                }
            }
            out.append('}');
        } else {
            out.append('[');
            boolean first = true;
            for (Object o : (Collection<?>) v) {
                if (!first) {
                    out.append(", ");
                }
                first = false;
                if (isCollection(o)) {
                    flow(o);
                } else {
                    scalar(o, true, 0);
                }
            }
            out.append(']');
        }
    }

    private List<Map.Entry<?, ?>> sorted(Map<?, ?> m) {
        List<Map.Entry<?, ?>> entries = new ArrayList<>(m.entrySet());
        if (sortKeys) {
            entries.sort((a, b) -> Py.compare(a.getKey(), b.getKey()));
        }
        return entries;
    }

    private void scalar(Object v, boolean inFlow, int col) {
        if (v == null) {
            out.append("null");
        } else if (v instanceof Undefined u) {
            throw u.fail();
        } else if (v instanceof Boolean b) {
            out.append(b ? "true" : "false");
        } else if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            if (Double.isNaN(d)) {
                out.append(".nan");
            } else if (Double.isInfinite(d)) {
                out.append(d > 0 ? ".inf" : "-.inf");
            } else {
                String r = Py.floatRepr(d);
                if (r.contains("e") && !r.contains(".")) {
                    r = r.replace("e", ".0e");
                }
                out.append(r);
            }
        } else if (v instanceof Number) {
            out.append(Py.repr(v));
        } else {
            String s = Py.str(v);
            switch (style(s, inFlow)) {
                case 'p' -> out.append(s);
                case 's' -> {
                    out.append('\'');
                    String cont = "\n" + " ".repeat(col);
                    out.append(s.replace("'", "''").replace("\n", "\n" + cont));
                    out.append('\'');
                }
                default -> doubleQuoted(s);
            }
        }
    }

    /** 'p' plain, 's' single-quoted, 'd' double-quoted. */
    private static char style(String s, boolean inFlow) {
        if (s.isEmpty()) {
            return 's';
        }
        boolean special = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ((c < 0x20 && c != '\n') || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == '\ufeff'
                   ) {
                special = true;
            }
        }
        if (special) {
            return 'd';
        }
        if (IMPLICIT.matcher(s).matches()) {
            return 's';
        }
        char first = s.charAt(0);
        boolean followedBySpace = s.length() == 1 || s.charAt(1) == ' ';
        if ("#,[]{}&*!|>'\"%@`".indexOf(first) >= 0) {
            return 's';
        }
        if ("-?:".indexOf(first) >= 0 && followedBySpace) {
            return 's';
        }
        if (s.startsWith("---") || s.startsWith("...")) {
            return 's';
        }
        if (s.contains(": ") || s.contains(" #") || s.endsWith(":") || s.contains("\n") || s.startsWith(" ")
                || s.endsWith(" ") || s.contains("\t")) {
            return 's';
        }
        if (inFlow && (s.contains(",") || s.contains("[") || s.contains("]") || s.contains("{") || s.contains("}")
                || s.contains("?") || s.contains(":"))) {
            return 's';
        }
        return 'p';
    }

    private void doubleQuoted(String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '\r' -> out.append("\\r");
                case 0 -> out.append("\\0");
                case 7 -> out.append("\\a");
                case 8 -> out.append("\\b");
                case 0x1b -> out.append("\\e");
                default -> {
                    if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
                        out.append(String.format("\\x%02X", (int) c));
                    } else if (c == '\ufeff') {
                        out.append("\\uFEFF");
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
