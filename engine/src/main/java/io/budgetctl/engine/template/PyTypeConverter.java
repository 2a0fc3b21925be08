package io.budgetctl.engine.template;

import com.hubspot.jinjava.el.TruthyTypeConverter;
import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * Jinjava's coercions with Python's text forms ({@code ~}, string building: {@code True}, {@code None}, {@code 1.0},
 * {@code ['a']}) and with undefined values raising instead of turning into "" or 0.
 */
final class PyTypeConverter extends TruthyTypeConverter {
    private static final long serialVersionUID = 1L;

    @Override
    protected String coerceToString(Object value) {
        return Py.str(value);
    }

    @Override
    protected Boolean coerceToBoolean(Object value) {
        return Py.truth(value);
    }

    private static void check(Object value) {
        if (value instanceof Undefined u) {
            throw u.fail();
        }
    }

    @Override
    protected Long coerceToLong(Object value) {
        check(value);
        return super.coerceToLong(value);
    }

    @Override
    protected Integer coerceToInteger(Object value) {
        check(value);
        return super.coerceToInteger(value);
    }

    @Override
    protected Double coerceToDouble(Object value) {
        check(value);
        return super.coerceToDouble(value);
    }

    @Override
    protected BigDecimal coerceToBigDecimal(Object value) {
        check(value);
        return super.coerceToBigDecimal(value);
    }

    @Override
    protected BigInteger coerceToBigInteger(Object value) {
        check(value);
        return super.coerceToBigInteger(value);
    }

    @Override
    protected Object coerceToType(Object value, Class<?> type) {
        check(value);
        return super.coerceToType(value, type);
    }
}
