package io.budgetctl.lifecycle.secrets;

import java.util.Objects;

/**
 * One entry of a SOPS tree branch: the key is a {@link String} or a {@link Comment} (then the value is null); the
 * value is a String, Long, Double, Boolean, byte[], null, a nested branch ({@code List<TreeItem>}) or a list
 * ({@code List<Object>} whose elements may be {@link Comment}s). Order matters: sops' MAC covers values in order.
 */
final class TreeItem {
    final Object key;
    Object value;

    TreeItem(Object key, Object value) {
        this.key = Objects.requireNonNull(key, "key");
        this.value = value;
    }

    boolean isComment() {
        return key instanceof Comment;
    }

    @Override
    public String toString() {
        return key + "=" + (value instanceof String || value instanceof byte[] ? "..." : value);
    }
}
