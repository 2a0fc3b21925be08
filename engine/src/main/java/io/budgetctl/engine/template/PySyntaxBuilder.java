package io.budgetctl.engine.template;

import com.hubspot.jinjava.el.ExtendedSyntaxBuilder;
import com.hubspot.jinjava.el.ext.ExtendedParser;
import java.util.List;
import jinjava.de.odysseus.el.misc.NumberOperations;
import jinjava.de.odysseus.el.misc.TypeConverter;
import jinjava.de.odysseus.el.tree.impl.Parser;
import jinjava.de.odysseus.el.tree.impl.ast.AstBinary;
import jinjava.de.odysseus.el.tree.impl.ast.AstNode;

/**
 * Jinjava's expression syntax with Python's {@code *} on strings and lists ({@code '-' * 3}, {@code 3 * [0]}) and
 * Python's {@code %} operator: {@code '%s:%d' % (name, port)} formats a string
 * (JUEL only knows numeric modulo and failed with "Cannot coerce '%s' ... to Long"), and numeric modulo takes the
 * sign of the divisor ({@code -7 % 3} is 2). Public only because Jinjava's expression factory creates the builder by
 * class name; it is not an API.
 */
public final class PySyntaxBuilder extends ExtendedSyntaxBuilder {
    private static final long serialVersionUID = 1L;

    static final AstBinary.Operator PY_MOD = new AstBinary.SimpleOperator() {
        @Override
        protected Object apply(TypeConverter converter, Object a, Object b) {
            return mod(converter, a, b);
        }

        @Override
        public String toString() {
            return "%";
        }
    };

    static final AstBinary.Operator PY_MUL = new AstBinary.SimpleOperator() {
        @Override
        protected Object apply(TypeConverter converter, Object a, Object b) {
            return mul(converter, a, b);
        }

        @Override
        public String toString() {
            return "*";
        }
    };

    public PySyntaxBuilder() {
        super();
    }

    public PySyntaxBuilder(Feature... features) {
        super(features);
    }

    @Override
    protected Parser createParser(String expression) {
        return new ExtendedParser(this, expression) {
            @Override
            protected AstBinary createAstBinary(AstNode left, AstNode right, AstBinary.Operator operator) {
                return super.createAstBinary(left, right, operator == AstBinary.MOD ? PY_MOD
                        : operator == AstBinary.MUL ? PY_MUL : operator);
            }
        };
    }

    static Object mod(TypeConverter converter, Object a, Object b) {
        if (a instanceof Undefined u) {
            throw u.fail();
        }
        if (b instanceof Undefined u) {
            throw u.fail();
        }
        if (a instanceof CharSequence) {
            List<Object> args = Py.isTuple(b) ? List.copyOf((List<?>) b) : java.util.Collections.singletonList(b);
            return PyFormat.percent(Py.str(a), args);
        }
        if (Py.isIntegral(a) && Py.isIntegral(b) && !(a instanceof java.math.BigInteger)
                && !(b instanceof java.math.BigInteger)) {
            long d = ((Number) b).longValue();
            if (d == 0) {
                throw new TemplateFailure("integer division or modulo by zero", null);
            }
            return Math.floorMod(((Number) a).longValue(), d);
        }
        if (a instanceof Number x && b instanceof Number y && !(a instanceof java.math.BigInteger)
                && !(b instanceof java.math.BigInteger)) {
            double n = x.doubleValue();
            double d = y.doubleValue();
            if (d == 0) {
                throw new TemplateFailure("float modulo", null);
            }
            double r = n % d;
            return r != 0 && (r < 0) != (d < 0) ? r + d : r;
        }
        return NumberOperations.mod(converter, a, b);
    }

    /** Python's {@code *}: a string or list times an integer repeats it (0 or less: empty); numbers multiply. */
    static Object mul(TypeConverter converter, Object a, Object b) {
        if (a instanceof Undefined u) {
            throw u.fail();
        }
        if (b instanceof Undefined u) {
            throw u.fail();
        }
        Object seq = a instanceof CharSequence || a instanceof List<?> ? a : b;
        Object times = seq == a ? b : a;
        if ((seq instanceof CharSequence || seq instanceof List<?>) && times != seq) {
            if (!Py.isIntegral(times) && !(times instanceof Boolean)) {
                throw new TemplateFailure("can't multiply sequence by non-int of type '" + Py.typeName(times) + "'",
                        "repeat text or a list by a whole number: '-' * 3");
            }
            long n = times instanceof Boolean t ? (t ? 1 : 0) : Math.max(0, ((Number) times).longValue());
            long size = seq instanceof CharSequence cs ? cs.length() : ((List<?>) seq).size();
            if (n > 0 && size > 0 && n > 100_000_000L / size) {
                throw new TemplateFailure("the repeated " + (seq instanceof CharSequence ? "text" : "list")
                        + " would hold more than 100 million items", "repeat fewer times");
            }
            if (seq instanceof CharSequence cs) {
                return cs.toString().repeat((int) n);
            }
            List<?> l = (List<?>) seq;
            List<Object> out = new java.util.ArrayList<>();
            for (long i = 0; i < n; i++) {
                out.addAll(l);
            }
            return out;
        }
        return NumberOperations.mul(converter, a, b);
    }
}
