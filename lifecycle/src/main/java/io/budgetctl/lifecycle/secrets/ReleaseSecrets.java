package io.budgetctl.lifecycle.secrets;

import io.budgetctl.engine.api.EngineException;
import io.budgetctl.engine.api.Secret;
import io.budgetctl.engine.api.SourceLocation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * The secrets a release of IT Budget Manager needs on the customer's server, taken from the client file's references
 * (SOPS, Vault) and handed to the deploy playbook as {@code itbm_secret_<name>} variables. The compose-up role writes
 * each one as {@code <release>/secrets/<name>}, owned by the application's user and mode 0400, mounted at
 * {@code /run/secrets/<name>}: never in {@code .env}, argv, logs or the release record (docs/deploy-guide.md,
 * "Secrets on the host").
 *
 * <p>deploy reads every reference ({@link #resolveAll}) before any host is touched: a reference that cannot be read
 * stops it naming the client file, the setting and the reference.
 */
public final class ReleaseSecrets {
    /**
     * One secret of a release: its name (the file's on the host, unless {@code variable} is set), the setting that
     * holds its reference, when it applies, and the playbook variable that carries it.
     */
    public record Entry(String name, List<String> path, String onlyWhenExternal, String variable) {
        Entry(String name, List<String> path, String onlyWhenExternal) {
            this(name, path, onlyWhenExternal, "itbm_secret_" + name);
        }

        /** The dotted setting, as the client file spells it. */
        public String setting() {
            return String.join(".", path);
        }
    }

    /**
     * The secrets a release can carry, in the order the role writes them. {@code onlyWhenExternal} names the section
     * whose {@code mode: external} the entry needs (a bundled database's password is made on the host instead).
     */
    public static final List<Entry> ENTRIES = List.of(
            new Entry("db_password", List.of("database", "password"), "database"),
            new Entry("db_ca", List.of("database", "tls", "ca"), "database"),
            new Entry("redis_password", List.of("cache", "password"), "cache"),
            new Entry("redis_ca", List.of("cache", "tls", "ca"), "cache"),
            new Entry("portal_token", List.of("heartbeat", "token"), null),
            new Entry("smtp_password", List.of("integrations", "smtp", "password"), null),
            new Entry("oidc_client_secret", List.of("integrations", "sso", "client_secret"), null),
            new Entry("oidc_ca", List.of("integrations", "sso", "ca"), null),
            new Entry("onec_credentials", List.of("integrations", "onec", "credentials"), null),
            // the customer's pull account for the vendor registry: used by docker login, never written as a file
            new Entry("registry_password", List.of("registry", "password"), null, "itbm_registry_password"),
            new Entry("registry_ca", List.of("registry", "ca"), null, "itbm_registry_ca"));

    /**
     * Where the server gets its images from the client file's {@code registry} (host, username; the password and CA
     * are secrets, see {@link #ENTRIES}): {@code itbm_image_source: registry}, {@code itbm_registry},
     * {@code itbm_registry_username} (default {@code pull-<client id>}). Empty without {@code registry.host}: the playbook's defaults (or {@code -e}).
     *
     * @throws EngineException naming the client file when a registry has no password reference
     */
    public static Map<String, Object> registryVars(Map<String, Object> client, SourceLocation clientFile) {
        if (!(client.get("registry") instanceof Map<?, ?> reg) || reg.get("host") == null) {
            return Map.of();
        }
        if (reg.get("password") == null) {
            throw new EngineException(clientFile, "registry.host is set but registry.password is not",
                    "put a reference to this customer's pull password in the client file's registry.password"
                            + " (docs/configuration.md, \"registry\")");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("itbm_image_source", "registry");
        out.put("itbm_registry", String.valueOf(reg.get("host")));
        out.put("itbm_registry_username", String.valueOf(reg.get("username") != null ? reg.get("username")
                : "pull-" + client.get("id")));
        return out;
    }

    private ReleaseSecrets() {
    }

    /** A secret the client file asks for: its entry and the reference as written. */
    public record Ref(Entry entry, String reference) {
        /** The playbook variable that carries it. */
        public String variable() {
            return entry.variable();
        }
    }

    /**
     * The secrets the merged client {@code client} asks for: every entry whose setting is present (and whose section
     * is external, for the database's and Redis's).
     *
     * @throws EngineException naming the client file and the setting when a reference is empty
     */
    public static List<Ref> references(Map<String, Object> client, SourceLocation clientFile) {
        List<Ref> refs = new ArrayList<>();
        for (Entry e : ENTRIES) {
            if (e.onlyWhenExternal() != null && !(client.get(e.onlyWhenExternal()) instanceof Map<?, ?> section
                    && "external".equals(section.get("mode")))) {
                continue;
            }
            Object ref = at(client, e.path());
            if (ref == null) {
                continue;
            }
            String text = String.valueOf(ref);
            if (text.isBlank()) {
                throw new EngineException(clientFile, e.setting() + " is empty",
                        "put a reference to the secret there (sops:secrets/<file>.sops.yaml#<key> or"
                                + " vault:<path>#<field>) or remove the setting");
            }
            refs.add(new Ref(e, text));
        }
        return refs;
    }

    /**
     * The value of {@code ref}.
     *
     * @param resolver reference + where -> value (SecretResolver#resolve); its errors name the reference
     * @throws EngineException naming the client file, the setting, the reference and the reason
     */
    public static Secret resolve(Ref ref, SourceLocation clientFile,
                                 BiFunction<String, SourceLocation, Secret> resolver) {
        try {
            return resolver.apply(ref.reference(), clientFile);
        } catch (EngineException bad) {
            throw new EngineException(clientFile, ref.entry().setting() + ": " + bad.getMessage(),
                    bad.hint() == null ? "check the reference and the key that decrypts it (docs/secrets.md)"
                            : bad.hint());
        }
    }

    /**
     * Every secret of the merged client {@code client}, read now: {@code itbm_secret_<name>} -> value.
     *
     * @throws EngineException as {@link #references} and {@link #resolve}, before any host is touched
     */
    public static Map<String, Object> resolveAll(Map<String, Object> client, SourceLocation clientFile,
                                                 BiFunction<String, SourceLocation, Secret> resolver) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Ref ref : references(client, clientFile)) {
            out.put(ref.variable(), resolve(ref, clientFile, resolver));
        }
        return out;
    }

    private static Object at(Map<String, Object> map, List<String> path) {
        Object cur = map;
        for (String key : path) {
            if (!(cur instanceof Map<?, ?> m)) {
                return null;
            }
            cur = m.get(key);
        }
        return cur;
    }
}
