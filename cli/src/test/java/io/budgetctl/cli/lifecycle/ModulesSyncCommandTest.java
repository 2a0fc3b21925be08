package io.budgetctl.cli.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.budgetctl.cli.Main;
import io.budgetctl.lifecycle.repo.DeploymentsRepository;
import io.budgetctl.lifecycle.repo.RepositoryInventory;
import io.budgetctl.lifecycle.plan.DesiredState;
import io.budgetctl.portal.PortalFixture;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code budgetctl modules sync} through Main.run against a real licence portal in this JVM, over a copy of the
 * example deployments repository: access.yaml, exit codes, the edit of acme's real client file and what deploy then
 * reads.
 */
class ModulesSyncCommandTest {
    @TempDir
    static Path portalDir;
    static PortalFixture portal;

    @TempDir
    Path tmp;
    Path repo;
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();

    @BeforeAll
    static void startPortal() throws IOException {
        portal = PortalFixture.start(portalDir);
        portal.licence("acme", "LIC-2024-0001", "[\"forecasting\", \"audit\", \"sso\", \"multi-currency\"]",
                "{\"users\": 300, \"cost_centres\": 120}", "2099-01-31");
    }

    @AfterAll
    static void stopPortal() {
        portal.close();
    }

    @BeforeEach
    void repository() throws IOException {
        Path src = LifecycleAccessTest.inventory();
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
        Files.createDirectories(repo.resolve("licences/keys"));
        Files.writeString(repo.resolve("licences/keys/portal.pub"), portal.publicKey() + "\n");
    }

    @AfterEach
    void environmentBack() {
        LifecycleCommand.environment = null;
    }

    private int budgetctl(String operator, String... args) {
        LifecycleCommand.environment = Map.of("BUDGETCTL_OPERATOR", operator,
                "BUDGETCTL_AUDIT_LOG", tmp.resolve("audit.log").toString(), "HOME", tmp.toString(),
                "BUDGETCTL_PORTAL_URL", portal.url(), "BUDGETCTL_PORTAL_TOKEN", portal.apiToken());
        out = new StringWriter();
        err = new StringWriter();
        return Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    @Test
    void checkPrintsTheDifferenceExitsTwoAndSyncThenUpdatesWhatDeployReads() throws IOException {
        // given
        Path acme = repo.resolve("clients/acme.yaml");
        String before = Files.readString(acme);
        String fingerprint = DesiredState.of(DeploymentsRepository.open(repo), "acme", null, "itbm").fingerprint();

        // when
        int check = budgetctl("anna@itbm-vendor.example", "modules", "sync", "--client", "acme", "--check",
                "--repo", repo.toString());

        // then
        assertThat(check).as(err.toString()).isEqualTo(2);
        assertThat(out.toString()).contains("acme: licence LIC-2024-0001, valid until 2099-01-31, verified with key "
                + portal.keyId() + " (licences/keys/portal.pub)", "  modules  + multi-currency\n",
                "  modules  - reporting\n", "  limits   users: 250 -> 300\n",
                "clients/acme.yaml would be updated (comments and layout kept)", "--check: nothing changed");
        assertThat(Files.readString(acme)).isEqualTo(before);
        assertThat(repo.resolve("licences/acme.json")).doesNotExist();

        // when
        int sync = budgetctl("anna@itbm-vendor.example", "modules", "sync", "--client", "acme", "--no-install",
                "--repo", repo.toString());

        // then: the client file changed in those two places only, and deploy will carry the licence
        assertThat(sync).as(err.toString()).isZero();
        assertThat(out.toString()).contains("the server gets the new licence and modules at the next deploy or:"
                + " budgetctl modules install --client acme");
        assertThat(Files.readString(acme)).isEqualTo(before
                .replace("modules: [forecasting, reporting, audit, sso]", "modules: [forecasting, audit, sso, multi-currency]")
                .replace("users: 250", "users: 300"));
        Map<String, Object> vars = RepositoryInventory.load(repo).hostVars("acme");
        assertThat(vars).containsEntry("budgetctl_licence_file", repo.resolve("licences/acme.json").toString())
                .containsEntry("budgetctl_licence_pubkey", repo.resolve("licences/acme.pub").toString());
        assertThat(DesiredState.of(DeploymentsRepository.open(repo), "acme", null, "itbm").fingerprint())
                .isNotEqualTo(fingerprint);
        assertThat(budgetctl("anna@itbm-vendor.example", "modules", "sync", "--client", "acme", "--check", "-o",
                "json", "--repo", repo.toString())).isZero();
        assertThat(out.toString()).contains("\"in_sync\":true");
        assertThat(out.toString() + err).doesNotContain(portal.apiToken());
        assertThat(Files.readString(tmp.resolve("audit.log"))).contains("modules-sync").doesNotContain(portal.apiToken());
    }

    @Test
    void accessYamlDecidesAndBadInputIsRefusedBeforeThePortalIsAsked() throws IOException {
        // when / then: Ivan (engineer) may sync demo and pilot customers, not production's acme
        assertThat(budgetctl("ivan@itbm-vendor.example", "modules", "sync", "--client", "acme", "--repo",
                repo.toString())).isEqualTo(6);
        assertThat(err.toString()).startsWith("ERROR! ").contains("modules-sync");
        assertThat(budgetctl("anna@itbm-vendor.example", "modules", "sync", "--client", "Acme;true", "--repo",
                repo.toString())).isEqualTo(5);
        assertThat(err.toString()).contains("--client");
        assertThat(budgetctl("anna@itbm-vendor.example", "modules", "sync", "--client", "acme", "--timeout", "0",
                "--repo", repo.toString())).isEqualTo(5);
        // a customer the portal has no licence for: one line, exit 1, nothing written
        assertThat(budgetctl("anna@itbm-vendor.example", "modules", "sync", "--client", "beta", "--repo",
                repo.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("the licence portal has no licence for 'beta'").doesNotContain("\tat ");
        assertThat(repo.resolve("licences/beta.json")).doesNotExist();
    }

    @Test
    void publishSendsEveryCustomersVersionAndModulesAndTheFleetShowsDrift() throws IOException {
        // a dry run lists what would be sent and sends nothing
        assertThat(budgetctl("anna@itbm-vendor.example", "modules", "publish", "--dry-run", "--repo",
                repo.toString())).isZero();
        assertThat(out.toString()).contains("  acme                 v1.4.0     audit, forecasting, reporting, sso")
                .contains("--dry-run: nothing sent");
        String fleet = portal.admin("GET", "/api/v1/fleet", null).getValue();
        assertThat(fleet).contains("\"desired_version\":null").doesNotContain("\"desired_version\":\"v");

        assertThat(budgetctl("anna@itbm-vendor.example", "modules", "publish", "-o", "json", "--repo",
                repo.toString())).isZero();
        assertThat(out.toString()).contains("\"sent\":true").contains("{\"customer\":\"acme\",\"version\":\"v1.4.0\"");
        assertThat(out.toString() + err).doesNotContain(portal.apiToken());
        assertThat(portal.admin("GET", "/api/v1/fleet", null).getValue()).contains("\"desired_version\":\"v1.4.0\"");

        assertThat(budgetctl("anna@itbm-vendor.example", "modules", "publish", "--timeout", "0", "--repo",
                repo.toString())).isEqualTo(5);
        assertThat(err.toString()).contains("--timeout 0");
    }

    @Test
    void allGoesThroughEveryCustomerAndReportsEachRefusalWithoutStopping() throws IOException {
        // the portal has a licence for acme only: every other customer is refused by name, acme is updated
        assertThat(budgetctl("anna@itbm-vendor.example", "modules", "sync", "--all", "--no-install", "--repo",
                repo.toString())).isEqualTo(1);
        assertThat(out.toString()).contains("clients/acme.yaml updated")
                .containsPattern("modules sync --all: 7 customers, 0 in sync, 1 updated, 6 refused");
        assertThat(err.toString()).containsPattern("(?m)^beta: ERROR! .*the licence portal has no licence for 'beta'")
                .contains("zeta: ERROR! ").doesNotContain("\tat ");
        assertThat(repo.resolve("licences/acme.json")).exists();
        assertThat(repo.resolve("licences/beta.json")).doesNotExist();

        // usage: one of --client and --all; --from-file only with --client
        assertThat(budgetctl("anna@itbm-vendor.example", "modules", "sync", "--repo", repo.toString())).isEqualTo(5);
        assertThat(err.toString()).contains("give either --client ID or --all");
        assertThat(budgetctl("anna@itbm-vendor.example", "modules", "sync", "--all", "--client", "acme", "--repo",
                repo.toString())).isEqualTo(5);
        assertThat(budgetctl("anna@itbm-vendor.example", "modules", "sync", "--all", "--from-file", "x.json",
                "--repo", repo.toString())).isEqualTo(5);
        assertThat(err.toString()).contains("--from-file is one customer's licence");
    }

    @Test
    void fromFileTakesTheVendorsLicenceFileWithoutAPortal() throws IOException {
        Path file = tmp.resolve("LIC-2024-0001.json");
        Files.writeString(file, portal.admin("GET", "/api/v1/customers/acme/licence", null).getValue());
        LifecycleCommand.environment = Map.of("BUDGETCTL_OPERATOR", "anna@itbm-vendor.example",
                "BUDGETCTL_AUDIT_LOG", tmp.resolve("audit.log").toString(), "HOME", tmp.toString());
        out = new StringWriter();
        err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), "modules", "sync", "--client",
                "acme", "--from-file", file.toString(), "--no-install", "--repo", repo.toString());
        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).contains("clients/acme.yaml updated").contains("licences/acme.json written");
        assertThat(Files.readString(repo.resolve("licences/acme.json"))).isEqualTo(Files.readString(file));
    }
}
