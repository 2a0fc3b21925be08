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
 * text they cannot read, as Jinja2's do; {@code abs} refuses what is not a number, as Python's does.
 */
final class ValueFilters {
    private ValueFilters() {
    }

    static List<Filter> all() {
        List<Filter> f = new ArrayList<>();
        Fn.FilterImpl dflt = (v, a) -> {
            Object fallback = a.get("default_value");
            if (v instanceof Undefined || (a.bool("boolean") && !Py.truth(v))) {
                return fallback;
            }
            return v;
        };
        f.add(Fn.filter("default", "default_value='', boolean=False", true, dflt));
        f.add(Fn.filter("d", "default_value='', boolean=False", true, dflt));
        f.add(Fn.filter("mandatory", "msg=None", true, (v, a) -> {
            if (v instanceof Undefined u) {
                Object msg = a.get("msg");
                throw new TemplateFailure(msg != null ? Py.str(msg) : "Mandatory variable " + u.message()
                        .replace(" is undefined", "") + " not defined.", "define the variable or give it a default");
            }
            return v;
        }));
        f.add(Fn.filter("bool", "", false, (v, a) -> io.budgetctl.engine.module.Booleans.filter(v,
                v instanceof CharSequence ? Py.str(v) : null)));
        f.add(Fn.filter("int", "default=0, base=10", false, (v, a) -> toInt(v, a)));
        f.add(Fn.filter("float", "default=0.0", false, (v, a) -> toFloat(v, a.get("default"))));
        f.add(Fn.filter("string", "", false, (v, a) -> Py.str(v)));
        f.add(Fn.filter("ternary", "true_val, false_val, none_val=None", false, (v, a) -> {
            Object noneVal = a.get("none_val");
            if (v == null && noneVal != null) {
                return noneVal;
            }
            return Py.truth(v) ? a.get("true_val") : a.get("false_val");
        }));
        f.add(Fn.filter("abs", "", false, (v, a) -> abs(v)));
        return f;
    }

    /** Python's abs(): an int stays an int (a bool is one), a float a float; anything else is refused. */
    private static Object abs(Object v) {
        if (v instanceof Boolean b) {
            return b ? 1L : 0L;
        }
        if (v instanceof BigInteger b) {
            return b.abs();
        }
        if (Py.isIntegral(v)) {
            long n = ((Number) v).longValue();
            return n == Long.MIN_VALUE ? BigInteger.valueOf(n).abs() : (Object) Math.abs(n);
        }
        if (v instanceof Number n) {
            return Math.abs(n.doubleValue());
        }
        throw new TemplateFailure("abs: bad operand type for abs(): '" + Py.typeName(v) + "'",
                "abs takes a number: {{ x | int | abs }} or {{ x | float | abs }}");
    }

    private static Object toInt(Object v, Fn.Args a) {
        Object dflt = a.get("default");
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
            // Jinja2 falls back to int(float(value)) whenever int(value, base) fails, a base that is no int too
            Object base = a.get("base");
            int radix = Py.isIntegral(base) ? ((Number) base).intValue() : -1;
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
