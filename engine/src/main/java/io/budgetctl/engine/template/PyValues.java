package io.budgetctl.engine.template;

/**
 * Python value semantics for code outside the templater (modules writing what Ansible's Python would write). A thin
 * public door onto {@link Py} and {@link PyJson}, so there is one implementation of str() and json.dumps().
 */
public final class PyValues {
    private PyValues() {
    }

    /** Python's {@code str(v)}: {@code True}, {@code None}, {@code 1.0}, {@code ['a', 1]}, {@code {'k': 'v'}}. */
    public static String str(Object v) {
        return Py.str(v);
    }

    /** Python's {@code json.dumps(v)} with its defaults: {@code ["a", "b"]}, {@code {"k": 1}}, non-ASCII escaped. */
    public static String jsonDumps(Object v) {
        try {
            return PyJson.dumps(v, null, false, ", ", ": ", true);
        } catch (TemplateFailure e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }
}
