package io.budgetctl.engine.template;

import com.hubspot.jinjava.lib.filter.Filter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * Jinja2 built-in filters whose Jinjava versions differ from Python Jinja2 3.x in what they produce (silently):
 * {@code round} (Python's round-half-to-even on the exact binary value, int stays int), {@code batch} (no padding
 * unless {@code fill_with} is given), {@code truncate} (leeway 5, {@code killwords}, {@code end}) and {@code tojson}
 * (sorted keys, ensure_ascii, HTML-safe escapes of {@code < > & '}). Python Jinja2 is the oracle
 * (template/cases.yaml).
 */
final class Jinja2Builtins {
    /** Jinja2's default {@code truncate.leeway} policy. */
    static final int TRUNCATE_LEEWAY = 5;

    private Jinja2Builtins() {
    }

    static List<Filter> all() {
        List<Filter> f = new ArrayList<>();
        f.add(Fn.filter("round", "precision=0, method='common'", false, (v, a) -> round(v,
                (int) a.integer("precision"), a.str("method"))));
        f.add(Fn.filter("batch", "linecount, fill_with=None", false, (v, a) -> batch(AnsibleFilters.list(v, "batch"),
                (int) a.integer("linecount"), a.get("fill_with"))));
        f.add(Fn.filter("truncate", "length=255, killwords=False, end='...', leeway=None", false, (v, a) -> {
            Long leeway = a.integerOrNone("leeway"); // None: the environment's policy, 5
            return truncate(Py.str(v), (int) a.integer("length"), a.bool("killwords"), a.str("end"),
                    leeway == null ? TRUNCATE_LEEWAY : leeway.intValue());
        }));
        f.add(Fn.filter("tojson", "indent=None", false, (v, a) -> {
            Long indent = a.integerOrNone("indent");
            return htmlSafe(PyJson.dumps(v, indent == null ? null : indent.intValue(), true, ", ", ": ", true));
        }));
        f.add(Fn.filter("groupby", "attribute, default=None, case_sensitive=False", false, (v, a) -> groupby(
                AnsibleFilters.list(v, "groupby"), a.get("attribute"), a.get("default"), a.bool("case_sensitive"))));
        return f;
    }

    /**
     * Jinja2's {@code groupby}: groups sorted by key (case-insensitively unless asked), as (grouper, list) tuples
     * ({@code for k, v in ...} and {@code g[0]} work; the {@code .grouper}/{@code .list} attributes do not).
     */
    static List<Object> groupby(List<Object> items, Object attribute, Object dflt, boolean caseSensitive) {
        java.util.Map<Object, List<Object>> groups = new java.util.LinkedHashMap<>();
        java.util.Map<Object, Object> firstKey = new java.util.LinkedHashMap<>();
        for (Object item : items) {
            Object key = attr(item, Py.str(attribute), dflt);
            Object norm = !caseSensitive && key instanceof CharSequence ? Py.str(key).toLowerCase(java.util.Locale.ROOT)
                    : key;
            Object found = null;
            for (Object k : groups.keySet()) {
                if (Py.eq(k, norm)) {
                    found = k;
                    break;
                }
            }
            if (found == null) {
                groups.put(norm, new ArrayList<>());
                firstKey.put(norm, key);
                found = norm;
            }
            groups.get(found).add(item);
        }
        List<Object> keys = new ArrayList<>(groups.keySet());
        keys.sort(Py::compare); // Python's sorted() is stable, so equal keys keep their order
        List<Object> out = new ArrayList<>();
        for (Object k : keys) {
            out.add(new PyTuple(firstKey.get(k), groups.get(k)));
        }
        return out;
    }

    /** Jinja2's make_attrgetter: dotted path of keys/indexes, the default when missing. */
    private static Object attr(Object item, String path, Object dflt) {
        Object v = item;
        for (String part : path.split("\\.")) {
            if (v instanceof java.util.Map<?, ?> m) {
                Object k = Py.findKey(m, part.matches("-?\\d+") && Py.findKey(m, part) == Py.NO_KEY
                        ? Long.parseLong(part) : part);
                if (k == Py.NO_KEY) {
                    if (dflt != null) {
                        return dflt;
                    }
                    throw Undefined.attribute(v, part).fail();
                }
                v = m.get(k);
            } else if (v instanceof List<?> l && part.matches("-?\\d+")) {
                v = l.get(Integer.parseInt(part));
            } else {
                if (dflt != null) {
                    return dflt;
                }
                throw Undefined.attribute(v, part).fail();
            }
        }
        return v;
    }

    /** Jinja2's {@code round}: {@code common} is Python's {@code round(value, precision)}; ceil/floor give floats. */
    static Object round(Object v, int precision, String method) {
        if (!(v instanceof Number n) || v instanceof Boolean) {
            throw new TemplateFailure("round: type " + Py.typeName(v) + " doesn't define __round__ method",
                    "round numbers only: {{ x | float | round(2) }}");
        }
        RoundingMode mode = switch (method) {
            case "common" -> RoundingMode.HALF_EVEN;
            case "ceil" -> RoundingMode.CEILING;
            case "floor" -> RoundingMode.FLOOR;
            default -> throw new TemplateFailure("method must be common, ceil or floor",
                    "use round(precision, 'common'|'ceil'|'floor')");
        };
        if (Py.isIntegral(n) && mode == RoundingMode.HALF_EVEN) {
            // Python: round(int, ndigits) stays an int (negative ndigits round to tens, hundreds ...)
            return new BigDecimal(n.toString()).setScale(precision, mode).setScale(0, RoundingMode.UNNECESSARY)
                    .longValue();
        }
        double d = n.doubleValue();
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            return d;
        }
        // the exact binary value rounded half-to-even is what Python's correctly rounded round() gives: 2.5 -> 2.0,
        // 0.125 -> 0.12, 2.675 -> 2.67 (its binary value is below 2.675)
        // (a zero keeps the sign: round(-0.4) is -0.0 in Python)
        return Math.copySign(new BigDecimal(d).setScale(precision, mode).doubleValue(), d);
    }

    /** Jinja2's {@code batch}: lists of {@code size}; the last one is only padded when {@code fill} is not None. */
    static List<Object> batch(List<Object> items, int size, Object fill) {
        if (size <= 0) {
            throw new TemplateFailure("batch: linecount must be at least 1", "use batch(n) with n >= 1");
        }
        List<Object> out = new ArrayList<>();
        List<Object> tmp = new ArrayList<>();
        for (Object item : items) {
            if (tmp.size() == size) {
                out.add(tmp);
                tmp = new ArrayList<>();
            }
            tmp.add(item);
        }
        if (!tmp.isEmpty()) {
            while (fill != null && tmp.size() < size) {
                tmp.add(fill);
            }
            out.add(tmp);
        }
        return out;
    }

    /** Jinja2's {@code truncate}, counting code points as Python's len() does. */
    static String truncate(String s, int length, boolean killwords, String end, int leeway) {
        int endLen = end.codePointCount(0, end.length());
        if (length < endLen) {
            throw new TemplateFailure("expected length >= " + endLen + ", got " + length,
                    "truncate's length includes the end marker ('...')");
        }
        if (leeway < 0) {
            throw new TemplateFailure("expected leeway >= 0, got " + leeway, "leeway is how far past length is fine");
        }
        int len = s.codePointCount(0, s.length());
        if (len <= length + leeway) {
            return s;
        }
        String head = s.substring(0, s.offsetByCodePoints(0, length - endLen));
        if (killwords) {
            return head + end;
        }
        int space = head.lastIndexOf(' ');
        return (space < 0 ? head : head.substring(0, space)) + end;
    }

    /** Jinja2's htmlsafe_json_dumps escapes, applied to json.dumps output. */
    static String htmlSafe(String json) {
        return json.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026").replace("'", "\\u0027");
    }
}
