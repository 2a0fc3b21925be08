package io.budgetctl.lifecycle.secrets;

import io.budgetctl.engine.api.EngineException;
import io.budgetctl.engine.api.SourceLocation;
import io.github.jopenlibs.vault.EnvironmentLoader;
import io.github.jopenlibs.vault.Vault;
import io.github.jopenlibs.vault.VaultConfig;
import io.github.jopenlibs.vault.VaultException;
import io.github.jopenlibs.vault.response.LogicalResponse;
import java.io.IOException;
import java.net.Socket;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Reads KV version 2 secrets from Vault with vault-java-driver (the maintained io.github.jopenlibs fork): logs in once (token, AppRole or Kubernetes), sends
 * the namespace as {@code X-Vault-Namespace}, and reads {@code GET /v1/<mount>/data/<path>}, whose answer is
 * {@code {"data":{"data":{...},"metadata":{...}}}}. Failures say which path and what Vault answered (403, 404, no
 * connection, an untrusted certificate), never a value. The driver reads nothing from the environment itself: its
 * HTTP client is built here from {@link VaultSettings#tls()} (VAULT_CACERT / VAULT_CAPATH / VAULT_SKIP_VERIFY), so
 * that what is trusted is what the vault CLI would trust with the same variables.
 */
public final class VaultClient {
    private static final int OPEN_TIMEOUT_SECONDS = 5;
    private static final int READ_TIMEOUT_SECONDS = 30;
    private final VaultSettings settings;
    private String token;
    private HttpClient http;

    /** The driver's environment: empty. Every setting comes from {@link VaultSettings}. */
    private static final EnvironmentLoader NO_ENVIRONMENT = new EnvironmentLoader() {
        @Override
        public String loadVariable(String name) {
            return null;
        }
    };

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
            throw untrusted(e, where).orElseGet(() -> failure(e.getHttpStatusCode(), apiPath, where));
        }
    }

    /** An error whose cause is a TLS failure: Vault's certificate is not trusted (or not for this name). */
    private java.util.Optional<EngineException> untrusted(Throwable e, SourceLocation where) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SSLException) {
                return java.util.Optional.of(new EngineException(where, "cannot verify Vault's TLS certificate at "
                        + settings.address() + " against " + settings.tls().source() + " (" + t.getMessage() + ")",
                        "set VAULT_CACERT to the PEM file of the CA that signed it (VAULT_SKIP_VERIFY=true turns the"
                                + " check off, as with the vault CLI: only for a test Vault)"));
            }
        }
        return java.util.Optional.empty();
    }

    /** The HTTP client of every request: HTTP/1.1, the open timeout, and the TLS trust of the settings. */
    private HttpClient http() {
        if (http == null) {
            HttpClient.Builder b = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(OPEN_TIMEOUT_SECONDS));
            try {
                b.sslContext(sslContext(settings.tls()));
            } catch (GeneralSecurityException | IOException e) {
                throw new EngineException(SourceLocation.of(settings.address()), "cannot set up TLS for Vault ("
                        + e.getMessage() + ")", "check VAULT_CACERT / VAULT_CAPATH");
            }
            http = b.build();
        }
        return http;
    }

    static SSLContext sslContext(VaultSettings.Tls tls) throws GeneralSecurityException, IOException {
        SSLContext ctx = SSLContext.getInstance("TLS");
        if (tls.skipVerify()) {
            ctx.init(null, new TrustManager[] {new TrustEverything()}, null);
        } else if (!tls.trusted().isEmpty()) {
            ctx.init(null, PemFiles.trusting(tls.trusted()), null);
        } else {
            return SSLContext.getDefault();
        }
        return ctx;
    }

    /** VAULT_SKIP_VERIFY: neither the certificate nor the host name is checked (as the vault CLI does then). */
    private static final class TrustEverything extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
            // a client certificate is never asked for
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
            // skip-verify: accept
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
            // a client certificate is never asked for
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
            // skip-verify: accept
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
            // a client certificate is never asked for
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            // skip-verify: accept
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }

    private Vault vault(int mountDepth) throws VaultException {
        VaultConfig config = baseConfig().prefixPathDepth(mountDepth).engineVersion(2);
        if (token == null) {
            token = login();
        }
        return Vault.create(config.token(token).build(), 2).withRetries(0, 0);
    }

    private VaultConfig baseConfig() throws VaultException {
        VaultConfig c = new VaultConfig().environmentLoader(NO_ENVIRONMENT).address(settings.address())
                .openTimeout(OPEN_TIMEOUT_SECONDS).readTimeout(READ_TIMEOUT_SECONDS).httpClient(http());
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
        Vault v = Vault.create(baseConfig().build(), 2).withRetries(0, 0);
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
            java.util.Optional<EngineException> tlsFailure = untrusted(e, where);
            if (tlsFailure.isPresent()) {
                throw tlsFailure.get();
            }
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
