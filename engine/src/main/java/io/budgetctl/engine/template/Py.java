package io.budgetctl.engine.template;

import io.budgetctl.engine.api.Secret;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** Python value semantics the templates must reproduce byte for byte: str(), repr(), truth, equality, ordering. */
final class Py {
    private Py() {
    }

    /** Python's {@code str(v)}. */
    static String str(Object v) {
        if (v instanceof String s) {
            return s;
        }
        if (v instanceof Secret s) {
            return SecretFlow.reveal(s);
        }
        if (v instanceof Undefined u) {
            throw u.fail();
        }
        if (v instanceof CharSequence cs) {
            return cs.toString();
        }
        if (v instanceof PyDateTime || v instanceof PyTimeDelta) {
            return v.toString(); // their str() is not their repr()
        }
        return repr(v);
    }

    /** Python's {@code repr(v)}. */
    static String repr(Object v) {
        StringBuilder sb = new StringBuilder();
        repr(v, sb, true);
        return sb.toString();
    }

    /** Python's {@code repr(v)} for showing (loop labels): a secret anywhere in it shows as its mask. */
    static String displayRepr(Object v) {
        StringBuilder sb = new StringBuilder();
        repr(v, sb, false);
        return sb.toString();
    }

    private static void repr(Object v, StringBuilder sb, boolean reveal) {
        if (v == null) {
            sb.append("None");
        } else if (v instanceof Undefined u) {
            throw u.fail();
        } else if (v instanceof Boolean b) {
            sb.append(b ? "True" : "False");
        } else if (v instanceof Double || v instanceof Float) {
            sb.append(floatRepr(((Number) v).doubleValue()));
        } else if (v instanceof BigDecimal bd) {
            sb.append(floatRepr(bd.doubleValue()));
        } else if (v instanceof Number n) {
            sb.append(n instanceof BigInteger ? n.toString() : Long.toString(n.longValue()));
        } else if (v instanceof Secret s) {
            stringRepr(reveal ? SecretFlow.reveal(s) : s.toString(), sb);
        } else if (v instanceof CharSequence s) {
            stringRepr(s.toString(), sb);
        } else if (v instanceof PyTuple || isTuple(v)) {
            List<?> t = (List<?>) v;
            sb.append('(');
            for (int i = 0; i < t.size(); i++) {
                if (i > 0) {
                    sb.append(", ");
                }
                repr(t.get(i), sb, reveal);
            }
            sb.append(t.size() == 1 ? ",)" : ")");
        } else if (v instanceof Set<?> s) {
            if (s.isEmpty()) {
                sb.append("set()");
                return;
            }
            sb.append('{');
            join(s, sb, reveal);
            sb.append('}');
        } else if (v instanceof Collection<?> c) {
            sb.append('[');
            join(c, sb, reveal);
            sb.append(']');
        } else if (v instanceof Map<?, ?> m) {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!first) {
                    sb.append(", ");
                }
                first = false;
                repr(e.getKey(), sb, reveal);
                sb.append(": ");
                repr(e.getValue(), sb, reveal);
            }
            sb.append('}');
        } else if (v instanceof Object[] a) {
            sb.append('[');
            join(List.of(a), sb, reveal);
            sb.append(']');
        } else if (v instanceof PyDateTime d) {
            sb.append(d.repr());
        } else if (v instanceof PyTimeDelta d) {
            sb.append(d.repr());
        } else {
            sb.append(v);
        }
    }

    /** A tuple literal: Jinjava evaluates {@code (1, 2)} to a plain PyList (lists are SizeLimitingPyLists). */
    static boolean isTuple(Object v) {
        return v instanceof PyTuple || (v != null && v.getClass() == com.hubspot.jinjava.objects.collections.PyList.class);
    }

    private static void join(Collection<?> c, StringBuilder sb, boolean reveal) {
        Iterator<?> it = c.iterator();
        while (it.hasNext()) {
            repr(it.next(), sb, reveal);
            if (it.hasNext()) {
                sb.append(", ");
            }
        }
    }

    /** Python's repr of a str: single quotes unless the text has ' but no ", escapes like CPython. */
    static void stringRepr(String s, StringBuilder sb) {
        char quote = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
        sb.append(quote);
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (cp == quote || cp == '\\') {
                sb.append('\\').appendCodePoint(cp);
            } else if (cp == '\n') {
                sb.append("\\n");
            } else if (cp == '\r') {
                sb.append("\\r");
            } else if (cp == '\t') {
                sb.append("\\t");
            } else if (cp < 0x20 || cp == 0x7f) {
                sb.append(String.format("\\x%02x", cp));
            } else if (cp < 0x7f || isPrintable(cp)) {
                sb.appendCodePoint(cp);
            } else if (cp <= 0xff) {
                sb.append(String.format("\\x%02x", cp));
            } else if (cp <= 0xffff) {
                sb.append(String.format("\\u%04x", cp));
            } else {
                sb.append(String.format("\\U%08x", cp));
            }
        }
        sb.append(quote);
    }

    private static boolean isPrintable(int cp) {
        int type = Character.getType(cp);
        return switch (type) {
            case Character.CONTROL, Character.FORMAT, Character.SURROGATE, Character.PRIVATE_USE, Character.UNASSIGNED,
                    Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> false;
            case Character.SPACE_SEPARATOR -> cp == ' ';
            default -> true;
        };
    }

    /** Python's float repr: shortest round-trip digits, exponent form below 1e-4 and from 1e16. */
    static String floatRepr(double d) {
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        if (d == 0) {
            return (1 / d < 0) ? "-0.0" : "0.0";
        }
        BigDecimal exact = new BigDecimal(d);
        BigDecimal shortest = exact;
        for (int p = 1; p <= 17; p++) {
            BigDecimal r = exact.round(new MathContext(p, RoundingMode.HALF_EVEN));
            if (r.doubleValue() == d) {
                shortest = r;
                break;
            }
        }
        shortest = shortest.stripTrailingZeros();
        String digits = shortest.unscaledValue().abs().toString();
        int exp10 = digits.length() - 1 - shortest.scale(); // exponent of the first digit
        String sign = d < 0 ? "-" : "";
        if (exp10 < -4 || exp10 >= 16) {
            String mant = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            String e = String.format("%02d", Math.abs(exp10));
            return sign + mant + "e" + (exp10 < 0 ? "-" : "+") + e;
        }
        String plain;
        if (exp10 < 0) {
            plain = "0." + "0".repeat(-exp10 - 1) + digits;
        } else if (digits.length() <= exp10 + 1) {
            plain = digits + "0".repeat(exp10 + 1 - digits.length()) + ".0";
        } else {
            plain = digits.substring(0, exp10 + 1) + "." + digits.substring(exp10 + 1);
        }
        return sign + plain;
    }

    /** Python truthiness; raises on undefined. */
    static boolean truth(Object v) {
        if (v instanceof Undefined u) {
            throw u.fail();
        }
        if (v instanceof Secret s) {
            return !s.reveal().isEmpty();
        }
        return Truth.of(v);
    }

    static boolean isNumber(Object v) {
        return v instanceof Number && !(v instanceof Boolean);
    }

    static boolean isIntegral(Object v) {
        return v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte
                || v instanceof BigInteger;
    }

    /** Python ==: 1 == 1.0, True == 1, lists and dicts by value. */
    static boolean eq(Object a, Object b) {
        if (a instanceof Undefined u) {
            throw u.fail();
        }
        if (b instanceof Undefined u) {
            throw u.fail();
        }
        if (a == b) {
            return true;
        }
        if (a == null || b == null) {
            return false;
        }
        Object na = a instanceof Boolean x ? (Object) (x ? 1L : 0L) : a;
        Object nb = b instanceof Boolean x ? (Object) (x ? 1L : 0L) : b;
        if (na instanceof Number x && nb instanceof Number y) {
            if (isIntegral(x) && isIntegral(y)) {
                return x.longValue() == y.longValue();
            }
            return x.doubleValue() == y.doubleValue();
        }
        if (a instanceof CharSequence && b instanceof CharSequence) {
            return str(a).equals(str(b));
        }
        if (a instanceof List<?> x && b instanceof List<?> y) {
            if (x.size() != y.size()) {
                return false;
            }
            for (int i = 0; i < x.size(); i++) {
                if (!eq(x.get(i), y.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
            if (x.size() != y.size()) {
                return false;
            }
            for (Map.Entry<?, ?> e : x.entrySet()) {
                Object key = findKey(y, e.getKey());
                if (key == NO_KEY || !eq(e.getValue(), y.get(key))) {
                    return false;
                }
            }
            return true;
        }
        return Objects.equals(a, b);
    }

    static final Object NO_KEY = new Object();

    /** The key of m that is Python-equal to key (1 and 1L), or NO_KEY. */
    static Object findKey(Map<?, ?> m, Object key) {
        if (m.containsKey(key)) {
            return key;
        }
        for (Object k : m.keySet()) {
            if (!(k instanceof Undefined) && eq(k, key)) {
                return k;
            }
        }
        return NO_KEY;
    }

    static boolean contains(Object container, Object item) {
        if (container instanceof Undefined u) {
            throw u.fail();
        }
        if (container instanceof CharSequence) {
            return str(container).contains(str(item));
        }
        if (container instanceof Map<?, ?> m) {
            return findKey(m, item) != NO_KEY;
        }
        if (container instanceof Collection<?> c) {
            for (Object o : c) {
                if (eq(o, item)) {
                    return true;
                }
            }
            return false;
        }
        throw new IllegalArgumentException("argument of type '" + typeName(container) + "' is not iterable");
    }

    /** The number a value stands for in arithmetic and ordering (a bool is 1 or 0, as in Python); null otherwise. */
    static Number numeric(Object v) {
        return v instanceof Boolean b ? (Number) (b ? 1L : 0L) : v instanceof Number n ? n : null;
    }

    /** Python ordering for sort/min/max: numbers with numbers, strings with strings, lists element-wise. */
    static int compare(Object a, Object b) {
        if (a instanceof Undefined u) {
            throw u.fail();
        }
        if (b instanceof Undefined u) {
            throw u.fail();
        }
        Number na = numeric(a);
        Number nb = numeric(b);
        if (na != null && nb != null) {
            if (na instanceof BigInteger || nb instanceof BigInteger) {
                return big(na).compareTo(big(nb));
            }
            if (isIntegral(na) && isIntegral(nb)) {
                return Long.compare(na.longValue(), nb.longValue());
            }
            return Double.compare(na.doubleValue(), nb.doubleValue());
        }
        if (a instanceof CharSequence && b instanceof CharSequence) {
            return compareStrings(str(a), str(b));
        }
        if (a instanceof List<?> x && b instanceof List<?> y && isTuple(x) == isTuple(y)) {
            for (int i = 0; i < Math.min(x.size(), y.size()); i++) {
                if (!eq(x.get(i), y.get(i))) {
                    return compare(x.get(i), y.get(i));
                }
            }
            return Integer.compare(x.size(), y.size());
        }
        if (a != null && b != null && a.getClass() == b.getClass() && a instanceof Comparable<?>) {
            @SuppressWarnings("unchecked")
            Comparable<Object> ca = (Comparable<Object>) a;
            return ca.compareTo(b); // datetimes and timedeltas, which Python orders too
        }
        throw new IllegalArgumentException("'<' not supported between instances of '" + typeName(a) + "' and '"
                + typeName(b) + "'");
    }

    private static BigInteger big(Number n) {
        return n instanceof BigInteger b ? b : BigInteger.valueOf(n.longValue());
    }

    /** Compares by code point, as Python does (Java's compareTo works on UTF-16 units). */
    static int compareStrings(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    static String typeName(Object v) {
        if (v == null) {
            return "NoneType";
        }
        if (v instanceof Boolean) {
            return "bool";
        }
        if (isIntegral(v)) {
            return "int";
        }
        if (v instanceof Number) {
            return "float";
        }
        if (v instanceof CharSequence) {
            return "str";
        }
        if (isTuple(v)) {
            return "tuple";
        }
        if (v instanceof List) {
            return "list";
        }
        if (v instanceof Map) {
            return "dict";
        }
        if (v instanceof PyDateTime) {
            return "datetime";
        }
        if (v instanceof PyTimeDelta) {
            return "timedelta";
        }
        return v.getClass().getSimpleName();
    }
}
