package io.budgetctl.cli.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.budgetctl.lifecycle.repo.DeploymentsRepository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrepareCommandTest {
    private static Map<String, Object> row(String status) {
        return Map.of("check", "x", "status", status);
    }

    @Test
    void anyFailedCheckOnAnyHostIsThreeWarningsOnlyAreFourAllPassIsZero() {
        // given
        Map<String, Object> allPass = Map.of("a", List.of(row("pass"), row("pass")));
        Map<String, Object> warned = Map.of("a", List.of(row("pass"), row("warn")), "b", List.of(row("pass")));
        Map<String, Object> failed = Map.of("a", List.of(row("warn")), "b", List.of(row("pass"), row("fail")));
        // when / then
        assertThat(PrepareCommand.exit(allPass)).isZero();
        assertThat(PrepareCommand.exit(warned)).isEqualTo(4);
        assertThat(PrepareCommand.exit(failed)).isEqualTo(3);
    }

    @Test
    void skippedChecksDoNotChangeTheExitCode() {
        // given
        Map<String, Object> passAndSkip = Map.of("a", List.of(row("pass"), row("skip")));
        Map<String, Object> warnAndSkip = Map.of("a", List.of(row("skip"), row("warn")));
        // when / then
        assertThat(PrepareCommand.exit(passAndSkip)).isZero();
        assertThat(PrepareCommand.exit(warnAndSkip)).isEqualTo(4);
    }

    @Test
    void aPasswordReferenceThatCannotBeReadBecomesAnErrorForTheRowAndBundledOnesGiveNothing(@TempDir Path repo)
            throws Exception {
        // given: a client whose external database password points to a SOPS file that is not there, and whose
        // external Redis has no password; another client with everything bundled
        Files.createDirectories(repo.resolve("clients"));
        Files.createDirectories(repo.resolve("environments"));
        Files.writeString(repo.resolve("environments/production.yaml"), "name: production\n");
        Files.writeString(repo.resolve("clients/ext.yaml"), String.join("\n", "id: ext", "environment: production",
                "database:", "  mode: external", "  host: pg.ext.example", "  name: itbm", "  user: itbm",
                "  password: sops:secrets/ext.sops.yaml#db_password", "cache:", "  mode: external",
                "  host: redis.ext.example", ""));
        Files.writeString(repo.resolve("clients/bun.yaml"), String.join("\n", "id: bun", "environment: production",
                "database:", "  mode: bundled", ""));
        PrepareCommand ext = new PrepareCommand();
        ext.client = "ext";
        PrepareCommand bun = new PrepareCommand();
        bun.client = "bun";
        // when
        Map<String, Object> external = ext.secretVars(DeploymentsRepository.open(repo));
        Map<String, Object> bundled = bun.secretVars(DeploymentsRepository.open(repo));
        // then
        assertThat(external).containsOnlyKeys("preflight_db_password_error");
        assertThat((String) external.get("preflight_db_password_error"))
                .startsWith("cannot read sops:secrets/ext.sops.yaml#db_password: ");
        assertThat(bundled).isEmpty();
    }

    @Test
    void aCertificateWithoutItsKeyIsABadCommandLine() {
        // given
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        // when
        int code = io.budgetctl.cli.Main.run(new java.io.PrintWriter(out), new java.io.PrintWriter(err),
                new String[] {"prepare", "--client", "acme", "--cert", "cert.pem"});
        // then
        assertThat(code).isEqualTo(5);
        assertThat(err.toString()).contains("--cert and --key go together");
    }
}
