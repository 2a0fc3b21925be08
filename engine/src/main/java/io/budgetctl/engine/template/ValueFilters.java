package io.budgetctl.engine.template;

import com.hubspot.jinjava.lib.filter.Filter;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Filters that default, check or convert one value whatever it holds: {@code default}/{@code d} and {@code mandatory}
 * (the only filters handed an Undefined value rather than failing on it), {@code ternary}, {@code bool}, {@code int},
 * {@code float}, {@code string} and {@code abs}. {@code int} and {@code float} give their default, not an error, for
 * text they cannot read, as Jinja2's do.
 */
final class ValueFilters {
    private ValueFilters() {
    }

    static List<Filter> all() {
        List<Filter> f = new ArrayList<>();
        Fn.FilterImpl dflt = (v, a) -> {
            Object fallback = a.get(0, "default_value", "");
            boolean bool = a.bool(1, "boolean", false);
            if (v instanceof Undefined || (bool && !Py.truth(v))) {
                return fallback;
            }
            return v;
        };
        f.add(Fn.filter("default", true, dflt));
        f.add(Fn.filter("d", true, dflt));
        f.add(Fn.filter("mandatory", true, (v, a) -> {
            if (v instanceof Undefined u) {
                Object msg = a.get(0, "msg", null);
                throw new TemplateFailure(msg != null ? Py.str(msg) : "Mandatory variable " + u.message()
                        .replace(" is undefined", "") + " not defined.", "define the variable or give it a default");
            }
            return v;
        }));
        f.add(Fn.filter("bool", false, (v, a) -> io.budgetctl.engine.module.Booleans.filter(v,
                v instanceof CharSequence ? Py.str(v) : null)));
        f.add(Fn.filter("int", false, (v, a) -> toInt(v, a.get(0, "default", 0L), a.get(1, "base", 10L))));
        f.add(Fn.filter("float", false, (v, a) -> toFloat(v, a.get(0, "default", 0.0))));
        f.add(Fn.filter("string", false, (v, a) -> Py.str(v)));
        f.add(Fn.filter("ternary", false, (v, a) -> {
            Object noneVal = a.get(2, "none_val", null);
            if (v == null && noneVal != null) {
                return noneVal;
            }
            return Py.truth(v) ? a.get(0, "true_val", null) : a.get(1, "false_val", null);
        }));
        f.add(Fn.filter("abs", false, (v, a) -> v instanceof Double d ? (Object) Math.abs(d)
                : (Object) Math.abs(((Number) v).longValue())));
        return f;
    }

    private static Object toInt(Object v, Object dflt, Object base) {
        if (v instanceof Boolean b) {
            return b ? 1L : 0L;
        }
        if (Py.isIntegral(v)) {
            return ((Number) v).longValue();
        }
        if (v instanceof Number n) {
            return (long) n.doubleValue();
        }
        if (v instanceof CharSequence) {
            String s = Py.str(v).strip().replace("_", "");
            int radix = ((Number) base).intValue();
            try {
                if (radix != 10 && s.length() > 2 && s.charAt(0) == '0' && "xXoObB".indexOf(s.charAt(1)) >= 0) {
                    s = s.substring(2);
                }
                return new BigInteger(s.startsWith("+") ? s.substring(1) : s, radix).longValue();
            } catch (NumberFormatException e) {
                try {
                    return (long) Double.parseDouble(s);
                } catch (NumberFormatException e2) {
                    return dflt;
                }
            }
        }
        return dflt;
    }

    private static Object toFloat(Object v, Object dflt) {
        if (v instanceof Boolean b) {
            return b ? 1.0 : 0.0;
        }
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        if (v instanceof CharSequence) {
            String s = Py.str(v).strip().toLowerCase(Locale.ROOT);
            if (s.matches("[-+]?(inf|infinity|nan)")) {
                return s.contains("nan") ? Double.NaN : s.startsWith("-") ? Double.NEGATIVE_INFINITY
                        : Double.POSITIVE_INFINITY;
            }
            try {
                if (s.matches("[-+]?(\\d[\\d_]*\\.?\\d*|\\.\\d+)(e[-+]?\\d+)?")) {
                    return Double.parseDouble(s.replace("_", ""));
                }
            } catch (NumberFormatException e) {
                // fall through to the default
            }
        }
        return dflt;
    }
}
