package io.budgetctl.lifecycle.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.budgetctl.engine.api.EngineException;
import io.budgetctl.engine.api.Secret;
import io.budgetctl.engine.api.SourceLocation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** References to SOPS files (age key from a real age-keygen) and to Vault ({@link VaultStandIn}, not real Vault). */
class SecretResolverTest {
    private static final SourceLocation WHERE = new SourceLocation("clients/acme.yaml", 7, 17);
    @TempDir
    Path repo;
    Sops sops;
    VaultStandIn vault;
    AtomicInteger vaultClients = new AtomicInteger();
    SecretResolver resolver;

    @BeforeEach
    void setUp() throws Exception {
        Path key = repo.resolve("keys.txt");
        assertThat(TestKeys.run(Map.of(), null, "age-keygen", "-o", key.toString()).exit()).isZero();
        String recipient = TestKeys.run(Map.of(), null, "age-keygen", "-y", key.toString()).outText().strip();
        Files.writeString(repo.resolve(".sops.yaml"), "creation_rules:\n  - age: " + recipient + "\n");
        Files.createDirectories(repo.resolve("secrets"));
        Files.writeString(repo.resolve("secrets/acme.sops.yaml"),
                "db_password: pw1\ndb:\n    admin:\n        password: pw2\nlist:\n    - first\nport: 5432\n");
        sops = new Sops(TestKeys.env(repo, Map.of("SOPS_AGE_KEY_FILE", key.toString())));
        sops.encryptFile(repo.resolve("secrets/acme.sops.yaml"));
        vault = new VaultStandIn().token("t", "").secret("", "kv/data/clients/acme", Map.of("db_password", "vpw"));
        resolver = new SecretResolver(repo, sops, () -> {
            vaultClients.incrementAndGet();
            return new VaultClient(new VaultSettings(vault.address(), "", new VaultSettings.Token("t")));
        });
    }

    @AfterEach
    void stop() {
        vault.close();
    }

    @Test
    void resolvesSopsReferencesWithNestedKeysAsMaskedSecrets() {
        // when
        Secret top = resolver.resolve("sops:secrets/acme.sops.yaml#db_password", WHERE);
        Secret nested = resolver.resolve("sops:secrets/acme.sops.yaml#db.admin.password", WHERE);
        Secret element = resolver.resolve("sops:secrets/acme.sops.yaml#list.0", WHERE);
        Secret number = resolver.resolve("sops:secrets/acme.sops.yaml#port", WHERE);
        // then
        assertThat(top.reveal()).isEqualTo("pw1");
        assertThat(nested.reveal()).isEqualTo("pw2");
        assertThat(element.reveal()).isEqualTo("first");
        assertThat(number.reveal()).isEqualTo("5432");
        assertThat(top.toString()).isEqualTo("********");
        assertThat("password=" + nested).isEqualTo("password=********");
    }

    @Test
    void decryptsEachFileOnceAndReadsEachVaultSecretOnce() throws Exception {
        // given
        resolver.resolve("sops:secrets/acme.sops.yaml#db_password", WHERE);
        resolver.resolve("vault:kv/data/clients/acme#db_password", WHERE);
        Files.writeString(repo.resolve("secrets/acme.sops.yaml"), "garbage: [");
        int reads = vault.requests.size();
        // when
        Secret again = resolver.resolve("sops:secrets/acme.sops.yaml#db.admin.password", WHERE);
        Secret fromVault = resolver.resolve("vault:kv/data/clients/acme#db_password", WHERE);
        // then
        assertThat(again.reveal()).isEqualTo("pw2");
        assertThat(fromVault.reveal()).isEqualTo("vpw");
        assertThat(vault.requests).hasSize(reads);
        assertThat(vaultClients).hasValue(1);
    }

    @Test
    void failsAtTheReferenceWithAHint() {
        assertThatThrownBy(() -> resolver.resolve("sops:secrets/acme.sops.yaml#nope", WHERE))
                .isInstanceOf(EngineException.class)
                .satisfies(e -> {
                    EngineException ee = (EngineException) e;
                    assertThat(ee.oneLine()).isEqualTo("clients/acme.yaml:7:17: secret file secrets/acme.sops.yaml "
                            + "has no key 'nope'");
                    assertThat(ee.hint()).contains("budgetctl secrets view");
                });
        assertThatThrownBy(() -> resolver.resolve("sops:secrets/missing.yaml#a", WHERE))
                .hasMessageContaining("no such file");
        assertThatThrownBy(() -> resolver.resolve("sops:secrets/acme.sops.yaml", WHERE))
                .hasMessageContaining("needs a path and a key");
        assertThatThrownBy(() -> resolver.resolve("sops:../outside.yaml#a", WHERE))
                .hasMessageContaining("outside the repository");
        assertThatThrownBy(() -> resolver.resolve("sops:secrets/acme.sops.yaml#db", WHERE))
                .hasMessageContaining("is a mapping, not a single value");
        assertThatThrownBy(() -> resolver.resolve("vault:kv/data/clients/acme#other", WHERE))
                .hasMessageContaining("has no key 'other'").hasMessageNotContaining("vpw");
        assertThat(SecretResolver.isReference("plain")).isFalse();
        assertThat(SecretResolver.isReference("vault:a#b")).isTrue();
    }

    @Test
    void saysWhichIdentityIsMissingWhenTheFileCannotBeDecrypted() {
        // given
        SecretResolver noKey = new SecretResolver(repo, new Sops(TestKeys.env(repo, Map.of())), () -> null);
        // when / then
        assertThatThrownBy(() -> noKey.resolve("sops:secrets/acme.sops.yaml#db_password", WHERE))
                .isInstanceOf(EngineException.class)
                .hasMessageStartingWith("cannot resolve sops:secrets/acme.sops.yaml#db_password")
                .satisfies(e -> assertThat(((EngineException) e).hint())
                        .isEqualTo("no age identity found: set SOPS_AGE_KEY_FILE to your age key file "
                                + "(age-keygen -o keys.txt)"));
    }
}
