package io.budgetctl.engine.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.budgetctl.engine.api.EngineException;
import io.budgetctl.engine.api.Secret;
import io.budgetctl.engine.api.SourceLocation;
import io.budgetctl.engine.connection.UnreachableException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import net.schmizz.sshj.DefaultConfig;
import net.schmizz.sshj.userauth.keyprovider.KeyProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The deployments repository's ssh.key: parsed from memory, checked before a run, never repeated in a message. */
class InMemoryKeyTest {
    private static final String SOURCE = "ssh.key of customer acme (sops:secrets/acme.sops.yaml#ssh_key)";

    @TempDir
    Path dir;

    private final KeyLoader loader = new KeyLoader(new DefaultConfig(), Map.of());

    private static String pub(KeyProvider kp) throws Exception {
        return KnownHosts.fingerprint(kp.getPublic());
    }

    @Test
    void a_key_text_of_each_type_is_parsed_without_a_file() throws Exception {
        for (String type : List.of("ed25519", "ecdsa", "rsa")) {
            // given the text of a key file, the file itself gone
            Path file = SshKeys.generate(dir, "id_" + type, type, "");
            String fingerprint = SshKeys.fingerprint(file);
            String text = SshKeys.text(file);
            Files.delete(file);

            // when
            KeyProvider kp = loader.load(Secret.of(text), SOURCE, "acme");

            // then
            assertThat(pub(kp)).isEqualTo(fingerprint);
        }
    }

    @Test
    void a_key_without_its_final_newline_or_with_crlf_line_ends_is_read_too() throws Exception {
        // given (YAML block scalars and copy-paste change line ends)
        Path file = SshKeys.generate(dir, "k", "ed25519", "");
        String text = SshKeys.text(file);

        // when / then
        assertThat(pub(loader.load(Secret.of(text.strip()), SOURCE, "acme"))).isEqualTo(SshKeys.fingerprint(file));
        assertThat(pub(new KeyLoader(new DefaultConfig(), Map.of()).load(Secret.of(text.replace("\n", "\r\n")),
                SOURCE, "acme"))).isEqualTo(SshKeys.fingerprint(file));
    }

    @Test
    void the_same_key_is_parsed_once_per_run_and_resolved_once() throws Exception {
        // given one lazy secret, as every server of a customer shares it
        String text = SshKeys.text(SshKeys.generate(dir, "k", "ed25519", ""));
        AtomicInteger resolved = new AtomicInteger();
        Secret key = Secret.lazy(() -> {
            resolved.incrementAndGet();
            return text;
        });

        // when
        KeyProvider first = loader.load(key, SOURCE, "acme-app1");
        KeyProvider second = loader.load(key, SOURCE, "acme-app2");

        // then
        assertThat(second).isSameAs(first);
        assertThat(resolved).hasValue(1);
    }

    @Test
    void text_that_is_no_private_key_is_refused_naming_the_source_without_repeating_the_text() throws Exception {
        // given
        String publicKey = SshKeys.text(SshKeys.generate(dir, "k", "ed25519", "").resolveSibling("k.pub"));
        String garbled = SshKeys.text(SshKeys.generate(dir, "g", "ed25519", ""))
                .replace("b3BlbnNzaC1rZXktdjE", "b3BlbnNzaC1rZXktdjX");
        String cut = SshKeys.text(SshKeys.generate(dir, "c", "ed25519", "")).lines().limit(3)
                .reduce("", (a, b) -> a + b + "\n");

        for (String text : List.of("", "hunter2-not-a-key-at-all", publicKey, garbled, cut)) {
            // when
            KeyLoader.Unusable e = catchThrowableOfType(() -> loader.load(Secret.of(text), SOURCE, "acme"),
                    KeyLoader.Unusable.class);

            // then
            assertThat(e).as(text).isNotNull();
            assertThat(e.kind()).isEqualTo(UnreachableException.Kind.AUTH);
            assertThat(e.reason()).startsWith("cannot use the private key from " + SOURCE + " for acme: ")
                    .doesNotContain("\n");
            assertThat(e.hint()).contains("BEGIN and END");
            for (String line : text.lines().map(String::strip).filter(l -> l.length() >= 8).toList()) {
                assertThat(e.getMessage()).doesNotContain(line);
            }
        }
    }

    @Test
    void an_encrypted_key_names_the_passphrase_variable_and_opens_with_it() throws Exception {
        // given
        Path file = SshKeys.generate(dir, "enc", "ed25519", "s3cret-pass");
        String text = SshKeys.text(file);

        // when
        KeyLoader.Unusable e = catchThrowableOfType(() -> loader.load(Secret.of(text), SOURCE, "acme"),
                KeyLoader.Unusable.class);
        KeyProvider kp = new KeyLoader(new DefaultConfig(), Map.of(KeyLoader.PASSPHRASE_ENV, "s3cret-pass"))
                .load(Secret.of(text), SOURCE, "acme");

        // then
        assertThat(e.hint()).contains(KeyLoader.PASSPHRASE_ENV);
        assertThat(pub(kp)).isEqualTo(SshKeys.fingerprint(file));
    }

    @Test
    void a_parser_message_that_quotes_the_key_is_replaced() {
        // given
        String key = "-----BEGIN OPENSSH PRIVATE KEY-----\nAAAAbm9uZQAAAARub25lAAAAAAAAAAEAAAAz\n"
                + "-----END OPENSSH PRIVATE KEY-----\n";

        // when / then
        assertThat(KeyLoader.withoutKeyText("Invalid line AAAAbm9uZQAAAARub25lAAAAAAAAAAEAAAAz", key))
                .doesNotContain("AAAAbm9u").startsWith("it is not a private key");
        assertThat(KeyLoader.withoutKeyText("bad token near AAAAbm9uZQAAAARub25l...", key))
                .doesNotContain("AAAAbm9u");
        assertThat(KeyLoader.withoutKeyText("Unsupported key type: ssh-dss", key))
                .isEqualTo("Unsupported key type: ssh-dss");
    }

    @Test
    void the_pre_run_check_resolves_and_parses_the_key_and_leaves_no_file() throws Exception {
        // given a key only in memory and a home without .ssh
        String text = SshKeys.text(SshKeys.generate(dir, "k", "ed25519", ""));
        Files.delete(dir.resolve("k"));
        Files.delete(dir.resolve("k.pub"));
        Path home = Files.createDirectory(dir.resolve("home"));
        AtomicInteger resolved = new AtomicInteger();
        Map<String, Object> vars = Map.of("budgetctl_ssh_key", Secret.lazy(() -> {
                    resolved.incrementAndGet();
                    return text;
                }), "budgetctl_ssh_key_ref", "sops:secrets/acme.sops.yaml#ssh_key", "client_id", "acme");

        // when
        try (SshConnectionFactory f = new SshConnectionFactory(1, home, "ops", Map.of())) {
            f.check("acme", vars);
            f.check("acme", vars);
        }

        // then
        assertThat(resolved).hasValue(1);
        try (Stream<Path> files = Files.walk(dir)) {
            assertThat(files.filter(Files::isRegularFile)).isEmpty();
        }
    }

    @Test
    void the_pre_run_check_names_the_client_file_key_and_reference_when_the_secret_cannot_be_read() {
        // given a reference whose secret file has no such key (the resolver's error, at the client file's line)
        SourceLocation where = new SourceLocation("/repo/clients/acme.yaml", 17, 8);
        Map<String, Object> vars = Map.of("budgetctl_ssh_key", Secret.lazy(() -> {
            throw new EngineException(where, "secret file secrets/acme.sops.yaml has no key 'ssh_key'",
                    "run 'budgetctl secrets view secrets/acme.sops.yaml' to see its keys");
        }), "budgetctl_ssh_key_ref", "sops:secrets/acme.sops.yaml#ssh_key", "client_id", "acme");

        // when / then
        try (SshConnectionFactory f = new SshConnectionFactory(1, dir, "ops", Map.of())) {
            assertThatThrownBy(() -> f.check("acme", vars)).isInstanceOfSatisfying(EngineException.class, e -> {
                assertThat(e.oneLine()).isEqualTo("/repo/clients/acme.yaml:17:8: cannot read the SSH key ssh.key"
                        + " of customer acme (sops:secrets/acme.sops.yaml#ssh_key) for acme: secret file"
                        + " secrets/acme.sops.yaml has no key 'ssh_key'");
                assertThat(e.hint()).contains("budgetctl secrets view");
            });
        }
    }

    @Test
    void the_pre_run_check_refuses_a_malformed_key_in_one_line_with_a_hint() {
        // given
        Map<String, Object> vars = Map.of("budgetctl_ssh_key", Secret.of("-----BEGIN OPENSSH PRIVATE KEY-----\n"
                + "bm90IGEga2V5IGF0IGFsbCwganVzdCB0ZXh0\n-----END OPENSSH PRIVATE KEY-----\n"),
                "budgetctl_ssh_key_ref", "sops:secrets/acme.sops.yaml#ssh_key", "client_id", "acme");

        // when / then
        try (SshConnectionFactory f = new SshConnectionFactory(1, dir, "ops", Map.of())) {
            assertThatThrownBy(() -> f.check("acme", vars)).isInstanceOfSatisfying(EngineException.class, e -> {
                assertThat(e.oneLine()).startsWith("inventory host acme: cannot use the private key from ssh.key of"
                        + " customer acme (sops:secrets/acme.sops.yaml#ssh_key) for acme: ").doesNotContain("\n")
                        .doesNotContain("bm90IGEga2V5IGF0IGFsbCwganVzdCB0ZXh0");
                assertThat(e.hint()).contains("ssh-keygen -y -f");
            });
        }
    }

    @Test
    void a_reference_without_its_resolved_key_is_refused_instead_of_falling_back_to_other_keys() {
        // given an inventory built without a secret resolver
        Map<String, Object> vars = Map.of("budgetctl_ssh_key_ref", "vault:kv/data/clients/beta#ssh_key",
                "client_id", "beta");

        // when / then
        try (SshConnectionFactory f = new SshConnectionFactory(1, dir, "ops", Map.of())) {
            assertThatThrownBy(() -> f.check("beta-app1", vars)).isInstanceOf(EngineException.class)
                    .hasMessageContaining("ssh.key of customer beta (vault:kv/data/clients/beta#ssh_key) was not"
                            + " resolved");
            assertThatThrownBy(() -> f.open("beta-app1", vars)).isInstanceOf(EngineException.class);
        }
    }

    @Test
    void the_pre_run_check_leaves_template_values_to_the_connection() {
        // given an Ansible inventory whose pin is still a template
        Map<String, Object> vars = Map.of("budgetctl_ssh_host_key", "{{ pins[inventory_hostname] }}");

        // when / then: no error now; resolving the settings at connect time would judge the rendered value
        try (SshConnectionFactory f = new SshConnectionFactory(1, dir, "ops", Map.of())) {
            f.check("web1", vars);
            assertThatThrownBy(() -> f.check("web1", Map.of("budgetctl_ssh_host_key", "ssh-ed25519 AAAA")))
                    .isInstanceOf(EngineException.class).hasMessageContaining("not a usable public host key");
        }
    }
}
