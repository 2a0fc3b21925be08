package io.budgetctl.engine.secrets;

import com.bettercloud.vault.Vault;
import com.bettercloud.vault.VaultConfig;
import com.bettercloud.vault.VaultException;
import com.bettercloud.vault.response.LogicalResponse;
import io.budgetctl.engine.api.EngineException;
import io.budgetctl.engine.api.SourceLocation;
import java.io.IOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads KV version 2 secrets from Vault with vault-java-driver: logs in once (token, AppRole or Kubernetes), sends
 * the namespace as {@code X-Vault-Namespace}, and reads {@code GET /v1/<mount>/data/<path>}, whose answer is
 * {@code {"data":{"data":{...},"metadata":{...}}}}. Failures say which path and what Vault answered (403, 404, no
 * connection), never a value.
 */
public final class VaultClient {
    private static final int OPEN_TIMEOUT_SECONDS = 5;
    private static final int READ_TIMEOUT_SECONDS = 30;
    private final VaultSettings settings;
    private String token;

    public VaultClient(VaultSettings settings) {
        this.settings = settings;
    }

    /**
     * The key/value pairs of the KV v2 secret at {@code apiPath} ({@code kv/data/clients/acme}: mount, then
     * {@code data}, then the secret's path).
     */
    public synchronized Map<String, String> readKv2(String apiPath, SourceLocation where) {
        int at = apiPath.indexOf("/data/");
        if (at <= 0 || apiPath.endsWith("/data/")) {
            throw new EngineException(where, "Vault path '" + apiPath + "' is not a KV v2 data path",
                    "write it as <mount>/data/<path>, e.g. vault:kv/data/clients/acme#db_password");
        }
        String mount = apiPath.substring(0, at);
        String rest = apiPath.substring(at + "/data/".length());
        try {
            Vault vault = vault(mount.split("/").length);
            LogicalResponse r = vault.logical().read(mount + "/" + rest);
            int status = r.getRestResponse().getStatus();
            if (status != 200) {
                throw failure(status, apiPath, where);
            }
            return new LinkedHashMap<>(r.getData());
        } catch (VaultException e) {
            throw failure(e.getHttpStatusCode(), apiPath, where);
        }
    }

    private Vault vault(int mountDepth) throws VaultException {
        VaultConfig config = baseConfig().prefixPathDepth(mountDepth).engineVersion(2);
        if (token == null) {
            token = login();
        }
        return new Vault(config.token(token).build(), 2).withRetries(0, 0);
    }

    private VaultConfig baseConfig() throws VaultException {
        VaultConfig c = new VaultConfig().address(settings.address()).openTimeout(OPEN_TIMEOUT_SECONDS)
                .readTimeout(READ_TIMEOUT_SECONDS);
        if (!settings.namespace().isEmpty()) {
            c = c.nameSpace(settings.namespace());
        }
        return c;
    }

    private String login() throws VaultException {
        VaultSettings.Auth auth = settings.auth();
        SourceLocation where = SourceLocation.of(settings.address());
        if (auth instanceof VaultSettings.Token t) {
            return t.token();
        }
        Vault v = new Vault(baseConfig().build(), 2).withRetries(0, 0);
        try {
            if (auth instanceof VaultSettings.AppRole a) {
                return v.auth().loginByAppRole(a.mount(), a.roleId(), a.secretId()).getAuthClientToken();
            }
            VaultSettings.Kubernetes k = (VaultSettings.Kubernetes) auth;
            String jwt;
            try {
                jwt = Files.readString(k.jwtFile()).strip();
            } catch (IOException e) {
                throw new EngineException(where, "cannot read the Kubernetes service account token "
                        + k.jwtFile(), "run inside a pod with a service account, or set VAULT_K8S_TOKEN_PATH");
            }
            return v.auth().loginByKubernetes(k.role(), jwt).getAuthClientToken();
        } catch (VaultException e) {
            String method = auth instanceof VaultSettings.AppRole ? "AppRole" : "Kubernetes";
            throw new EngineException(where, "Vault " + method + " login failed" + status(e.getHttpStatusCode()),
                    auth instanceof VaultSettings.AppRole ? "check VAULT_ROLE_ID and VAULT_SECRET_ID (secret IDs "
                            + "expire; ask for a new one)" : "check VAULT_K8S_ROLE and that the role is bound to this "
                            + "service account");
        }
    }

    private static String status(int code) {
        return code > 0 ? " (HTTP " + code + ")" : " (no answer: " + "is Vault reachable?)";
    }

    private EngineException failure(int status, String apiPath, SourceLocation where) {
        String ns = settings.namespace().isEmpty() ? "" : " in namespace " + settings.namespace();
        return switch (status) {
            case 403 -> new EngineException(where, "Vault denied reading " + apiPath + ns + " (HTTP 403)",
                    "the token is expired or its policy does not allow read on " + apiPath
                            + "; log in again or ask for the policy");
            case 404 -> new EngineException(where, "Vault has no secret at " + apiPath + ns + " (HTTP 404)",
                    "check the path (KV v2: <mount>/data/<path>) and VAULT_NAMESPACE");
            case 0 -> new EngineException(where, "cannot reach Vault at " + settings.address() + " to read "
                    + apiPath, "check VAULT_ADDR and the network");
            default -> new EngineException(where, "Vault answered HTTP " + status + " for " + apiPath + ns,
                    "see the Vault server's logs");
        };
    }
}
