package io.budgetctl.lifecycle.repo;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A reference to a secret, as written in client files: {@code sops:secrets/acme.sops.yaml#db_password} (a key of a
 * SOPS file in the repository; dots in the key descend into maps) or {@code vault:kv/data/clients/beta#db_password}
 * (a field of a Vault KV v2 secret). Same grammar as schemas/secret-ref.schema.json. Resolving is
 * {@code io.budgetctl.lifecycle.secrets}' job; this is only the syntax.
 */
public record SecretRef(String scheme, String path, String key) {
    private static final Pattern FORM = Pattern.compile(
            "^(?:(sops):(secrets/[A-Za-z0-9._/-]+\\.sops\\.(?:yaml|yml|json|env))|(vault):([A-Za-z0-9_-]+(?:/[A-Za-z0-9._-]+)+))"
                    + "#([A-Za-z0-9_][A-Za-z0-9_.-]*)$");

    /** The reference, or null when {@code text} is not one. */
    public static SecretRef parse(String text) {
        if (text == null) {
            return null;
        }
        Matcher m = FORM.matcher(text);
        if (!m.matches() || text.contains("..")) {
            return null;
        }
        return m.group(1) != null ? new SecretRef("sops", m.group(2), m.group(5))
                : new SecretRef("vault", m.group(4), m.group(5));
    }

    @Override
    public String toString() {
        return scheme + ":" + path + "#" + key;
    }
}
