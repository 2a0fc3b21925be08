package io.budgetctl.lifecycle.secrets;

import io.budgetctl.engine.api.EngineException;
import io.budgetctl.engine.api.Secret;
import io.budgetctl.engine.api.SourceLocation;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Turns a secret reference into a {@link Secret}:
 * <ul>
 *   <li>{@code sops:secrets/acme.sops.yaml#db_password} - a SOPS file, relative to the repository root, and a key in
 *   it ({@code db.password} for nested keys, {@code hosts.0} for a list element);</li>
 *   <li>{@code vault:kv/data/clients/acme#db_password} - a Vault KV v2 secret and one of its keys.</li>
 * </ul>
 * Each SOPS file is decrypted once and each Vault secret read once per resolver. Failures are
 * {@link EngineException}s at the reference's location.
 */
public final class SecretResolver {
    private final Path root;
    private final Sops sops;
    private final Supplier<VaultClient> vaultFactory;
    private final Map<Path, SopsDocument> files = new HashMap<>();
    private final Map<String, Map<String, String>> vaultSecrets = new HashMap<>();
    private VaultClient vault;

    /** Resolves against {@code repositoryRoot} with this process's environment. */
    public SecretResolver(Path repositoryRoot) {
        this(repositoryRoot, new Sops(SecretsEnv.system()), () -> new VaultClient(VaultSettings.fromEnv(
                SecretsEnv.system())));
    }

    public SecretResolver(Path repositoryRoot, Sops sops, Supplier<VaultClient> vaultFactory) {
        this.root = repositoryRoot.toAbsolutePath().normalize();
        this.sops = sops;
        this.vaultFactory = vaultFactory;
    }

    /** True for a string that is a secret reference (starts with {@code sops:} or {@code vault:}). */
    public static boolean isReference(String s) {
        return s != null && (s.startsWith("sops:") || s.startsWith("vault:"));
    }

    public Secret resolve(String reference) {
        return resolve(reference, SourceLocation.UNKNOWN);
    }

    public synchronized Secret resolve(String reference, SourceLocation where) {
        int colon = reference.indexOf(':');
        int hash = reference.lastIndexOf('#');
        if (colon < 0 || !isReference(reference)) {
            throw new EngineException(where, "'" + reference + "' is not a secret reference",
                    "write sops:<file>#<key> or vault:<mount>/data/<path>#<key>");
        }
        if (hash < colon || hash == reference.length() - 1 || hash == colon + 1) {
            throw new EngineException(where, "secret reference '" + reference + "' needs a path and a key",
                    "write " + reference.substring(0, colon) + ":<path>#<key>, e.g. "
                            + "sops:secrets/acme.sops.yaml#db_password");
        }
        String scheme = reference.substring(0, colon);
        String path = reference.substring(colon + 1, hash);
        String key = reference.substring(hash + 1);
        return scheme.equals("sops") ? fromSops(path, key, reference, where) : fromVault(path, key, where);
    }

    private Secret fromSops(String path, String key, String reference, SourceLocation where) {
        Path file = root.resolve(path).normalize();
        if (!file.startsWith(root)) {
            throw new EngineException(where, "secret file '" + path + "' is outside the repository",
                    "sops: paths are relative to the repository root " + root);
        }
        SopsDocument doc = files.get(file);
        if (doc == null) {
            try {
                doc = sops.decrypt(file);
            } catch (EngineException e) {
                throw new EngineException(where, "cannot resolve " + reference + ": " + e.oneLine(), e.hint(), e);
            }
            files.put(file, doc);
        }
        Object v = doc.lookup(key).orElseThrow(() -> new EngineException(where, "secret file " + path
                + " has no key '" + key + "'", "run 'budgetctl secrets view " + path + "' to see its keys "
                + "(nested keys are written a.b)"));
        return Secret.of(scalar(v, reference, where));
    }

    private Secret fromVault(String path, String key, SourceLocation where) {
        Map<String, String> data = vaultSecrets.get(path);
        if (data == null) {
            if (vault == null) {
                vault = vaultFactory.get();
            }
            data = vault.readKv2(path, where);
            vaultSecrets.put(path, data);
        }
        String v = data.get(key);
        if (v == null) {
            throw new EngineException(where, "Vault secret " + path + " has no key '" + key + "'",
                    "its keys are: " + String.join(", ", data.keySet().stream().sorted().toList()));
        }
        return Secret.of(v);
    }

    private static String scalar(Object v, String reference, SourceLocation where) {
        if (v instanceof Map || v instanceof List) {
            throw new EngineException(where, reference + " is a " + (v instanceof Map ? "mapping" : "list")
                    + ", not a single value", "point the reference at one of its keys (a.b)");
        }
        if (v instanceof Double d) {
            return SopsCipher.goFormatFloat(d);
        }
        if (v instanceof byte[] b) {
            return new String(b, java.nio.charset.StandardCharsets.UTF_8);
        }
        return v == null ? "" : v.toString();
    }
}
