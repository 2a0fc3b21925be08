package io.budgetctl.engine.api;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * A secret value. Its {@link #toString()} never reveals the value, so a secret that reaches output, logs, diffs,
 * events or audit lines by accident shows as {@code ********}. Only code that must hand the value to a host calls
 * {@link #reveal()}.
 */
public final class Secret implements CharSequence {
    public static final String MASK = "********";
    private volatile String value;
    private Supplier<String> source;
    private final boolean derived;

    private Secret(String value, Supplier<String> source, boolean derived) {
        this.value = value;
        this.source = source;
        this.derived = derived;
    }

    public static Secret of(String value) {
        return new Secret(Objects.requireNonNull(value, "value"), null, false);
    }

    /**
     * A value a template computed from secrets ({@code "{{ pw }}-suffix"}, {@code "{{ pw | upper }}"}): secret as a
     * whole, while the secrets it was made of (and what filters made of them) are known to masking on their own, so
     * output can show {@code ********-suffix} instead of hiding the literal text around them.
     */
    public static Secret derived(String value) {
        return new Secret(Objects.requireNonNull(value, "value"), null, true);
    }

    /**
     * A secret fetched on first {@link #reveal()} (a SOPS file decrypted, a Vault secret read), so that only the
     * secrets a run actually uses need a key. A failing source throws from {@code reveal()} each time it is asked.
     */
    public static Secret lazy(Supplier<String> source) {
        return new Secret(null, Objects.requireNonNull(source, "source"), false);
    }

    public String reveal() {
        String v = value;
        if (v == null) {
            synchronized (this) {
                if (value == null) {
                    value = Objects.requireNonNull(source.get(), "secret source returned null");
                    source = null;
                }
                v = value;
            }
        }
        return v;
    }

    /** True for a value computed by a template from other secrets ({@link #derived}). */
    public boolean isDerived() {
        return derived;
    }

    /** True once the value is known (always for {@link #of}): only such a value can have reached a host or output. */
    public boolean revealed() {
        return value != null;
    }

    @Override
    public int length() {
        return MASK.length();
    }

    @Override
    public char charAt(int index) {
        return MASK.charAt(index);
    }

    @Override
    public CharSequence subSequence(int start, int end) {
        return MASK.subSequence(start, end);
    }

    @Override
    public String toString() {
        return MASK;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret s && s.reveal().equals(reveal());
    }

    @Override
    public int hashCode() {
        return reveal().hashCode();
    }
}
