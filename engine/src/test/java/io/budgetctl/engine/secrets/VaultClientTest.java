package io.budgetctl.engine.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.budgetctl.engine.api.EngineException;
import io.budgetctl.engine.api.SourceLocation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
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
        SecretsEnv env = new SecretsEnv(Map.of("VAULT_ADDR", "http://v:8200", "VAULT_ROLE_ID", "r",
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
}
