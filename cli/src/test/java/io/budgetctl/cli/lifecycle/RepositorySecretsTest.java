package io.budgetctl.cli.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.budgetctl.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Per-customer settings that come from the deployments repository alone, through the real command line: a copy of
 * the example repository whose helm customer north-star (a local connection) gets a registry with its pull password
 * and an SMTP password from the SOPS files (decrypted with the example's DEMO-ONLY age key), deployed with a small
 * deploy.yml of our own (BUDGETCTL_DEV_PLAYBOOKS) that shows what the playbook receives.
 */
class RepositorySecretsTest {
    @TempDir
    Path tmp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private Path repo;

    @BeforeEach
    void environment() throws IOException {
        repo = tmp.resolve("repo");
        copy(LifecycleAccessTest.inventory(), repo);
        Files.createDirectories(tmp.resolve("home/playbooks"));
        Files.writeString(tmp.resolve("home/playbooks/deploy.yml"), """
                - name: deploy (test double)
                  hosts: all
                  gather_facts: false
                  tasks:
                    - name: where the images come from
                      debug:
                        msg: "source={{ itbm_image_source }} registry={{ itbm_registry }} user={{ itbm_registry_username }}"
                    - name: the pull password and the SMTP password (masked)
                      debug:
                        msg: "pull={{ itbm_registry_password }} smtp={{ itbm_secret_smtp_password }} n={{ itbm_registry_password | length }}"
                """);
        LifecycleCommand.environment = Map.of("BUDGETCTL_OPERATOR", "ivan@itbm-vendor.example",
                "BUDGETCTL_AUDIT_LOG", tmp.resolve("audit.log").toString(), "HOME", tmp.toString(),
                "BUDGETCTL_DEV_PLAYBOOKS", tmp.resolve("home/playbooks").toString(), "NO_COLOR", "1",
                "SOPS_AGE_KEY_FILE", repo.resolve(".demo-age-key.txt").toString());
    }

    @AfterEach
    void environmentBack() {
        LifecycleCommand.environment = null;
    }

    private void northStar(String registryPassword) throws IOException {
        Path file = repo.resolve("clients/north-star.yaml");
        String text = Files.readString(file).replace("integrations:\n  smtp:\n", "integrations:\n  smtp:\n"
                + "    password: sops:secrets/acme.sops.yaml#smtp_password\n");
        Files.writeString(file, text + "registry:\n  host: registry.itbm-vendor.example:5000\n  password: "
                + registryPassword + "\n");
    }

    private int deploy() {
        return Main.run(new PrintWriter(out), new PrintWriter(err), "deploy", "--client", "north-star", "--version",
                "v1.4.0", "--repo", repo.toString());
    }

    @Test
    void theRegistryAndItsPullPasswordComeFromTheClientFileAndThePasswordsStayMasked() throws IOException {
        // given
        northStar("sops:secrets/acme.sops.yaml#registry_password");
        // when
        int code = deploy();
        // then
        assertThat(code).as(out + "\n" + err).isZero();
        String text = out.toString();
        assertThat(text).contains("source=registry registry=registry.itbm-vendor.example:5000 user=pull-north-star");
        assertThat(text).contains("pull=******** smtp=******** n=");
        assertThat(text).doesNotContain("demo-only-pull-acme");
        assertThat(text).doesNotContainPattern("n=0\\b");
    }

    @Test
    void aReferenceThatCannotBeReadStopsTheDeployBeforeAnyTaskNamingFileSettingAndReference() throws IOException {
        // given: a key that is not in the SOPS file
        northStar("sops:secrets/acme.sops.yaml#no_such_key");
        // when
        int code = deploy();
        // then
        assertThat(code).isNotZero();
        assertThat(out.toString()).doesNotContain("TASK [");
        // (the repository check before the run already reads every reference, with the line and column)
        assertThat(err.toString()).containsPattern("clients/north-star\\.yaml:\\d+:\\d+: /registry/password: ")
                .contains("has no key 'no_such_key'").doesNotContain("Exception");
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
