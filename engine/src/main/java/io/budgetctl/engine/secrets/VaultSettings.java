package io.budgetctl.engine.secrets;

import io.budgetctl.engine.api.EngineException;
import io.budgetctl.engine.api.SourceLocation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * How to reach and log in to Vault. From the environment ({@link #fromEnv}): {@code VAULT_ADDR},
 * {@code VAULT_NAMESPACE} (sent as {@code X-Vault-Namespace}), and one auth method, tried in this order:
 * {@code VAULT_TOKEN} (or the vault CLI's {@code ~/.vault-token}); AppRole with {@code VAULT_ROLE_ID} +
 * {@code VAULT_SECRET_ID} (mount {@code VAULT_APPROLE_MOUNT}, default approle); Kubernetes with
 * {@code VAULT_K8S_ROLE} and the service account token at {@code VAULT_K8S_TOKEN_PATH} (default
 * /var/run/secrets/kubernetes.io/serviceaccount/token).
 */
public record VaultSettings(String address, String namespace, Auth auth) {
    static final String DEFAULT_K8S_TOKEN = "/var/run/secrets/kubernetes.io/serviceaccount/token";

    public VaultSettings {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(auth, "auth");
        namespace = namespace == null ? "" : namespace;
    }

    /** A Vault auth method. */
    public sealed interface Auth {
    }

    /** A token given directly. toString never shows it. */
    public record Token(String token) implements Auth {
        @Override
        public String toString() {
            return "Token[********]";
        }
    }

    /** AppRole login: {@code POST /v1/auth/<mount>/login} with role_id and secret_id. */
    public record AppRole(String mount, String roleId, String secretId) implements Auth {
        @Override
        public String toString() {
            return "AppRole[mount=" + mount + ", roleId=" + roleId + ", secretId=********]";
        }
    }

    /** Kubernetes login: {@code POST /v1/auth/kubernetes/login} with the role and the service account JWT. */
    public record Kubernetes(String role, Path jwtFile) implements Auth {
    }

    public static VaultSettings fromEnv(SecretsEnv env) {
        SourceLocation where = SourceLocation.of("$VAULT_ADDR");
        String addr = env.get("VAULT_ADDR").orElseThrow(() -> new EngineException(where,
                "VAULT_ADDR is not set, so vault: references cannot be resolved",
                "export VAULT_ADDR=https://vault.example:8200 and a way to log in (VAULT_TOKEN, VAULT_ROLE_ID + "
                        + "VAULT_SECRET_ID, or VAULT_K8S_ROLE)"));
        String ns = env.get("VAULT_NAMESPACE").orElse("");
        Optional<String> token = env.get("VAULT_TOKEN").or(() -> tokenFile(env.home().resolve(".vault-token")));
        Auth auth;
        if (token.isPresent()) {
            auth = new Token(token.get());
        } else if (env.get("VAULT_ROLE_ID").isPresent() && env.get("VAULT_SECRET_ID").isPresent()) {
            auth = new AppRole(env.get("VAULT_APPROLE_MOUNT").orElse("approle"), env.get("VAULT_ROLE_ID").get(),
                    env.get("VAULT_SECRET_ID").get());
        } else if (env.get("VAULT_K8S_ROLE").isPresent()) {
            auth = new Kubernetes(env.get("VAULT_K8S_ROLE").get(),
                    Path.of(env.get("VAULT_K8S_TOKEN_PATH").orElse(DEFAULT_K8S_TOKEN)));
        } else {
            throw new EngineException(where, "no way to log in to Vault at " + addr,
                    "set VAULT_TOKEN (or run 'vault login'), or VAULT_ROLE_ID and VAULT_SECRET_ID for AppRole, or "
                            + "VAULT_K8S_ROLE inside Kubernetes");
        }
        return new VaultSettings(addr, ns, auth);
    }

    private static Optional<String> tokenFile(Path f) {
        try {
            return Files.isRegularFile(f) ? Optional.of(Files.readString(f).strip()).filter(s -> !s.isEmpty())
                    : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
