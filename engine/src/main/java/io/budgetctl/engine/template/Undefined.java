package io.budgetctl.engine.template;

/**
 * Jinja2's (strict) undefined value as Ansible uses it: what a name, a missing key or an attribute of something
 * undefined evaluates to. Only {@code default}/{@code d}, {@code mandatory} and the {@code defined}/{@code undefined}
 * tests may look at it; anything else (printing, string conversion, arithmetic, iteration, truth) raises
 * {@link UndefinedError}, which becomes an {@code EngineException} naming the variable.
 */
final class Undefined {
    private final String message;

    private Undefined(String message) {
        this.message = message;
    }

    static Undefined variable(String name) {
        return new Undefined("'" + name + "' is undefined");
    }

    static Undefined attribute(Object base, Object key) {
        if (base instanceof Undefined u) {
            return u;
        }
        String what = base instanceof java.util.Map ? "dict object" : base instanceof java.util.List ? "list object"
                : base == null ? "NoneType object" : base instanceof String ? "str object" : "object";
        return new Undefined("'" + what + "' has no attribute '" + key + "'");
    }

    String message() {
        return message;
    }

    /** Throws: an undefined value must never silently become text. */
    UndefinedError fail() {
        UndefinedError e = new UndefinedError(message);
        UndefinedError.remember(e);
        return e;
    }

    @Override
    public String toString() {
        throw fail();
    }

    @Override
    public boolean equals(Object o) {
        throw fail();
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }
}
