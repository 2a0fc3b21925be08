package io.budgetctl.lifecycle.secrets;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A decrypted SOPS file: its data (comments kept, for writing it back) and metadata. Values come out as plain Java
 * values; callers that hand them on wrap them in {@link io.budgetctl.engine.api.Secret}.
 */
public final class SopsDocument {
    private final Path file;
    private final SopsFormat format;
    private final List<Branch> branches;
    private final SopsMetadata metadata;
    private final byte[] dataKey;

    SopsDocument(Path file, SopsFormat format, List<Branch> branches, SopsMetadata metadata, byte[] dataKey) {
        this.file = file;
        this.format = format;
        this.branches = branches;
        this.metadata = metadata;
        this.dataKey = dataKey;
    }

    public Path file() {
        return file;
    }

    public SopsFormat format() {
        return format;
    }

    List<Branch> branches() {
        return branches;
    }

    SopsMetadata metadata() {
        return metadata;
    }

    byte[] dataKey() {
        return dataKey.clone();
    }

    /** The first document's data as maps, lists and scalars (comments dropped). */
    @SuppressWarnings("unchecked")
    public Map<String, Object> data() {
        return (Map<String, Object>) Branch.toJava(branches.isEmpty() ? new Branch() : branches.get(0));
    }

    /**
     * The value at a dotted key path ({@code db.password}; a list element by its index: {@code hosts.0}). A key that
     * itself contains dots is found too when it exists as written ({@code a.b} as one key is tried first).
     */
    public Optional<Object> lookup(String dottedPath) {
        return lookup(data(), dottedPath);
    }

    private static Optional<Object> lookup(Object node, String path) {
        if (node instanceof Map<?, ?> m) {
            if (m.containsKey(path)) {
                return Optional.ofNullable(m.get(path));
            }
            int dot = path.indexOf('.');
            while (dot > 0) {
                String head = path.substring(0, dot);
                if (m.containsKey(head)) {
                    Optional<Object> r = lookup(m.get(head), path.substring(dot + 1));
                    if (r.isPresent()) {
                        return r;
                    }
                }
                dot = path.indexOf('.', dot + 1);
            }
            return Optional.empty();
        }
        if (node instanceof List<?> l) {
            int dot = path.indexOf('.');
            String head = dot < 0 ? path : path.substring(0, dot);
            try {
                int i = Integer.parseInt(head);
                if (i < 0 || i >= l.size()) {
                    return Optional.empty();
                }
                return dot < 0 ? Optional.ofNullable(l.get(i)) : lookup(l.get(i), path.substring(dot + 1));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** The decrypted document in its own format, as {@code sops -d} prints it. */
    public String plaintext() {
        return format.store().emitPlain(branches);
    }
}
