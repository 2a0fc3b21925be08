package io.budgetctl.lifecycle.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.budgetctl.engine.api.EngineException;
import io.budgetctl.engine.api.Secret;
import io.budgetctl.engine.api.SourceLocation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReleaseSecretsTest {
    private static final SourceLocation FILE = SourceLocation.of("repo/clients/acme.yaml");

    @Test
    void externalDatabaseAndCacheAndEveryIntegrationGiveOneVariableEach() {
        Map<String, Object> client = Map.of(
                "database", Map.of("mode", "external", "password", "sops:secrets/a.sops.yaml#db",
                        "tls", Map.of("mode", "verify-full", "ca", "sops:secrets/a.sops.yaml#ca")),
                "cache", Map.of("mode", "external", "password", "vault:kv/data/a#redis"),
                "heartbeat", Map.of("url", "https://portal", "token", "sops:secrets/a.sops.yaml#hb"),
                "integrations", Map.of(
                        "smtp", Map.of("host", "smtp", "password", "sops:secrets/a.sops.yaml#smtp"),
                        "sso", Map.of("protocol", "oidc", "client_secret", "sops:secrets/a.sops.yaml#oidc",
                                "ca", "sops:secrets/a.sops.yaml#oidc_ca"),
                        "onec", Map.of("base_url", "http://1c", "credentials", "sops:secrets/a.sops.yaml#onec")));
        List<String> asked = new ArrayList<>();
        Map<String, Object> vars = ReleaseSecrets.resolveAll(client, FILE, (ref, where) -> {
            asked.add(ref);
            return Secret.of("value of " + ref);
        });
        assertThat(vars).containsOnlyKeys("itbm_secret_db_password", "itbm_secret_db_ca",
                "itbm_secret_redis_password", "itbm_secret_portal_token", "itbm_secret_smtp_password",
                "itbm_secret_oidc_client_secret", "itbm_secret_oidc_ca", "itbm_secret_onec_credentials");
        assertThat(((Secret) vars.get("itbm_secret_redis_password")).reveal()).isEqualTo("value of vault:kv/data/a#redis");
        assertThat(asked).hasSize(8);
    }

    @Test
    void aBundledDatabaseTakesNoPasswordFromTheRepository() {
        Map<String, Object> client = Map.of("database", Map.of("mode", "bundled", "password", "sops:x#y"),
                "cache", Map.of("mode", "bundled"));
        assertThat(ReleaseSecrets.references(client, FILE)).isEmpty();
    }

    @Test
    void aReferenceThatCannotBeReadNamesTheFileTheSettingAndTheReason() {
        Map<String, Object> client = Map.of("integrations",
                Map.of("smtp", Map.of("host", "smtp", "password", "sops:secrets/a.sops.yaml#smtp")));
        assertThatThrownBy(() -> ReleaseSecrets.resolveAll(client, FILE, (ref, where) -> {
            throw new EngineException(where, "cannot resolve " + ref + ": no key to decrypt", "set SOPS_AGE_KEY_FILE");
        })).isInstanceOf(EngineException.class)
                .satisfies(e -> {
                    EngineException ee = (EngineException) e;
                    assertThat(ee.oneLine()).isEqualTo("repo/clients/acme.yaml: integrations.smtp.password: cannot"
                            + " resolve sops:secrets/a.sops.yaml#smtp: no key to decrypt");
                    assertThat(ee.hint()).isEqualTo("set SOPS_AGE_KEY_FILE");
                });
    }

    @Test
    void anEmptyReferenceIsRefusedBeforeAnythingIsResolved() {
        Map<String, Object> client = Map.of("heartbeat", Map.of("token", " "));
        assertThatThrownBy(() -> ReleaseSecrets.references(client, FILE))
                .isInstanceOf(EngineException.class).hasMessage("heartbeat.token is empty");
    }

    @Test
    void aRegistryInTheClientFileSetsTheImageSourceAndItsPasswordIsASecretNotAFile() {
        Map<String, Object> client = Map.of("id", "acme", "registry",
                Map.of("host", "reg.example:5000", "password", "sops:secrets/a.sops.yaml#pull"));
        assertThat(ReleaseSecrets.registryVars(client, FILE)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "itbm_image_source", "registry", "itbm_registry", "reg.example:5000",
                "itbm_registry_username", "pull-acme"));
        assertThat(ReleaseSecrets.resolveAll(client, FILE, (ref, where) -> Secret.of("pw")))
                .containsOnlyKeys("itbm_registry_password");
        assertThat(ReleaseSecrets.registryVars(Map.of("id", "acme"), FILE)).isEmpty();
    }

    @Test
    void aRegistryWithoutAPasswordIsRefused() {
        Map<String, Object> client = Map.of("id", "acme", "registry", Map.of("host", "reg.example:5000"));
        assertThatThrownBy(() -> ReleaseSecrets.registryVars(client, FILE))
                .isInstanceOf(EngineException.class).hasMessage("registry.host is set but registry.password is not");
    }
}
