package io.budgetctl.engine.api;

import java.util.Objects;

/**
 * A variable value that is data, never a template: what a host sent back (registered results, gathered facts, facts a
 * module returned, slurp/fetch content), what a lookup read on the controller, and whatever a template computed from
 * those. Ansible calls these "unsafe" ({@code AnsibleUnsafeText}); its rule is ours: such a value is rendered as the
 * literal text it is and is never parsed as a template again, however often it is referenced, so a host that answers
 * {@code {{ lookup('pipe', 'id') }}} gets that text printed, not run on the controller.
 *
 * <p>The wrapper sits on the value of a whole variable (the engine's variable maps hold {@code name -> Unsafe}); the
 * variable map unwraps it when a template reads the variable and marks the render as tainted, so that a value
 * computed from it (set_fact, a variable that references it, a loop item) is wrapped again. Modules never see the
 * wrapper. See docs/security.md.
 */
public final class Unsafe {
    private final Object value;

    private Unsafe(Object value) {
        this.value = value;
    }

    /** Wraps {@code value} (already wrapped values are returned as they are). */
    public static Unsafe of(Object value) {
        return value instanceof Unsafe u ? u : new Unsafe(value);
    }

    /** The plain value, or {@code o} itself when it is not wrapped. */
    public static Object unwrap(Object o) {
        return o instanceof Unsafe u ? u.value : o;
    }

    public static boolean is(Object o) {
        return o instanceof Unsafe;
    }

    public Object value() {
        return value;
    }

    /** The value's own text: printing a wrapped value by accident shows the data, not a type name. */
    @Override
    public String toString() {
        return String.valueOf(value);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Unsafe u && Objects.equals(u.value, value);
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(value);
    }
}
