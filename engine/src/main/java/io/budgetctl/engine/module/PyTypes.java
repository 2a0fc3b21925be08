package io.budgetctl.engine.module;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/** Python's names for the values module arguments hold, as Ansible's argument errors print them. */
final class PyTypes {
    private PyTypes() {
    }

    /** {@code <class 'str'>}, {@code <class 'int'>} ... */
    static String classOf(Object v) {
        String name;
        if (v == null) {
            name = "NoneType";
        } else if (v instanceof Boolean) {
            name = "bool";
        } else if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte
                || v instanceof BigInteger) {
            name = "int";
        } else if (v instanceof Double || v instanceof Float || v instanceof BigDecimal) {
            name = "float";
        } else if (v instanceof CharSequence) {
            name = "str";
        } else if (v instanceof List<?>) {
            name = "list";
        } else if (v instanceof Map<?, ?>) {
            name = "dict";
        } else {
            name = v.getClass().getSimpleName();
        }
        return "<class '" + name + "'>";
    }

    static boolean integral(Object v) {
        return v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte
                || v instanceof BigInteger;
    }

    /** Python's str() of a scalar: True/False, 1.0 for a whole float. */
    static String str(Object v) {
        if (v instanceof Boolean b) {
            return b ? "True" : "False";
        }
        if (v instanceof Double d && !d.isInfinite() && !d.isNaN() && d == Math.rint(d) && Math.abs(d) < 1e16) {
            return String.format("%d.0", d.longValue());
        }
        return String.valueOf(v);
    }
}
