package io.budgetctl.engine.api;

import java.util.Objects;

/**
 * A secret value. Its {@link #toString()} never reveals the value, so a secret that reaches output, logs, diffs,
 * events or audit lines by accident shows as {@code ********}. Only code that must hand the value to a host calls
 * {@link #reveal()}.
 */
public final class Secret implements CharSequence {
    public static final String MASK = "********";
    private final String value;

    private Secret(String value) {
        this.value = Objects.requireNonNull(value, "value");
    }

    public static Secret of(String value) {
        return new Secret(value);
    }

    public String reveal() {
        return value;
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
        return o instanceof Secret s && s.value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }
}
