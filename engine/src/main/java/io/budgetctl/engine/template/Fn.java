package io.budgetctl.engine.template;

import com.hubspot.jinjava.el.ext.NamedParameter;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.exptest.ExpTest;
import com.hubspot.jinjava.lib.filter.Filter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Small adapters so filters and tests are one lambda each, called with Python's argument rules. Each one declares
 * what follows the value the way its Python function does ({@code "old, new, count=None"}); a call is bound to that
 * list as Python binds it, so a missing, extra, unknown or doubled argument fails the template (Python raises a
 * TypeError there) instead of being silently dropped or defaulted.
 */
final class Fn {
    private Fn() {
    }

    /** Arguments of one filter/test call, bound to its parameter list. */
    static final class Args {
        final String who;
        final JinjavaInterpreter interpreter;
        private final Params params;
        private final Map<String, Object> values;
        private final List<Object> rest;
        private final Map<String, Object> extra;

        private Args(String who, Params params, Map<String, Object> values, List<Object> rest,
                Map<String, Object> extra, JinjavaInterpreter interpreter) {
            this.who = who;
            this.params = params;
            this.values = values;
            this.rest = rest;
            this.extra = extra;
            this.interpreter = interpreter;
        }

        /** The named parameter's value: as passed (by position or keyword), else its declared default. */
        Object get(String name) {
            if (!values.containsKey(name)) {
                // a filter reading a parameter it does not declare is a bug here, not in the template
                throw new IllegalStateException(who + " declares no parameter '" + name + "' in " + params.spelling);
            }
            return values.get(name);
        }

        boolean bool(String name) {
            return Py.truth(get(name));
        }

        /** Text of the parameter; None stays null. */
        String str(String name) {
            Object v = get(name);
            return v == null ? null : Py.str(v);
        }

        /** An integer parameter (a bool counts, as in Python); anything else fails naming the parameter. */
        long integer(String name) {
            Long n = integerOrNone(name);
            if (n == null) {
                throw notInteger(name, null);
            }
            return n;
        }

        /** An integer parameter that may be None (null). */
        Long integerOrNone(String name) {
            Object v = get(name);
            if (v == null) {
                return null;
            }
            if (v instanceof Boolean b) {
                return b ? 1L : 0L;
            }
            if (Py.isIntegral(v)) {
                return ((Number) v).longValue();
            }
            throw notInteger(name, v);
        }

        private TemplateFailure notInteger(String name, Object v) {
            return new TemplateFailure(who + ": " + name + " must be an integer, got " + Py.typeName(v),
                    "call it as " + who + params.spelling);
        }

        /** What a {@code *args} parameter collected (empty when there is none). */
        List<Object> rest() {
            return rest;
        }

        /** What a {@code **kwargs} parameter collected (empty when there is none). */
        Map<String, Object> extra() {
            return extra;
        }
    }

    /**
     * A Python parameter list, without the value itself: {@code name} (required), {@code name=default} (a None,
     * True, False, number or quoted string literal), {@code name=?} (Python has it but we do not: passing it fails
     * naming it), {@code /} (the ones before are positional-only), {@code *} or {@code *args} (the ones after are
     * keyword-only), {@code **kwargs}.
     */
    static final class Params {
        private record Param(String name, Object dflt, boolean required, boolean unsupported, boolean positionalOnly) {
        }

        final String spelling;
        private final List<Param> positional = new ArrayList<>();
        private final Map<String, Param> byName = new LinkedHashMap<>();
        private final String varargs;
        private final boolean varkw;

        private Params(String spec) {
            this.spelling = "(" + spec + ")";
            boolean keywordOnly = false;
            String star = null;
            boolean starstar = false;
            for (String raw : spec.isBlank() ? new String[0] : spec.split(",\\s*(?=(?:[^']*'[^']*')*[^']*$)")) {
                String p = raw.strip();
                if (p.equals("/")) {
                    positional.replaceAll(x -> new Param(x.name(), x.dflt(), x.required(), x.unsupported(), true));
                    positional.forEach(x -> byName.put(x.name(), x));
                    continue;
                }
                if (p.startsWith("**")) {
                    starstar = true;
                    continue;
                }
                if (p.startsWith("*")) {
                    keywordOnly = true;
                    star = p.length() > 1 ? p.substring(1) : null;
                    continue;
                }
                int eq = p.indexOf('=');
                String name = eq < 0 ? p : p.substring(0, eq).strip();
                String literal = eq < 0 ? null : p.substring(eq + 1).strip();
                boolean unsupported = "?".equals(literal);
                Param param = new Param(name, literal == null || unsupported ? null : literal(literal), eq < 0,
                        unsupported, false);
                if (!keywordOnly) {
                    positional.add(param);
                }
                byName.put(name, param);
            }
            this.varargs = star;
            this.varkw = starstar;
        }

        static Params of(String spec) {
            return new Params(spec);
        }

        /** Whether {@code f(value, (a, b))} may mean {@code f(value, a, b)}: only with room for several arguments. */
        boolean takesSeveral() {
            return positional.size() > 1 || varargs != null;
        }

        private static Object literal(String s) {
            return switch (s) {
                case "None" -> null;
                case "True" -> true;
                case "False" -> false;
                default -> {
                    if (s.length() >= 2 && s.startsWith("'") && s.endsWith("'")) {
                        yield s.substring(1, s.length() - 1);
                    }
                    if (s.matches("-?\\d+")) {
                        yield Long.parseLong(s);
                    }
                    if (s.matches("-?\\d+\\.\\d*")) {
                        yield Double.parseDouble(s);
                    }
                    throw new IllegalArgumentException("not a default this parameter list can spell: " + s);
                }
            };
        }

        /** Python's binding of a call to this list; its TypeErrors as failures naming the filter and argument. */
        Args bind(String who, List<Object> pos, Map<String, Object> kw, JinjavaInterpreter interpreter) {
            Map<String, Object> values = new LinkedHashMap<>();
            Set<String> given = new HashSet<>();
            int fixed = Math.min(pos.size(), positional.size());
            if (pos.size() > positional.size() && varargs == null) {
                throw failure(who, positional.isEmpty() ? who + "() takes no arguments but " + count(pos.size())
                        + " given" : who + "() takes at most " + positional.size() + " positional argument"
                        + (positional.size() == 1 ? "" : "s") + " but " + count(pos.size()) + " given");
            }
            for (int i = 0; i < fixed; i++) {
                values.put(positional.get(i).name(), pos.get(i));
                given.add(positional.get(i).name());
            }
            List<Object> rest = varargs == null ? List.of() : List.copyOf(pos.subList(fixed, pos.size()));
            Map<String, Object> extra = new LinkedHashMap<>();
            for (Map.Entry<String, Object> e : kw.entrySet()) {
                Param p = byName.get(e.getKey());
                if (p == null || p.positionalOnly()) {
                    if (varkw) {
                        extra.put(e.getKey(), e.getValue());
                        continue;
                    }
                    throw failure(who, p == null ? who + "() got an unexpected keyword argument '" + e.getKey() + "'"
                            : who + "() got some positional-only arguments passed as keyword arguments: '"
                            + e.getKey() + "'");
                }
                if (given.contains(p.name())) {
                    throw failure(who, who + "() got multiple values for argument '" + p.name() + "'");
                }
                values.put(p.name(), e.getValue());
                given.add(p.name());
            }
            List<String> missing = new ArrayList<>();
            for (Param p : byName.values()) {
                if (given.contains(p.name())) {
                    if (p.unsupported()) {
                        throw new TemplateFailure(who + ": the argument '" + p.name() + "' is not supported here",
                                "leave it out; " + who + " takes " + spelling);
                    }
                } else if (p.required()) {
                    missing.add("'" + p.name() + "'");
                } else {
                    values.put(p.name(), p.dflt());
                }
            }
            if (!missing.isEmpty()) {
                String names = missing.size() == 1 ? missing.get(0) : String.join(", ", missing.subList(0,
                        missing.size() - 1)) + " and " + missing.get(missing.size() - 1);
                throw failure(who, who + "() missing " + missing.size() + " required positional argument"
                        + (missing.size() == 1 ? "" : "s") + ": " + names);
            }
            return new Args(who, this, values, rest, extra, interpreter);
        }

        private static String count(int n) {
            return n + (n == 1 ? " was" : " were");
        }

        private TemplateFailure failure(String who, String message) {
            return new TemplateFailure(message, "call it as " + who + spelling);
        }
    }

    @FunctionalInterface
    interface FilterImpl {
        Object apply(Object value, Args args);
    }

    @FunctionalInterface
    interface TestImpl {
        boolean test(Object value, Args args);
    }

    /**
     * A filter called as {@code value | name(...)}; {@code params} is what follows the value in its Python
     * signature. Only {@code acceptsUndefined} filters (default, mandatory) are handed an Undefined value.
     */
    static Filter filter(String name, String params, boolean acceptsUndefined, FilterImpl impl) {
        Params p = Params.of(params);
        return new Filter() {
            @Override
            public String getName() {
                return name;
            }

            @Override
            public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
                return filter(var, interpreter, (Object[]) args, Map.of());
            }

            @Override
            public Object filter(Object var, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
                if (!acceptsUndefined && var instanceof Undefined u) {
                    throw u.fail();
                }
                List<Object> pos = new ArrayList<>();
                Map<String, Object> kw = new LinkedHashMap<>(kwargs);
                split(args, pos, kw);
                return impl.apply(var, p.bind(name, pos, kw, interpreter));
            }
        };
    }

    /** A test called as {@code value is name(...)}; {@code params} as for {@link #filter}. */
    static ExpTest test(String name, String params, boolean acceptsUndefined, TestImpl impl) {
        Params p = Params.of(params);
        return new ExpTest() {
            @Override
            public String getName() {
                return name;
            }

            @Override
            public boolean evaluate(Object var, JinjavaInterpreter interpreter, Object... args) {
                if (!acceptsUndefined && var instanceof Undefined u) {
                    throw u.fail();
                }
                List<Object> pos = new ArrayList<>();
                Map<String, Object> kw = new LinkedHashMap<>();
                // Jinjava parses "is version('1.2', '>=')" as one tuple argument: spread it like Jinja2 does, unless
                // the test takes one argument, which is then that tuple ("x is in((1, 2))")
                if (args != null && args.length == 1 && Py.isTuple(args[0]) && p.takesSeveral()) {
                    args = ((List<?>) args[0]).toArray();
                }
                split(args, pos, kw);
                return impl.test(var, p.bind(name, pos, kw, interpreter));
            }
        };
    }

    /** Arguments for calling a test with {@link ExpTest#evaluate}: the positional ones, then the keyword ones. */
    static Object[] testArgs(List<Object> pos, Map<String, Object> kw) {
        List<Object> out = new ArrayList<>(pos);
        kw.forEach((k, v) -> out.add(new NamedParameter(k, v)));
        return out.toArray();
    }

    /** A global function's call ({@code now(...)}) bound to its Python parameter list as a filter's call is. */
    static Args call(String who, Params params, Object[] args) {
        List<Object> pos = new ArrayList<>();
        Map<String, Object> kw = new LinkedHashMap<>();
        split(args, pos, kw);
        return params.bind(who, pos, kw, JinjavaInterpreter.getCurrent());
    }

    private static void split(Object[] args, List<Object> pos, Map<String, Object> kw) {
        if (args == null) {
            return;
        }
        for (Object a : args) {
            if (a instanceof NamedParameter np) {
                kw.put(np.getName(), np.getValue());
            } else {
                if (a instanceof Undefined u) {
                    throw u.fail();
                }
                pos.add(a);
            }
        }
    }
}
