package io.budgetctl.lifecycle.repo;

import static org.assertj.core.api.Assertions.assertThat;

import io.budgetctl.lifecycle.secrets.SecretsEnv;
import io.budgetctl.lifecycle.secrets.Sops;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SOPS recipients against access.yaml, on a copy of the example repository whose files are re-encrypted for real
 * age keys (made by {@code age-keygen}) with budgetctl's SOPS implementation: a recipient access.yaml does not allow
 * secrets-view is found, and so is an allowed holder whose key is missing.
 */
class SopsRecipientsTest {
    private static final String ACME = "secrets/acme.sops.yaml";

    @TempDir
    Path tmp;
    Path repo;

    @BeforeEach
    void copyTheExample() throws IOException {
        Path src = ExampleRepositoryTest.EXAMPLE;
        repo = tmp.resolve("inventory");
        try (Stream<Path> files = Files.walk(src)) {
            for (Path p : files.toList()) {
                Path t = repo.resolve(src.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
    }

    private List<RepoError> check() {
        DeploymentsRepository r = DeploymentsRepository.open(repo);
        return new SopsRecipients(r).check(AccessPolicy.load(r), r.clientIds());
    }

    /** A new age key file; returns its recipient. */
    private String ageKeygen(Path file) throws Exception {
        Process p = new ProcessBuilder("age-keygen", "-o", file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        String pub = out.replaceAll("(?s).*Public key: (age1[0-9a-z]+).*", "$1");
        assertThat(pub).startsWith("age1");
        return pub;
    }

    private Sops sops(Path identities) {
        return new Sops(new SecretsEnv(Map.of("SOPS_AGE_KEY_FILE", identities.toString()), tmp));
    }

    /** Adds {@code recipient} to acme's creation rule and rotates the file with the demo key, as an admin would. */
    private void addRecipientToAcme(String recipient) throws IOException {
        Path cfg = repo.resolve(".sops.yaml");
        Files.writeString(cfg, Files.readString(cfg).replace("age: [*acme, *lead1,",
                "age: [" + recipient + ", *acme, *lead1,"));
        sops(repo.resolve(".demo-age-key.txt")).rotate(repo.resolve(ACME), false);
    }

    private void edit(String file, String from, String to) throws IOException {
        Path p = repo.resolve(file);
        String s = Files.readString(p);
        assertThat(s).contains(from);
        Files.writeString(p, s.replace(from, to));
    }

    @Test
    void theExampleRepositoryAgrees() {
        assertThat(check()).extracting(RepoError::oneLine).isEmpty();
        DeploymentsRepository r = DeploymentsRepository.open(repo);
        assertThat(new Validator(r).withSecretsAccess().validateAll().errors()).isEmpty();
    }

    @Test
    void aSupportEngineersKeyOnACustomersFileIsAnErrorNamingFileRecipientAndHint() throws Exception {
        // given: Olga (support: no secrets-view anywhere) holds an age key, and it was added to acme's file
        String olga = ageKeygen(tmp.resolve("olga.txt"));
        edit("access.yaml", "    git: olga@itbm-vendor.example\n",
                "    git: olga@itbm-vendor.example\n    age: [" + olga + "]\n");
        addRecipientToAcme(olga);
        // her key really opens it
        assertThat(sops(tmp.resolve("olga.txt")).view(repo.resolve(ACME), false)).contains("ssh_key");
        // when
        List<RepoError> errors = check();
        // then
        assertThat(errors).hasSize(1);
        RepoError e = errors.get(0);
        assertThat(e.location().file()).isEqualTo(ACME);
        assertThat(e.location().line()).isPositive();
        assertThat(e.pointer()).isEqualTo("/sops/age/0/recipient");
        assertThat(e.message()).isEqualTo("age recipient " + olga + " (Olga Support) can decrypt the secrets of"
                + " acme, but access.yaml does not allow Olga Support secrets-view on acme: Olga Support may not"
                + " secrets-view acme (production): support: does not allow secrets-view");
        assertThat(e.hint()).contains("take the key out of .sops.yaml's rule for " + ACME,
                "budgetctl secrets rotate " + ACME);
        // and validate reports it among the repository's errors
        DeploymentsRepository r = DeploymentsRepository.open(repo);
        assertThat(new Validator(r).withSecretsAccess().validateAll().errors()).containsExactly(e);
        assertThat(new Validator(r).validateAll().errors()).isEmpty();
    }

    @Test
    void aRecipientNoOperatorHoldsIsAnError() throws Exception {
        // given
        String stranger = ageKeygen(tmp.resolve("stranger.txt"));
        addRecipientToAcme(stranger);
        // when
        List<RepoError> errors = check();
        // then
        assertThat(errors).singleElement().satisfies(e -> {
            assertThat(e.message()).isEqualTo("age recipient " + stranger + " can decrypt the secrets of acme, but no"
                    + " operator in access.yaml holds it");
            assertThat(e.hint()).contains("list it under 'age:'");
        });
    }

    @Test
    void anOperatorAllowedToReadWhoseKeyIsNotARecipientIsAnError() throws Exception {
        // given: Olga may view acme's secrets (a secrets-reader grant for acme) but the file was not re-encrypted
        String olga = ageKeygen(tmp.resolve("olga.txt"));
        edit("access.yaml", "    git: olga@itbm-vendor.example\n    ssh_keys: [\"SHA256:R494NOwU0HvP8QGfprxSpaCXUKJDYGaruC0d4H+ei70\"]\n    grants:\n",
                "    git: olga@itbm-vendor.example\n    ssh_keys: [\"SHA256:R494NOwU0HvP8QGfprxSpaCXUKJDYGaruC0d4H+ei70\"]\n    age: [" + olga + "]\n    grants:\n"
                        + "      - {role: secrets-reader, clients: [acme]}\n");
        // when
        List<RepoError> errors = check();
        // then
        assertThat(errors).singleElement().satisfies(e -> {
            assertThat(e.location().file()).isEqualTo(ACME);
            assertThat(e.message()).isEqualTo("access.yaml allows Olga Support secrets-view on acme (role"
                    + " secrets-reader), but none of their age keys (" + olga + ") is a recipient of " + ACME);
            assertThat(e.hint()).contains("add their key to .sops.yaml's rule for " + ACME);
        });
        // and once the key is added and the file rotated, it agrees
        addRecipientToAcme(olga);
        assertThat(check()).isEmpty();
    }

    @Test
    void aGrantForOtherCustomersDoesNotCoverThisOne() throws Exception {
        // given: the ACME team key's grant is moved to delta
        edit("access.yaml", "{role: secrets-reader, clients: [acme]}", "{role: secrets-reader, clients: [delta]}");
        // when
        List<RepoError> errors = check();
        // then: it can open acme's file without the grant, and delta's grant has no key on delta's file
        assertThat(errors).extracting(RepoError::message).anySatisfy(m -> assertThat(m).contains(
                "(ACME team key (held by the engineers on the ACME account)) can decrypt the secrets of acme",
                "secrets-reader: granted for delta only"));
        assertThat(errors).extracting(RepoError::message).anySatisfy(m -> assertThat(m).contains(
                "allows ACME team key (held by the engineers on the ACME account) secrets-view on delta"));
    }
}
