package io.budgetctl.cli.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.budgetctl.cli.Main;
import io.budgetctl.engine.api.EngineException;
import io.budgetctl.lifecycle.repo.Authorizer;
import io.budgetctl.lifecycle.repo.DeploymentsRepository;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The lifecycle commands ask access.yaml before anything else (docs/access.md), here with the example repository's
 * access.yaml: Ivan is an engineer (deploy/rollback in demo and pilot) and support, Olga is support only.
 */
class LifecycleAccessTest {
    @TempDir
    Path tmp;

    static Path inventory() {
        return LifecycleRolesIT.repo().resolve("inventory");
    }

    @AfterEach
    void environmentBack() {
        LifecycleCommand.environment = null;
    }

    private Map<String, String> env(String operator) {
        return Map.of("BUDGETCTL_OPERATOR", operator, "BUDGETCTL_AUDIT_LOG", tmp.resolve("audit.log").toString(),
                "HOME", tmp.toString());
    }

    /** The command object picocli builds for {@code args}, without running it. */
    private static LifecycleCommand parsed(String... args) {
        LifecycleCommand cmd = switch (args[0]) {
            case "deploy" -> new DeployCommand();
            case "rollback" -> new RollbackCommand();
            case "status" -> new StatusCommand();
            case "history" -> new HistoryCommand();
            case "audit" -> new AuditCommand();
            case "lock" -> new LockCommand();
            default -> throw new IllegalArgumentException(args[0]);
        };
        new CommandLine(cmd).parseArgs(java.util.Arrays.copyOfRange(args, 1, args.length));
        return cmd;
    }

    private void authorize(String operator, String... args) {
        parsed(args).authorize(DeploymentsRepository.open(inventory()), env(operator), tmp);
    }

    @Test
    void anEngineerDeploysAndRollsBackAPilotCustomer() throws Exception {
        // when
        authorize("ivan@itbm-vendor.example", "deploy", "--client", "delta", "--version", "v1.4.0");
        authorize("ivan@itbm-vendor.example", "rollback", "--client", "delta", "--to", "v1.3.2");
        // then
        List<String> lines = Files.readAllLines(tmp.resolve("audit.log"));
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).contains("\"action\":\"deploy\"", "\"client\":\"delta\"", "\"decision\":\"allow\"",
                "\"role\":\"engineer\"");
        assertThat(lines.get(1)).contains("\"action\":\"rollback\"", "\"decision\":\"allow\"");
    }

    @Test
    void anEngineerMayNotDeployProductionAndItIsAudited() throws Exception {
        // when / then
        assertThatThrownBy(() -> authorize("ivan@itbm-vendor.example", "deploy", "--client", "acme"))
                .isInstanceOf(Authorizer.Denied.class)
                .hasMessageContaining("Ivan Engineer may not deploy acme (production): engineer: not in environment"
                        + " production; support: does not allow deploy");
        assertThat(Files.readString(tmp.resolve("audit.log"))).contains("\"decision\":\"deny\"",
                "\"client\":\"acme\"");
    }

    @Test
    void readingIsStatusAndReleasingALockIsDeploying() {
        // given: Olga is support (validate, status, prepare)
        String olga = "olga@itbm-vendor.example";
        // when / then
        authorize(olga, "status", "--client", "acme");
        authorize(olga, "history", "--client", "acme");
        authorize(olga, "audit", "--client", "acme");
        authorize(olga, "lock", "status", "--client", "acme");
        assertThatThrownBy(() -> authorize(olga, "lock", "release", "--client", "acme"))
                .isInstanceOf(Authorizer.Denied.class).hasMessageContaining("may not deploy acme");
        assertThatThrownBy(() -> authorize(olga, "rollback", "--client", "zeta", "--to", "v1.3.2"))
                .isInstanceOf(Authorizer.Denied.class)
                .hasMessageContaining("Olga Support may not rollback zeta (demo): support: does not allow rollback");
    }

    @Test
    void anUnknownOperatorIsRefused() {
        // when / then
        assertThatThrownBy(() -> authorize("mallory@example.org", "status", "--client", "zeta"))
                .isInstanceOf(Authorizer.Denied.class)
                .hasMessageContaining("unknown operator mallory@example.org: not listed in access.yaml");
    }

    @Test
    void aDeniedDeployExitsSixBeforeTouchingAnyHost() {
        // given: acme's server (203.0.113.10, TEST-NET) would make any connection attempt fail as unreachable (4)
        LifecycleCommand.environment = env("ivan@itbm-vendor.example");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        // when
        long start = System.nanoTime();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), "deploy", "--client", "acme", "--version",
                "v1.4.0", "--repo", inventory().toString());
        // then
        assertThat(code).isEqualTo(6);
        assertThat(err.toString()).startsWith("ERROR! access.yaml: access denied: Ivan Engineer may not deploy acme")
                .contains("hint: nothing was done on any host");
        assertThat(out.toString()).doesNotContain("TASK").doesNotContain("PLAY");
        assertThat((System.nanoTime() - start) / 1_000_000_000).isLessThan(20);
    }

    @Test
    void withoutAnyIdentityTheCommandStopsAndSaysHowToSetOne() {
        // given: no BUDGETCTL_OPERATOR, an empty HOME (no SSH key) and no git identity
        Map<String, String> env = Map.of("BUDGETCTL_AUDIT_LOG", tmp.resolve("audit.log").toString(),
                "HOME", tmp.toString(), "GIT_CONFIG_NOSYSTEM", "1", "PATH", System.getenv("PATH"));
        LifecycleCommand cmd = parsed("status", "--client", "zeta");
        // when / then
        assertThatThrownBy(() -> cmd.authorize(DeploymentsRepository.open(inventory()), env, tmp))
                .isInstanceOf(EngineException.class).hasMessageContaining("cannot tell who is running budgetctl");
    }
}
