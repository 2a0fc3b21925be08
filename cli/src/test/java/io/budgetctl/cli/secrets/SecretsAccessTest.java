package io.budgetctl.cli.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import io.budgetctl.lifecycle.repo.DeploymentsRepository;
import io.budgetctl.lifecycle.secrets.SecretsEnv;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code secrets view|edit|rotate} on a file of the deployments repository ask access.yaml per customer (the
 * example repository: Olga is support, Ivan engineer and support, Anna lead); the demo age key can decrypt all.
 */
class SecretsAccessTest {
    @TempDir
    Path tmp;

    private Path repo;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void copyOfTheExampleRepository() throws Exception {
        Path example = Path.of("").toAbsolutePath();
        while (!Files.isDirectory(example.resolve("inventory/clients"))) {
            example = example.getParent();
        }
        Path from = example.resolve("inventory");
        repo = tmp.resolve("repo");
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path to = repo.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(p, to);
                }
            }
        }
    }

    private int run(String operator, String... args) {
        SecretsEnv env = new SecretsEnv(Map.of("BUDGETCTL_OPERATOR", operator,
                "BUDGETCTL_AUDIT_LOG", tmp.resolve("audit.log").toString(),
                "SOPS_AGE_KEY_FILE", repo.resolve(".demo-age-key.txt").toString(),
                "XDG_CONFIG_HOME", tmp.resolve("xdg").toString()), tmp);
        CommandLine cl = new CommandLine(new SecretsCommand(env));
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        return cl.execute(args);
    }

    @Test
    void supportMayNotViewACustomersSecretsAndTheRefusalIsAudited() throws Exception {
        // when
        int code = run("olga@itbm-vendor.example", "view", repo.resolve("secrets/acme.sops.yaml").toString());
        // then
        assertThat(code).isEqualTo(6);
        assertThat(err.toString()).startsWith("ERROR! access.yaml: access denied: Olga Support may not secrets-view"
                + " acme (production): support: does not allow secrets-view");
        assertThat(out.toString()).isEmpty();
        assertThat(Files.readString(tmp.resolve("audit.log"))).contains("\"action\":\"secrets-view\"",
                "\"client\":\"acme\"", "\"decision\":\"deny\"", "\"file\":\"secrets/acme.sops.yaml\"");
    }

    @Test
    void aLeadViewsItAndEveryCustomerOfASharedFileIsChecked() throws Exception {
        // when
        int lead = run("anna@itbm-vendor.example", "view", repo.resolve("secrets/demo.sops.yaml").toString());
        int engineer = run("ivan@itbm-vendor.example", "rotate", repo.resolve("secrets/demo.sops.yaml").toString());
        // then
        assertThat(lead).as(err.toString()).isZero();
        assertThat(out.toString()).contains("ssh_key:");
        assertThat(engineer).isEqualTo(6);
        assertThat(err.toString()).contains("access denied for 2 customers: Ivan Engineer may not secrets-rotate"
                + " epsilon");
        List<String> lines = Files.readAllLines(tmp.resolve("audit.log"));
        assertThat(lines).hasSize(4);
        assertThat(lines.subList(0, 2)).allSatisfy(l -> assertThat(l).contains("\"decision\":\"allow\""));
    }

    @Test
    void customersAreFoundByReferenceThenByFileName() {
        // given
        DeploymentsRepository r = DeploymentsRepository.open(repo);
        // when / then
        assertThat(SecretsAccess.customersOf(r, Path.of("secrets/demo.sops.yaml")))
                .containsExactlyInAnyOrder("epsilon", "zeta");
        assertThat(SecretsAccess.customersOf(r, Path.of("secrets/acme.sops.yaml"))).containsExactly("acme");
        assertThat(SecretsAccess.customersOf(r, Path.of("secrets/beta.sops.yaml"))).containsExactly("beta");
        assertThat(SecretsAccess.customersOf(r, Path.of("secrets/shared.sops.yaml")))
                .containsExactlyElementsOf(r.clientIds());
        assertThat(SecretsAccess.repositoryOf(tmp.resolve("elsewhere/x.sops.yaml"))).isNull();
    }
}
