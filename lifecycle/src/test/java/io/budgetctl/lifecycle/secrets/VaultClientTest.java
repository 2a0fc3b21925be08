package io.budgetctl.lifecycle.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.budgetctl.engine.api.EngineException;
import io.budgetctl.engine.api.SourceLocation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * vault-java-driver against {@link VaultStandIn}, a stand-in HTTP server built to Vault's documented HTTP API (Vault
 * itself cannot be installed here): KV v2 reads, token/AppRole/Kubernetes login, namespaces, 403 and 404.
 */
class VaultClientTest {
    private static final SourceLocation WHERE = new SourceLocation("clients/acme.yaml", 3, 15);
    @TempDir
    Path dir;
    VaultStandIn vault;

    @BeforeEach
    void start() throws Exception {
        vault = new VaultStandIn()
                .secret("", "kv/data/clients/acme", Map.of("db_password", "pw-root", "port", 5432))
                .secret("team-a", "kv/data/clients/acme", Map.of("db_password", "pw-team-a"))
                .token("root-token", "")
                .token("team-token", "team-a");
    }

    @AfterEach
    void stop() {
        vault.close();
    }

    @Test
    void readsKv2WithAToken() {
        // given
        VaultClient client = new VaultClient(new VaultSettings(vault.address(), "", new VaultSettings.Token(
                "root-token")));
        // when
        Map<String, String> data = client.readKv2("kv/data/clients/acme", WHERE);
        // then
        assertThat(data).containsEntry("db_password", "pw-root").containsEntry("port", "5432");
        assertThat(vault.requests).last().satisfies(r -> {
            assertThat(r.method()).isEqualTo("GET");
            assertThat(r.path()).isEqualTo("/v1/kv/data/clients/acme");
            assertThat(r.token()).isEqualTo("root-token");
        });
    }

    @Test
    void sendsTheNamespaceHeader() {
        // given
        VaultClient client = new VaultClient(new VaultSettings(vault.address(), "team-a", new VaultSettings.Token(
                "team-token")));
        // when
        Map<String, String> data = client.readKv2("kv/data/clients/acme", WHERE);
        // then
        assertThat(data).containsEntry("db_password", "pw-team-a");
        assertThat(vault.requests).last().extracting(VaultStandIn.Request::namespace).isEqualTo("team-a");
    }

    @Test
    void logsInWithAppRoleThenReads() {
        // given
        vault.approle("role-1", "secret-1");
        VaultClient client = new VaultClient(new VaultSettings(vault.address(), "", new VaultSettings.AppRole(
                "approle", "role-1", "secret-1")));
        // when
        Map<String, String> data = client.readKv2("kv/data/clients/acme", WHERE);
        // then
        assertThat(data).containsEntry("db_password", "pw-root");
        assertThat(vault.requests).extracting(VaultStandIn.Request::method, VaultStandIn.Request::path)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("POST", "/v1/auth/approle/login"),
                        org.assertj.core.groups.Tuple.tuple("GET", "/v1/kv/data/clients/acme"));
        assertThat(vault.requests.get(1).token()).startsWith("s.");
    }

    @Test
    void logsInWithKubernetesServiceAccountToken() throws Exception {
        // given
        vault.kubernetesRole("deployer", "jwt-abc");
        Path jwt = dir.resolve("token");
        Files.writeString(jwt, "jwt-abc\n");
        VaultClient client = new VaultClient(new VaultSettings(vault.address(), "", new VaultSettings.Kubernetes(
                "deployer", jwt)));
        // when
        Map<String, String> data = client.readKv2("kv/data/clients/acme", WHERE);
        // then
        assertThat(data).containsEntry("db_password", "pw-root");
        assertThat(vault.requests.get(0).path()).isEqualTo("/v1/auth/kubernetes/login");
    }

    @Test
    void badAppRoleSecretFailsWithAHint() {
        // given
        vault.approle("role-1", "secret-1");
        VaultClient client = new VaultClient(new VaultSettings(vault.address(), "", new VaultSettings.AppRole(
                "approle", "role-1", "wrong")));
        // when / then
        assertThatThrownBy(() -> client.readKv2("kv/data/clients/acme", WHERE))
                .isInstanceOf(EngineException.class).hasMessageContaining("AppRole login failed (HTTP 400)")
                .satisfies(e -> assertThat(((EngineException) e).hint()).contains("VAULT_SECRET_ID"));
    }

    @Test
    void badTokenIsA403WithLocation() {
        // given
        VaultClient client = new VaultClient(new VaultSettings(vault.address(), "", new VaultSettings.Token(
                "expired")));
        // when / then
        assertThatThrownBy(() -> client.readKv2("kv/data/clients/acme", WHERE))
                .isInstanceOf(EngineException.class)
                .hasMessageContaining("denied").hasMessageContaining("403")
                .satisfies(e -> assertThat(((EngineException) e).oneLine()).startsWith("clients/acme.yaml:3:15: "));
    }

    @Test
    void missingSecretIsA404() {
        // given
        VaultClient client = new VaultClient(new VaultSettings(vault.address(), "", new VaultSettings.Token(
                "root-token")));
        // when / then
        assertThatThrownBy(() -> client.readKv2("kv/data/clients/nobody", WHERE))
                .isInstanceOf(EngineException.class).hasMessageContaining("no secret at kv/data/clients/nobody");
    }

    @Test
    void settingsComeFromTheEnvironmentAndNeverShowSecrets() {
        // given
        SecretsEnv env = new SecretsEnv(Map.of("VAULT_ADDR", "https://v:8200", "VAULT_ROLE_ID", "r",
                "VAULT_SECRET_ID", "very-secret", "VAULT_NAMESPACE", "ns1"), dir);
        // when
        VaultSettings s = VaultSettings.fromEnv(env);
        // then
        assertThat(s.auth()).isEqualTo(new VaultSettings.AppRole("approle", "r", "very-secret"));
        assertThat(s.namespace()).isEqualTo("ns1");
        assertThat(s.toString()).doesNotContain("very-secret");
        assertThatThrownBy(() -> VaultSettings.fromEnv(new SecretsEnv(Map.of(), dir)))
                .hasMessageContaining("VAULT_ADDR is not set");
    }

    /** A self-signed certificate for 127.0.0.1 made with the JDK's keytool: its PKCS12 key store and its PEM. */
    private Path[] certificate(String name) throws Exception {
        Path ks = dir.resolve(name + ".p12");
        Path pem = dir.resolve(name + ".pem");
        for (List<String> cmd : List.of(
                List.of("keytool", "-genkeypair", "-alias", "vault", "-keyalg", "EC", "-groupname", "secp256r1",
                        "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2",
                        "-keystore", ks.toString(), "-storetype", "PKCS12", "-storepass", "changeit"),
                List.of("keytool", "-exportcert", "-rfc", "-alias", "vault", "-keystore", ks.toString(),
                        "-storepass", "changeit", "-file", pem.toString()))) {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            assertThat(p.waitFor()).as(out).isZero();
        }
        return new Path[] {ks, pem};
    }

    private static SSLContext serverTls(Path ks) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(ks)) {
            store.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, "changeit".toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        return ctx;
    }

    private static String read(VaultStandIn https, Map<String, String> tlsEnv) {
        Map<String, String> env = new HashMap<>(tlsEnv);
        env.put("VAULT_ADDR", https.address());
        env.put("VAULT_TOKEN", "root-token");
        VaultClient client = new VaultClient(VaultSettings.fromEnv(new SecretsEnv(env, Path.of("/nonexistent"))));
        return client.readKv2("kv/data/clients/acme", WHERE).get("db_password");
    }

    @Test
    void givenVaultOverHttpsWithAPrivateCa_whenVaultCacertNamesIt_thenTheSecretIsReadAndWithoutItTheCertificateIsRefused()
            throws Exception {
        // given
        Path[] cert = certificate("vault");
        try (VaultStandIn https = new VaultStandIn(serverTls(cert[0]))
                .secret("", "kv/data/clients/acme", Map.of("db_password", "pw-tls")).token("root-token", "")) {
            // then: trusted through VAULT_CACERT (or a VAULT_CAPATH directory holding it)
            assertThat(read(https, Map.of("VAULT_CACERT", cert[1].toString()))).isEqualTo("pw-tls");
            Path caDir = Files.createDirectories(dir.resolve("cas"));
            Files.copy(cert[1], caDir.resolve("vault.pem"));
            assertThat(read(https, Map.of("VAULT_CAPATH", caDir.toString()))).isEqualTo("pw-tls");

            // and: with the system's CAs only, or another CA, the certificate is refused and no request gets through
            int answered = https.requests.size();
            assertThatThrownBy(() -> read(https, Map.of())).isInstanceOf(EngineException.class)
                    .hasMessageContaining("cannot verify Vault's TLS certificate at " + https.address()
                            + " against the system's CAs")
                    .satisfies(e -> assertThat(((EngineException) e).hint()).contains("VAULT_CACERT"));
            Path[] other = certificate("other");
            assertThatThrownBy(() -> read(https, Map.of("VAULT_CACERT", other[1].toString())))
                    .hasMessageContaining("against VAULT_CACERT " + other[1]);
            assertThat(https.requests).hasSize(answered);

            // and: VAULT_SKIP_VERIFY as the vault CLI reads it
            assertThat(read(https, Map.of("VAULT_SKIP_VERIFY", "true"))).isEqualTo("pw-tls");
            assertThat(read(https, Map.of("VAULT_SKIP_VERIFY", "1"))).isEqualTo("pw-tls");
            assertThatThrownBy(() -> read(https, Map.of("VAULT_SKIP_VERIFY", "0"))).hasMessageContaining("cannot verify");
            assertThatThrownBy(() -> read(https, Map.of("VAULT_SKIP_VERIFY", "yes")))
                    .hasMessageContaining("could not parse VAULT_SKIP_VERIFY 'yes'");
        }
    }

    @Test
    void givenPlainHttp_whenTheAddressIsNotThisMachine_thenItIsRefusedUnlessAllowedExplicitly() {
        Map<String, String> remote = Map.of("VAULT_ADDR", "http://vault.example:8200", "VAULT_TOKEN", "t");
        assertThatThrownBy(() -> VaultSettings.fromEnv(new SecretsEnv(remote, dir))).isInstanceOf(EngineException.class)
                .hasMessageContaining("VAULT_ADDR is plain http (http://vault.example:8200)")
                .satisfies(e -> assertThat(((EngineException) e).hint()).contains("BUDGETCTL_VAULT_ALLOW_HTTP=1"));
        Map<String, String> allowed = new HashMap<>(remote);
        allowed.put("BUDGETCTL_VAULT_ALLOW_HTTP", "1");
        assertThat(VaultSettings.fromEnv(new SecretsEnv(allowed, dir)).address()).isEqualTo("http://vault.example:8200");
        for (String local : List.of("http://127.0.0.1:8200", "http://localhost:8200", "http://[::1]:8200")) {
            assertThat(VaultSettings.fromEnv(new SecretsEnv(Map.of("VAULT_ADDR", local, "VAULT_TOKEN", "t"), dir))
                    .address()).isEqualTo(local);
        }
        assertThatThrownBy(() -> VaultSettings.fromEnv(new SecretsEnv(Map.of("VAULT_ADDR", "ftp://v", "VAULT_TOKEN",
                "t"), dir))).hasMessageContaining("is not an http(s) URL");
        assertThatThrownBy(() -> VaultSettings.fromEnv(new SecretsEnv(Map.of("VAULT_ADDR", "https://v",
                "VAULT_TOKEN", "t", "VAULT_CACERT", dir.resolve("missing.pem").toString()), dir)))
                .hasMessageContaining("VAULT_CACERT " + dir.resolve("missing.pem") + " does not exist");
    }
}
