package io.budgetctl.engine.template;

import com.hubspot.jinjava.el.ExtendedSyntaxBuilder;
import com.hubspot.jinjava.el.ext.CollectionMembershipOperator;
import com.hubspot.jinjava.el.ext.CollectionNonMembershipOperator;
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

    /** Python's {@code ==}: no coercion, so {@code 1 == '1'} is False (JUEL turned the string into a number). */
    static final AstBinary.Operator PY_EQ = new AstBinary.SimpleOperator() {
        @Override
        protected Object apply(TypeConverter converter, Object a, Object b) {
            return Py.eq(plain(a), plain(b));
        }

        @Override
        public String toString() {
            return "==";
        }
    };

    static final AstBinary.Operator PY_NE = new AstBinary.SimpleOperator() {
        @Override
        protected Object apply(TypeConverter converter, Object a, Object b) {
            return !Py.eq(plain(a), plain(b));
        }

        @Override
        public String toString() {
            return "!=";
        }
    };

    /** Python's {@code -}: two datetimes give a timedelta; numbers subtract as before. */
    static final AstBinary.Operator PY_SUB = new AstBinary.SimpleOperator() {
        @Override
        protected Object apply(TypeConverter converter, Object a, Object b) {
            if (a instanceof PyDateTime x && b instanceof PyDateTime y) {
                return x.minus(y);
            }
            if (a instanceof PyDateTime || b instanceof PyDateTime) {
                throw new TemplateFailure("unsupported operand type(s) for -: '" + Py.typeName(a) + "' and '"
                        + Py.typeName(b) + "'", "subtract one datetime from another: (b | to_datetime) - (a | to_datetime)");
            }
            return NumberOperations.sub(converter, a, b);
        }

        @Override
        public String toString() {
            return "-";
        }
    };

    static final AstBinary.Operator PY_LT = ordering("<");
    static final AstBinary.Operator PY_LE = ordering("<=");
    static final AstBinary.Operator PY_GT = ordering(">");
    static final AstBinary.Operator PY_GE = ordering(">=");

    /** Python's {@code in}: membership by Python equality, a substring only of a string. */
    static final AstBinary.Operator PY_IN = new AstBinary.SimpleOperator() {
        @Override
        protected Object apply(TypeConverter converter, Object a, Object b) {
            return contains(b, a);
        }

        @Override
        public String toString() {
            return "in";
        }
    };

    static final AstBinary.Operator PY_NOT_IN = new AstBinary.SimpleOperator() {
        @Override
        protected Object apply(TypeConverter converter, Object a, Object b) {
            return !contains(b, a);
        }

        @Override
        public String toString() {
            return "not in";
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
            {
                putExtensionHandler(CollectionMembershipOperator.TOKEN, binary(
                        CollectionMembershipOperator.HANDLER.getExtensionPoint(), PY_IN));
                putExtensionHandler(CollectionNonMembershipOperator.TOKEN, binary(
                        CollectionNonMembershipOperator.HANDLER.getExtensionPoint(), PY_NOT_IN));
            }

            @Override
            protected AstBinary createAstBinary(AstNode left, AstNode right, AstBinary.Operator operator) {
                return super.createAstBinary(left, right, python(operator));
            }
        };
    }

    private static Parser.ExtensionHandler binary(Parser.ExtensionPoint point, AstBinary.Operator operator) {
        return new Parser.ExtensionHandler(point) {
            @Override
            public AstNode createAstNode(AstNode... children) {
                return new AstBinary(children[0], children[1], operator);
            }
        };
    }

    /** JUEL's operator replaced by Python's where they differ; the same operator otherwise. */
    static AstBinary.Operator python(AstBinary.Operator operator) {
        if (operator == AstBinary.MOD) {
            return PY_MOD;
        } else if (operator == AstBinary.MUL) {
            return PY_MUL;
        } else if (operator == AstBinary.SUB) {
            return PY_SUB;
        } else if (operator == AstBinary.EQ) {
            return PY_EQ;
        } else if (operator == AstBinary.NE) {
            return PY_NE;
        } else if (operator == AstBinary.LT) {
            return PY_LT;
        } else if (operator == AstBinary.LE) {
            return PY_LE;
        } else if (operator == AstBinary.GT) {
            return PY_GT;
        } else if (operator == AstBinary.GE) {
            return PY_GE;
        }
        return operator;
    }

    /** A secret compares as its text (JUEL's string coercion did the same); anything else as it is. */
    private static Object plain(Object v) {
        return v instanceof io.budgetctl.engine.api.Secret ? Py.str(v) : v;
    }

    static boolean contains(Object container, Object item) {
        Object c = plain(container);
        Object x = plain(item);
        if (x instanceof Undefined u) {
            throw u.fail();
        }
        if (c instanceof CharSequence && !(x instanceof CharSequence)) {
            throw new TemplateFailure("'in <string>' requires string as left operand, not " + Py.typeName(x),
                    "compare text with text: '{{ x | string }}' in ...");
        }
        if (!(c instanceof CharSequence || c instanceof java.util.Map<?, ?> || c instanceof java.util.Collection<?>
                || c instanceof Undefined)) {
            throw new TemplateFailure("argument of type '" + Py.typeName(c) + "' is not iterable",
                    "'in' looks into a list, a dict (its keys) or a string");
        }
        return Py.contains(c, x);
    }

    private static AstBinary.Operator ordering(String op) {
        return new AstBinary.SimpleOperator() {
            @Override
            protected Object apply(TypeConverter converter, Object a, Object b) {
                return order(op, plain(a), plain(b));
            }

            @Override
            public String toString() {
                return op;
            }
        };
    }

    /**
     * Python's {@code < <= > >=}: numbers (and booleans) with numbers, text with text by code point, lists and tuples
     * element by element; anything else is Python's TypeError (JUEL compared {@code '10' < 9} as text and said True).
     */
    static boolean order(String op, Object a, Object b) {
        Number x = Py.numeric(a);
        Number y = Py.numeric(b);
        if (x != null && y != null && !(Py.isIntegral(x) && Py.isIntegral(y))) {
            // a float: IEEE comparisons, so that nothing orders with NaN, as in Python
            double dx = x.doubleValue();
            double dy = y.doubleValue();
            return switch (op) {
                case "<" -> dx < dy;
                case "<=" -> dx <= dy;
                case ">" -> dx > dy;
                default -> dx >= dy;
            };
        }
        try {
            return holds(op, Py.compare(a, b)); // text, lists and tuples item by item, datetimes
        } catch (IllegalArgumentException e) {
            // Python names the operator written and the types that met, inside lists too
            throw new TemplateFailure("'" + op + "'" + e.getMessage().substring(3),
                    "compare numbers with numbers and text with text (| int, | string)");
        }
    }

    private static boolean holds(String op, int cmp) {
        return switch (op) {
            case "<" -> cmp < 0;
            case "<=" -> cmp <= 0;
            case ">" -> cmp > 0;
            default -> cmp >= 0;
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
