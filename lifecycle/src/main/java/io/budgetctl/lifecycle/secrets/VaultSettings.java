package io.budgetctl.lifecycle.secrets;

import io.budgetctl.engine.api.EngineException;
import io.budgetctl.engine.api.SourceLocation;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * How to reach and log in to Vault. From the environment ({@link #fromEnv}): {@code VAULT_ADDR},
 * {@code VAULT_NAMESPACE} (sent as {@code X-Vault-Namespace}), and one auth method, tried in this order:
 * {@code VAULT_TOKEN} (or the vault CLI's {@code ~/.vault-token}); AppRole with {@code VAULT_ROLE_ID} +
 * {@code VAULT_SECRET_ID} (mount {@code VAULT_APPROLE_MOUNT}, default approle); Kubernetes with
 * {@code VAULT_K8S_ROLE} and the service account token at {@code VAULT_K8S_TOKEN_PATH} (default
 * /var/run/secrets/kubernetes.io/serviceaccount/token).
 *
 * <p>TLS as the vault CLI reads it: {@code VAULT_CACERT} (a PEM file) or {@code VAULT_CAPATH} (a directory of PEM
 * files) are the CAs trusted for Vault's certificate instead of the system's; {@code VAULT_SKIP_VERIFY} (Go's
 * ParseBool: 1, t, true, ... / 0, f, false, ...; anything else is an error, as in the CLI) turns verification off.
 * Nothing else of the environment is read (the driver's own VAULT_SSL_* variables are not). A plain {@code http://}
 * address is refused unless it is this machine (loopback: a dev server, an agent) or
 * {@code BUDGETCTL_VAULT_ALLOW_HTTP=1} says so explicitly: the token and every secret would cross the network in clear.
 */
public record VaultSettings(String address, String namespace, Auth auth, Tls tls) {
    static final String DEFAULT_K8S_TOKEN = "/var/run/secrets/kubernetes.io/serviceaccount/token";

    public VaultSettings {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(auth, "auth");
        namespace = namespace == null ? "" : namespace;
        tls = tls == null ? Tls.SYSTEM : tls;
    }

    /** With the system's trusted CAs. */
    public VaultSettings(String address, String namespace, Auth auth) {
        this(address, namespace, auth, Tls.SYSTEM);
    }

    /**
     * How Vault's certificate is checked.
     *
     * @param trusted    the CAs to trust instead of the system's (empty: the system's)
     * @param skipVerify VAULT_SKIP_VERIFY: no check at all (certificate or host name)
     * @param source     where {@code trusted} came from, for messages
     */
    public record Tls(List<X509Certificate> trusted, boolean skipVerify, String source) {
        public static final Tls SYSTEM = new Tls(List.of(), false, "the system's CAs");

        public Tls {
            trusted = List.copyOf(trusted);
        }
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
        checkScheme(addr, env);
        Tls tls = tls(env);
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
        return new VaultSettings(addr, ns, auth, tls);
    }

    private static void checkScheme(String addr, SecretsEnv env) {
        SourceLocation where = SourceLocation.of("$VAULT_ADDR");
        URI uri;
        try {
            uri = URI.create(addr.strip());
        } catch (IllegalArgumentException e) {
            throw new EngineException(where, "VAULT_ADDR '" + addr + "' is not a URL", "e.g. https://vault.example:8200");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("https")) {
            return;
        }
        if (!scheme.equals("http") || uri.getHost() == null) {
            throw new EngineException(where, "VAULT_ADDR '" + addr + "' is not an http(s) URL",
                    "e.g. https://vault.example:8200");
        }
        String allow = env.get("BUDGETCTL_VAULT_ALLOW_HTTP").orElse("");
        if (loopback(uri.getHost()) || allow.equals("1") || allow.equalsIgnoreCase("true")) {
            return;
        }
        throw new EngineException(where, "VAULT_ADDR is plain http (" + addr + "): the Vault token and every secret"
                + " read would cross the network unencrypted", "use Vault's https:// address (VAULT_CACERT names its CA"
                + " if it is a private one); for a Vault you know to be reachable only privately set"
                + " BUDGETCTL_VAULT_ALLOW_HTTP=1 explicitly");
    }

    private static boolean loopback(String host) {
        String h = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        if (h.equalsIgnoreCase("localhost")) {
            return true;
        }
        if (!h.matches("[0-9.]+|[0-9a-fA-F:]+")) {
            return false; // a name: not resolved here, and not trusted to be local
        }
        try {
            return InetAddress.getByName(h).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** VAULT_CACERT / VAULT_CAPATH / VAULT_SKIP_VERIFY, read as the vault CLI reads them. */
    static Tls tls(SecretsEnv env) {
        boolean skip = false;
        Optional<String> sv = env.get("VAULT_SKIP_VERIFY").filter(v -> !v.isEmpty());
        if (sv.isPresent()) {
            skip = switch (sv.get()) {
                case "1", "t", "T", "TRUE", "true", "True" -> true;
                case "0", "f", "F", "FALSE", "false", "False" -> false;
                default -> throw new EngineException(SourceLocation.of("$VAULT_SKIP_VERIFY"),
                        "could not parse VAULT_SKIP_VERIFY '" + sv.get() + "'", "1/true to skip the check, 0/false"
                        + " or unset to verify (as the vault CLI reads it)");
            };
        }
        Optional<String> cacert = env.get("VAULT_CACERT").filter(v -> !v.isEmpty());
        Optional<String> capath = env.get("VAULT_CAPATH").filter(v -> !v.isEmpty());
        List<X509Certificate> certs = new ArrayList<>();
        String source = "the system's CAs";
        if (cacert.isPresent()) {
            Path f = Path.of(cacert.get());
            certs.addAll(pem(f, "$VAULT_CACERT"));
            source = "VAULT_CACERT " + f;
        } else if (capath.isPresent()) {
            Path d = Path.of(capath.get());
            if (!Files.isDirectory(d)) {
                throw new EngineException(SourceLocation.of("$VAULT_CAPATH"), "VAULT_CAPATH " + d
                        + " is not a directory", "name a directory of PEM files, or use VAULT_CACERT for one file");
            }
            try (Stream<Path> files = Files.list(d)) {
                for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                    certs.addAll(pem(f, "$VAULT_CAPATH"));
                }
            } catch (IOException e) {
                throw new EngineException(SourceLocation.of("$VAULT_CAPATH"), "cannot list VAULT_CAPATH " + d,
                        "check its permissions");
            }
            source = "VAULT_CAPATH " + d;
        }
        return new Tls(certs, skip, source);
    }

    private static List<X509Certificate> pem(Path f, String var) {
        SourceLocation where = SourceLocation.of(var);
        if (!Files.isRegularFile(f)) {
            throw new EngineException(where, var.substring(1) + " " + f + " does not exist or is not a file",
                    "name the PEM file of the CA that signed Vault's certificate");
        }
        try {
            List<X509Certificate> out = PemFiles.certificates(f);
            if (out.isEmpty()) {
                throw new EngineException(where, var.substring(1) + " " + f + " holds no certificate",
                        "it must hold PEM certificates (-----BEGIN CERTIFICATE-----)");
            }
            return out;
        } catch (IOException | CertificateException e) {
            throw new EngineException(where, var.substring(1) + " " + f + " is not a PEM certificate file ("
                    + e.getMessage() + ")", "it must hold PEM certificates (-----BEGIN CERTIFICATE-----)");
        }
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
