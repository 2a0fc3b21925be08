package io.budgetctl.engine.template;

import com.hubspot.jinjava.el.ext.NamedParameter;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.exptest.ExpTest;
import com.hubspot.jinjava.lib.filter.Filter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small adapters so filters and tests are one lambda each, with Python-style positional and keyword arguments. */
final class Fn {
    private Fn() {
    }

    /** Arguments of one filter/test call. */
    static final class Args {
        final List<Object> pos;
        final Map<String, Object> kw;
        final JinjavaInterpreter interpreter;

        Args(List<Object> pos, Map<String, Object> kw, JinjavaInterpreter interpreter) {
            this.pos = pos;
            this.kw = kw;
            this.interpreter = interpreter;
        }

        /** The i-th positional argument, else the keyword one, else the default. */
        Object get(int i, String name, Object dflt) {
            if (i >= 0 && i < pos.size()) {
                return pos.get(i);
            }
            if (name != null && kw.containsKey(name)) {
                return kw.get(name);
            }
            return dflt;
        }

        boolean bool(int i, String name, boolean dflt) {
            return Py.truth(get(i, name, dflt));
        }

        String str(int i, String name, String dflt) {
            Object v = get(i, name, dflt);
            return v == null ? null : Py.str(v);
        }

        int size() {
            return pos.size();
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

    static Filter filter(String name, boolean acceptsUndefined, FilterImpl impl) {
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
                return impl.apply(var, new Args(pos, kw, interpreter));
            }
        };
    }

    static ExpTest test(String name, boolean acceptsUndefined, TestImpl impl) {
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
                // Jinjava parses "is version('1.2', '>=')" as one tuple argument: spread it like Jinja2 does
                if (args != null && args.length == 1 && Py.isTuple(args[0])) {
                    args = ((List<?>) args[0]).toArray();
                }
                split(args, pos, kw);
                return impl.test(var, new Args(pos, kw, interpreter));
            }
        };
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
