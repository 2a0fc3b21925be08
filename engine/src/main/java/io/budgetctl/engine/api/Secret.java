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

    private Secret(String value, Supplier<String> source) {
        this.value = value;
        this.source = source;
    }

    public static Secret of(String value) {
        return new Secret(Objects.requireNonNull(value, "value"), null);
    }

    /**
     * A secret fetched on first {@link #reveal()} (a SOPS file decrypted, a Vault secret read), so that only the
     * secrets a run actually uses need a key. A failing source throws from {@code reveal()} each time it is asked.
     */
    public static Secret lazy(Supplier<String> source) {
        return new Secret(null, Objects.requireNonNull(source, "source"));
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
