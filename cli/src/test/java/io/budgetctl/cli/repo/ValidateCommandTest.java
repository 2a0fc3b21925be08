package io.budgetctl.cli.repo;

import static org.assertj.core.api.Assertions.assertThat;

import io.budgetctl.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValidateCommandTest {
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    int run(String... args) {
        return Main.run(new PrintWriter(out), new PrintWriter(err), args);
    }

    @Test
    void theExampleRepositoryIsValidAndExitsZero() {
        // given / when
        int code = run("validate", "--all", "--repo", "../inventory");

        // then
        assertThat(code).isZero();
        assertThat(out.toString()).startsWith("ok: 7 customer(s)");
    }

    @Test
    void anErrorPrintsFileLineColumnPointerAndHintAndExitsOne(@TempDir Path tmp) throws Exception {
        // given
        copy(Path.of("../inventory"), tmp);
        Path acme = tmp.resolve("clients/acme.yaml");
        Files.writeString(acme, Files.readString(acme).replace("  port: 443", "  port: 99999"));

        // when
        int code = run("validate", "--client", "acme", "--repo", tmp.toString());

        // then
        assertThat(code).isEqualTo(1);
        assertThat(out.toString()).contains("ERROR! clients/acme.yaml:14:13: /target/servers/0/port: 99999 is above"
                + " the maximum 65535").contains("  hint: ").contains("1 error(s)");
    }

    @Test
    void aSopsRecipientAccessYamlDoesNotAccountForIsAnError(@TempDir Path tmp) throws Exception {
        // given: access.yaml no longer lists the Delta team key, which delta's SOPS file is still encrypted for
        copy(Path.of("../inventory"), tmp);
        Path access = tmp.resolve("access.yaml");
        String before = Files.readString(access);
        String after = before.replace("  - name: Delta team key\n    age: [age1a92s545q92ptfvx6ydrmyadl6dznwmve50kp3w2n2mz79jfmaq6qua8s7t]\n"
                + "    grants:\n      - {role: secrets-reader, clients: [delta]}\n", "");
        assertThat(after).isNotEqualTo(before);
        Files.writeString(access, after);

        // when
        int code = run("validate", "--client", "delta", "--repo", tmp.toString());

        // then
        assertThat(code).isEqualTo(1);
        assertThat(out.toString()).contains("ERROR! secrets/delta.sops.yaml:5:20: /sops/age/0/recipient: age recipient"
                + " age1a92s545q92ptfvx6ydrmyadl6dznwmve50kp3w2n2mz79jfmaq6qua8s7t can decrypt the secrets of delta,"
                + " but no operator in access.yaml holds it").contains("  hint: list it under 'age:'")
                .contains("1 error(s)");
    }

    @Test
    void jsonOutputIsOneDocumentForCi(@TempDir Path tmp) throws Exception {
        // given
        copy(Path.of("../inventory"), tmp);
        Files.writeString(tmp.resolve("clients/zeta.yaml"), Files.readString(tmp.resolve("clients/zeta.yaml"))
                .replace("environment: demo", "environment: staging"));

        // when
        int code = run("validate", "--output", "json", "--repo", tmp.toString());

        // then
        assertThat(code).isEqualTo(1);
        assertThat(out.toString().strip()).startsWith("{\"valid\":false,").contains("\"file\":\"clients/zeta.yaml\"")
                .contains("\"pointer\":\"/environment\"").contains("\"line\":5").endsWith("}");
    }

    @Test
    void repositoryDirectoryComesFromTheOptionThenTheEnvironment() {
        // given / when / then
        assertThat(ValidateCommand.repoDir(Path.of("a"), "b")).isEqualTo(Path.of("a"));
        assertThat(ValidateCommand.repoDir(null, "b")).isEqualTo(Path.of("b"));
        assertThat(ValidateCommand.repoDir(null, null)).isEqualTo(Path.of(""));
    }

    static void copy(Path from, Path to) throws Exception {
        try (var s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
    }
}
