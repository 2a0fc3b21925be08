package io.budgetctl.engine.template;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.LegacyOverrides;
import com.hubspot.jinjava.el.JinjavaInterpreterResolver;
import com.hubspot.jinjava.el.JinjavaObjectUnwrapper;
import com.hubspot.jinjava.interpret.Context;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import com.hubspot.jinjava.tree.Node;
import com.hubspot.jinjava.tree.output.RenderedOutputNode;
import jinjava.de.odysseus.el.ExpressionFactoryImpl;
import jinjava.de.odysseus.el.tree.TreeBuilder;
import io.budgetctl.engine.api.EngineException;
import io.budgetctl.engine.api.Secret;
import io.budgetctl.engine.api.SourceLocation;
import io.budgetctl.engine.api.Unsafe;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import jinjava.javax.el.CompositeELResolver;
import jinjava.javax.el.ExpressionFactory;

/**
 * The engine's {@link Templater}: Jinja2 as Ansible 2.14 does it, on Jinjava. One instance is thread-safe and meant
 * to live as long as the run (it holds the Jinjava engine, its filters and a cache of parsed templates).
 *
 * <ul>
 * <li>Strict undefined: using an undefined variable, a missing key or an attribute of something undefined is an
 * {@link EngineException} naming it, the file and the line; {@code default}/{@code d}, {@code mandatory} and the
 * {@code defined}/{@code undefined} tests may look at undefined values.</li>
 * <li>Output is Python's: {@code True}, {@code None}, {@code 1.0}, {@code ['a', 1]}, {@code {'k': 'v'}}.</li>
 * <li>{@link #render} keeps the native type of a string that is exactly one {@code {{ expr }}}.</li>
 * <li>Lookups run on the controller; relative paths resolve against {@code playbook_dir} from the variables, else
 * {@link #setBaseDir}, else the working directory.</li>
 * </ul>
 * See docs/templating.md.
 */
public final class JinjavaTemplater implements Templater {
    private static final int CACHE_SIZE = 4096;

    private final Jinjava jinjava;
    private final JinjavaConfig config;
    private final Map<String, Node> parsed = Collections.synchronizedMap(new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Node> eldest) {
            return size() > CACHE_SIZE;
        }
    });
    private volatile Path baseDir = Path.of("").toAbsolutePath();

    public JinjavaTemplater() {
        CompositeELResolver resolvers = new CompositeELResolver();
        resolvers.add(new StrictResolver());
        resolvers.add(JinjavaInterpreterResolver.DEFAULT_RESOLVER_READ_ONLY);
        this.config = JinjavaConfig.newBuilder()
                .withLegacyOverrides(LegacyOverrides.newBuilder()
                        .withEvaluateMapKeys(true)
                        .withIterateOverMapKeys(true)
                        .withUsePyishObjectMapper(true)
                        .withUseSnakeCasePropertyNaming(true)
                        .withUseNaturalOperatorPrecedence(true)
                        .withParseWhitespaceControlStrictly(true)
                        .withAllowAdjacentTextNodes(true)
                        .withUseTrimmingForNotesAndExpressions(true)
                        .withKeepNullableLoopValues(true)
                        .build())
                .withTrimBlocks(true)
                .withLstripBlocks(false)
                .withNestedInterpretationEnabled(false)
                .withFailOnUnknownTokens(false)
                .withEnableRecursiveMacroCalls(true)
                .withMaxMacroRecursionDepth(200)
                .withMaxRenderDepth(20)
                .withElResolver(resolvers)
                .withObjectUnwrapper(new SecretRevealingUnwrapper())
                .build();
        this.jinjava = new PyJinjava(config);
        jinjava.setResourceLocator(new IncludeLocator());
        Context global = jinjava.getGlobalContext();
        global.registerTag(new WithTag()); // Jinja2's {% with %}, missing from Jinjava 2.8
        global.registerTag(new LoopTag()); // Jinja2's loop filters and for-else, missing from Jinjava 2.8
        global.registerTag(new FilterTag()); // Jinja2's {% filter %} blocks, missing from Jinjava 2.8
        for (com.hubspot.jinjava.lib.filter.Filter builtin : List.copyOf(global.getAllFilters())) {
            global.registerFilter(new StrictBuiltinFilter(builtin)); // Jinjava's own filters must not see Undefined
        }
        AnsibleFilters.register(global);
        AnsibleTests.register(global);
        for (com.hubspot.jinjava.lib.filter.Filter f : List.copyOf(global.getAllFilters())) {
            global.registerFilter(new SecretTrackingFilter(f)); // what a filter computes from a secret is secret
        }
        global.registerFunction(new ELFunctionDefinition("", "now", PyTime.class, "now", Object[].class));
        for (String fn : List.of("lookup", "query", "q")) {
            global.registerFunction(new ELFunctionDefinition("", fn, Lookups.class, fn.equals("lookup") ? "lookup"
                    : "query", String.class, Object[].class));
        }
    }

    public static JinjavaTemplater create() {
        return new JinjavaTemplater();
    }

    /** Base directory for lookups when the variables carry no {@code playbook_dir}. */
    public void setBaseDir(Path baseDir) {
        this.baseDir = baseDir.toAbsolutePath();
    }

    @Override
    public Object render(Object value, Map<String, Object> vars, SourceLocation location) {
        if (value instanceof Unsafe u) {
            Taint.mark(); // data, rendered as the text it is (docs/security.md)
            return u.value();
        }
        if (value instanceof String s) {
            return SecretFlow.frame(() -> renderString(s, vars, location), false);
        }
        if (value instanceof Map<?, ?> m) {
            Map<Object, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                out.put(e.getKey(), render(e.getValue(), vars, location));
            }
            return out;
        }
        if (value instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            for (Object o : l) {
                out.add(render(o, vars, location));
            }
            return out;
        }
        return value;
    }

    private Object renderString(String s, Map<String, Object> vars, SourceLocation location) {
        if (!isTemplate(s)) {
            return s;
        }
        s = AnsibleTaskText.escapeBackslashes(s); // Templar.template's escape_backslashes (task strings only)
        String single = singleExpression(s);
        if (single != null) {
            return evaluate(single, vars, location);
        }
        if (s.endsWith("\n") && !s.endsWith("\r\n")) {
            String trimmed = singleExpression(s.substring(0, s.length() - 1));
            if (trimmed != null) {
                return withTrailingNewline(trimmed, evaluate(trimmed, vars, location));
            }
        }
        return renderText(s, vars, location);
    }

    private static final java.util.regex.Pattern BARE_NAME = java.util.regex.Pattern.compile("\\w*",
            java.util.regex.Pattern.UNICODE_CHARACTER_CLASS);

    /**
     * {@code "{{ expr }}\n"} as Ansible 2.14 renders a task argument: Jinja2 drops the one trailing newline
     * (keep_trailing_newline=False), so one expression is left. A bare variable holding a number, a boolean or None
     * is returned as it is (Templar's single-variable shortcut, whose {@code $} also matches before a final newline);
     * otherwise the result is text, and Ansible's concat turns text that looks like a boolean, list or dict back into
     * one (so {@code x is defined} stays a boolean), while any other text gets its newline back
     * (preserve_trailing_newlines).
     */
    private static Object withTrailingNewline(String expr, Object value) {
        if (value instanceof Boolean || value instanceof Map<?, ?> || value instanceof List<?>) {
            return value;
        }
        if ((value == null || value instanceof Number) && BARE_NAME.matcher(expr).matches()) {
            return value;
        }
        // preserve_trailing_newlines: the source's one newline is added only when the text does not end in one
        return AnsibleTaskText.padTrailingNewlines("\n", value == null ? "" : Py.str(value));
    }

    static boolean isTemplate(String s) {
        return s.contains("{{") || s.contains("{%") || s.contains("{#");
    }

    /** The expression inside a string that is exactly {@code {{ expr }}}, else null. */
    static String singleExpression(String s) {
        if (!s.startsWith("{{") || !s.endsWith("}}") || s.length() < 4) {
            return null;
        }
        String inner = s.substring(2, s.length() - 2);
        if (inner.contains("{{") || inner.contains("}}") || inner.contains("{%") || inner.contains("{#")) {
            return null;
        }
        return inner.startsWith("-") || inner.endsWith("-") ? null : inner.strip();
    }

    @Override
    public String renderText(String template, Map<String, Object> vars, SourceLocation location) {
        return SecretFlow.text(() -> renderTextOnce(template, vars, location));
    }

    @Override
    public String renderText(String template, Map<String, Object> vars, SourceLocation location,
                             List<Path> searchPath) {
        return IncludeLocator.with(searchPath, () -> renderText(template, vars, location));
    }

    private String renderTextOnce(String template, Map<String, Object> vars, SourceLocation location) {
        RenderState state = state(vars, location);
        RenderState.push(state);
        try {
            return renderFile(template, state, null);
        } finally {
            RenderState.pop();
        }
    }

    /** Renders with the variables of state (lookup('template') renders with the caller's variables). */
    String renderFile(String template, RenderState state, Path file) {
        if (RenderState.depth() > 20) {
            throw new EngineException(state.location(), "templates nested more than 20 deep (lookup('template') loop?)",
                    "check for a template that includes itself");
        }
        SourceLocation where = file == null ? state.location() : SourceLocation.of(file.toString());
        if (!isTemplate(template)) {
            return template;
        }
        // Jinja2 drops one trailing newline of the source (keep_trailing_newline=False); Ansible then pads the output
        // back to as many trailing newlines as the source had.
        String source = withoutTrailingNewline(template);
        String out = withInterpreter(state.vars(), where, interpreter -> {
            Node node = parsed.get(source);
            if (node == null) {
                TemplateSyntax.check(source, where); // what Jinjava lets through: unclosed tags, stray end tags
                node = interpreter.parse(Preprocess.template(source));
                check(interpreter, where, source);
                parsed.put(source, node);
            }
            return interpreter.render(node);
        }, template);
        int want = trailingNewlines(template);
        int have = trailingNewlines(out);
        return want > have ? out + "\n".repeat(want - have) : out;
    }

    /** The template source as Jinja2 (keep_trailing_newline=False) reads it: one trailing newline dropped. */
    static String withoutTrailingNewline(String template) {
        return template.endsWith("\r\n") ? template.substring(0, template.length() - 2)
                : template.endsWith("\n") ? template.substring(0, template.length() - 1) : template;
    }

    private static int trailingNewlines(String s) {
        int n = 0;
        for (int i = s.length() - 1; i >= 0 && s.charAt(i) == '\n'; i--) {
            n++;
        }
        return n;
    }

    @Override
    public Object evaluate(String expression, Map<String, Object> vars, SourceLocation location) {
        return SecretFlow.frame(() -> evaluateOnce(expression, vars, location), true);
    }

    private Object evaluateOnce(String expression, Map<String, Object> vars, SourceLocation location) {
        String expr = expression.strip();
        if (expr.startsWith("{{") && expr.endsWith("}}") && singleExpression(expr) != null) {
            expr = singleExpression(expr); // when: "{{ x }}" is accepted by Ansible too (with a warning)
        }
        String e = Preprocess.expression(expr);
        RenderState state = state(vars, location);
        RenderState.push(state);
        try {
            Object result = withInterpreter(vars, location, interpreter -> interpreter.resolveELExpression(e, 1),
                    "{{ " + e + " }}");
            if (result instanceof Undefined u) {
                throw undefined(u.fail(), location, "{{ " + e + " }}", 1);
            }
            return plain(result);
        } finally {
            RenderState.pop();
        }
    }

    private RenderState state(Map<String, Object> vars, SourceLocation location) {
        Path base = baseDir;
        Object pd = vars == null ? null : vars.get("playbook_dir");
        if (pd instanceof CharSequence) {
            base = Path.of(Py.str(pd));
        }
        return new RenderState(this, vars == null ? Map.of() : vars, location, base);
    }

    @FunctionalInterface
    private interface Body<T> {
        T run(JinjavaInterpreter interpreter);
    }

    private <T> T withInterpreter(Map<String, Object> vars, SourceLocation location, Body<T> body, String source) {
        Context context = new StrictContext(jinjava.getGlobalContext(), vars == null ? Map.of() : vars,
                config.getDisabled());
        context.setExpressionStrategy(PY_OUTPUT);
        context.setDynamicVariableResolver(name -> resolveMissing(name));
        JinjavaInterpreter interpreter = config.getInterpreterFactory().newInstance(jinjava, context, config);
        UndefinedError.takeFirst();
        JinjavaInterpreter.pushCurrent(interpreter);
        T result;
        try {
            result = body.run(interpreter);
        } catch (UndefinedError e) {
            UndefinedError.takeFirst();
            throw undefined(e, location, source, interpreter.getLineNumber());
        } catch (TemplateFailure e) {
            throw failure(e.getMessage(), e.hint(), location, source, interpreter.getLineNumber(), e);
        } catch (EngineException e) {
            throw e;
        } catch (StackOverflowError e) {
            UndefinedError.takeFirst();
            throw failure("template recursion too deep (a value that contains itself, e.g. printing hostvars whole?)",
                    "use single values (hostvars[host].x) instead of printing or walking a self-referencing value",
                    location, source, interpreter.getLineNumber(), null);
        } catch (VirtualMachineError e) {
            throw e; // out of memory: nothing a template author can fix
        } catch (Error e) {
            UndefinedError.takeFirst();
            throw failure("template error: " + e, HINT_SYNTAX, location, source, interpreter.getLineNumber(), e);
        } catch (RuntimeException e) {
            UndefinedError u = UndefinedError.takeFirst();
            if (u != null) {
                throw undefined(u, location, source, interpreter.getLineNumber());
            }
            for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
                if (t instanceof TemplateFailure f) { // a tag's own error, wrapped by Jinjava's "Error rendering tag"
                    throw failure(f.getMessage(), f.hint(), location, source, interpreter.getLineNumber(), f);
                }
            }
            throw failure("template error: " + e.getMessage(), HINT_SYNTAX, location, source,
                    interpreter.getLineNumber(), e);
        } finally {
            JinjavaInterpreter.popCurrent();
        }
        check(interpreter, location, source);
        return result;
    }

    private static Object resolveMissing(String name) {
        if (name.equals("none") || name.equals("None")) {
            return null;
        }
        if (name.equals(Preprocess.COMMA)) {
            return ",";
        }
        JinjavaInterpreter interpreter = JinjavaInterpreter.getCurrent();
        if (name.startsWith(Preprocess.KW_PREFIX) && interpreter != null) {
            String real = name.substring(Preprocess.KW_PREFIX.length());
            Object v = interpreter.getContext().get(real);
            return v != null ? v : resolveMissing(real);
        }
        for (com.hubspot.jinjava.util.ScopeMap<String, Object> c = interpreter == null ? null
                : interpreter.getContext(); c != null; c = c.getParent()) {
            if (c.getScope().containsKey(name) || c instanceof StrictContext sc && sc.binds(name)) {
                return null; // defined, with the value None
            }
        }
        if (interpreter != null && interpreter.getContext().getGlobalMacro(name) != null) {
            return null;
        }
        return Undefined.variable(name);
    }

    private static final String HINT_SYNTAX = "templates use Jinja2 syntax: {{ expression }}, {% tag %}, {# comment #}";

    private void check(JinjavaInterpreter interpreter, SourceLocation location, String source) {
        UndefinedError u = UndefinedError.takeFirst();
        if (u != null) {
            throw undefined(u, location, source, interpreter.getLineNumber());
        }
        for (TemplateError error : interpreter.getErrors()) {
            if (error.getSeverity() != TemplateError.ErrorType.FATAL && !isUnknown(error)) {
                continue;
            }
            Throwable t = error.getException();
            while (t != null) {
                if (t instanceof TemplateFailure f) {
                    throw failure(f.getMessage(), f.hint(), location, source, error.getLineno(), f);
                }
                if (t instanceof UndefinedError ue) {
                    throw undefined(ue, location, source, error.getLineno());
                }
                if (t instanceof EngineException ee) {
                    throw ee;
                }
                t = t.getCause();
            }
            String message = error.getMessage();
            String hint = HINT_SYNTAX;
            java.util.regex.Matcher m = UNKNOWN_FILTER.matcher(String.valueOf(message));
            if (m.find()) {
                String name = m.group(1);
                message = "no filter named '" + name + "'";
                hint = AnsibleFilters.unknown("filter", name, interpreter.getContext()).hint();
            }
            throw failure(message, hint, location, source, error.getLineno(), null);
        }
    }

    private static final java.util.regex.Pattern UNKNOWN_FILTER = java.util.regex.Pattern.compile(
            "filter:(\\w+)");

    private static boolean isUnknown(TemplateError error) {
        return error.getItem() == TemplateError.ErrorItem.FILTER
                || error.getItem() == TemplateError.ErrorItem.EXPRESSION_TEST
                || String.valueOf(error.getMessage()).contains("filter:");
    }

    private static EngineException undefined(UndefinedError e, SourceLocation location, String source, int line) {
        String name = e.getMessage();
        return new EngineException(at(location, source, line), "undefined variable: " + name + lineNote(source, line),
                "define it (vars, inventory, set_fact) or give a fallback: {{ x | default('...') }}; "
                        + "test with 'x is defined'");
    }

    private static EngineException failure(String message, String hint, SourceLocation location, String source,
            int line, Throwable cause) {
        return new EngineException(at(location, source, line), message + lineNote(source, line), hint, cause);
    }

    private static String lineNote(String source, int line) {
        return source != null && source.contains("\n") && line > 0 ? " (template line " + line + ")" : "";
    }

    private static SourceLocation at(SourceLocation location, String source, int line) {
        SourceLocation loc = location == null ? SourceLocation.UNKNOWN : location;
        if (loc.line() <= 0 && loc != SourceLocation.UNKNOWN && line > 0) {
            return new SourceLocation(loc.file(), line, 0);
        }
        return loc;
    }

    /** Unwraps Jinjava's list/map wrappers so callers get plain java.util values. */
    static Object plain(Object v) {
        if (v instanceof PyTuple) {
            return v;
        }
        if (v instanceof Map<?, ?> m) {
            Map<Object, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(plain(k), plain(x)));
            return out;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            l.forEach(x -> out.add(plain(x)));
            return out;
        }
        if (v instanceof Secret s) {
            Taint.mark();
            return s; // stays a Secret: SecretFlow.frame decides what else is one
        }
        if (v instanceof Unsafe u) {
            Taint.mark();
            return plain(u.value());
        }
        if (v instanceof Integer i) {
            return i.longValue();
        }
        return v;
    }

    /** Prints expression results as Python's str() with Ansible's finalize (None prints as nothing). */
    private static final com.hubspot.jinjava.lib.expression.ExpressionStrategy PY_OUTPUT = (master, interpreter) -> {
        int reveals = SecretFlow.reveals();
        Object v = interpreter.resolveELExpression(master.getExpr(), master.getLineNumber());
        if (v instanceof Undefined u) {
            throw u.fail();
        }
        String text = v == null ? "" : Py.str(v);
        if (SecretFlow.reveals() != reveals && !(v instanceof Boolean) && !(v instanceof Number)) {
            SecretFlow.derived(text); // printed text computed from a secret: pw[2:], pw ~ 'x', '%s' % pw
        }
        return new RenderedOutputNode(text);
    };

    /** A filter that wraps one of Jinjava's under the same name. */
    private abstract static class DelegatingFilter implements com.hubspot.jinjava.lib.filter.Filter {
        protected final com.hubspot.jinjava.lib.filter.Filter delegate;

        DelegatingFilter(com.hubspot.jinjava.lib.filter.Filter delegate) {
            this.delegate = delegate;
        }

        @Override
        public String getName() {
            return delegate.getName();
        }
    }

    /** One of Jinjava's own filters (dictsort, batch, wordwrap ...), failing on undefined input like Jinja2. */
    private static final class StrictBuiltinFilter extends DelegatingFilter {
        StrictBuiltinFilter(com.hubspot.jinjava.lib.filter.Filter delegate) {
            super(delegate);
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
            return filter(var, interpreter, (Object[]) args, Map.of());
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
            if (var instanceof Undefined u) {
                throw u.fail();
            }
            for (Object a : args) {
                if (a instanceof Undefined u) {
                    throw u.fail();
                }
            }
            return delegate.filter(var, interpreter, args, kwargs);
        }
    }

    /** Any filter: what it computes from a secret's text is reported as a derived secret (see {@link SecretFlow}). */
    private static final class SecretTrackingFilter extends DelegatingFilter {
        SecretTrackingFilter(com.hubspot.jinjava.lib.filter.Filter delegate) {
            super(delegate);
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
            int reveals = SecretFlow.reveals();
            Object out = delegate.filter(var, interpreter, args);
            SecretFlow.filtered(var, args, null, reveals, out);
            return out;
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
            int reveals = SecretFlow.reveals();
            Object out = delegate.filter(var, interpreter, args, kwargs);
            SecretFlow.filtered(var, args, kwargs, reveals, out);
            return out;
        }
    }

    /** Reveals {@link Secret}s inside templates (the rendered value goes to the host), telling {@link SecretFlow}. */
    private static final class SecretRevealingUnwrapper extends JinjavaObjectUnwrapper {
        @Override
        public Object unwrapObject(Object o) {
            Object v = super.unwrapObject(o);
            if (v == com.hubspot.jinjava.interpret.NullValue.INSTANCE) {
                return null;
            }
            if (v instanceof Map<?, ?> m && !(v instanceof com.hubspot.jinjava.objects.PyWrapper)
                    && !v.getClass().getName().startsWith("java.")) {
                // A map of our own (the executor's hostvars computes a host's variables on access, and they hold
                // hostvars again): Jinjava's SizeLimitingPyMap would call size() on it, which walks and hashes every
                // host's variables, endlessly. PyMap wraps it without touching it.
                @SuppressWarnings("unchecked")
                Map<String, Object> lazy = (Map<String, Object>) m;
                return new com.hubspot.jinjava.objects.collections.PyMap(lazy);
            }
            if (v instanceof Unsafe u) {
                Taint.mark();
                return unwrapObject(u.value());
            }
            if (v instanceof Secret s) {
                Taint.mark();
                return SecretFlow.reveal(s);
            }
            return v;
        }
    }

    /** Jinjava with Python string coercion in its expression language. */
    private static final class PyJinjava extends Jinjava {
        private final ExpressionFactory factory;

        PyJinjava(JinjavaConfig config) {
            super(config);
            Properties props = new Properties();
            props.setProperty(TreeBuilder.class.getName(), PySyntaxBuilder.class.getName()); // Python's %
            this.factory = new ExpressionFactoryImpl(props, new PyTypeConverter());
        }

        @Override
        public ExpressionFactory getExpressionFactory() {
            return factory;
        }
    }
}
