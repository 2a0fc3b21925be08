package io.budgetctl.lifecycle.secrets;

import io.budgetctl.engine.api.EngineException;
import io.budgetctl.engine.api.Secret;
import io.budgetctl.engine.api.SourceLocation;
import io.budgetctl.lifecycle.repo.DeploymentsRepository;
import io.budgetctl.lifecycle.secrets.SecretResolver;
import java.util.LinkedHashMap;
import java.util.Map;

/** The secrets the preflight's checks of external services need (prepare, diagnose), and the fact of its result. */
public final class PreflightSecrets {
    /** The fact playbooks/prepare.yml (role preflight) sets to its table of checks, per host. */
    public static final String RESULT_FACT = "preflight_results";

    private PreflightSecrets() {
    }

    /**
     * The passwords of an external database and Redis (and their CAs for TLS verify-full), as the client file's
     * references point to them (SOPS, Vault), as secrets (masked in all output). Read now, so that a reference that
     * cannot be read becomes a failed row ({@code preflight_db_password_error}, {@code preflight_cache_password_error})
     * instead of stopping the run.
     */
    public static Map<String, Object> of(DeploymentsRepository r, String clientId) {
        Map<String, Object> client = r.mergedClient(clientId);
        SecretResolver resolver = new SecretResolver(r.root());
        SourceLocation where = SourceLocation.of(r.root().resolve("clients").toString());
        Map<String, Object> v = new LinkedHashMap<>();
        password(client.get("database"), resolver, where, "preflight_db_password", v);
        password(client.get("cache"), resolver, where, "preflight_cache_password", v);
        if (client.get("database") instanceof Map<?, ?> db && "external".equals(db.get("mode"))
                && db.get("tls") instanceof Map<?, ?> tls && tls.get("ca") != null
                && !v.containsKey("preflight_db_password_error")) {
            Map<String, Object> ca = new LinkedHashMap<>();
            password(Map.of("mode", "external", "password", tls.get("ca")), resolver, where, "preflight_db_ca", ca);
            ca.forEach((k, val) -> v.put(k.equals("preflight_db_ca_error") ? "preflight_db_password_error" : k, val));
        }
        if (client.get("cache") instanceof Map<?, ?> cache && "external".equals(cache.get("mode"))
                && cache.get("tls") instanceof Map<?, ?> tls && tls.get("ca") != null
                && !v.containsKey("preflight_cache_password_error")) {
            Map<String, Object> ca = new LinkedHashMap<>();
            password(Map.of("mode", "external", "password", tls.get("ca")), resolver, where, "preflight_cache_ca", ca);
            ca.forEach((k, val) -> v.put(k.equals("preflight_cache_ca_error") ? "preflight_cache_password_error" : k,
                    val));
        }
        return v;
    }

    private static void password(Object section, SecretResolver resolver, SourceLocation where, String var,
                                 Map<String, Object> into) {
        if (section instanceof Map<?, ?> m && "external".equals(m.get("mode")) && m.get("password") != null) {
            String ref = String.valueOf(m.get("password"));
            if (!SecretResolver.isReference(ref)) {
                into.put(var, Secret.of(ref));
                return;
            }
            try {
                Secret s = resolver.resolve(ref, where);
                s.reveal();
                into.put(var, s);
            } catch (EngineException e) {
                into.put(var + "_error", "cannot read " + ref + ": " + e.getMessage()
                        + (e.hint() == null || e.hint().isBlank() ? "" : " (" + e.hint() + ")"));
            }
        }
    }
}
