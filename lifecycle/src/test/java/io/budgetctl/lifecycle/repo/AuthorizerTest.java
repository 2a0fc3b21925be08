package io.budgetctl.lifecycle.repo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.budgetctl.engine.api.EngineException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The access gate on the example repository's access.yaml, with a real audit file, real git and ssh-keygen. */
class AuthorizerTest {
    final DeploymentsRepository repo = DeploymentsRepository.open(ExampleRepositoryTest.EXAMPLE);
    final AccessPolicy policy = AccessPolicy.load(repo);
    @TempDir
    Path dir;

    private Audit audit() {
        return new Audit(dir.resolve("state/budgetctl/audit.log"),
                Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC));
    }

    private List<Map<String, Object>> lines() throws Exception {
        ObjectMapper json = new ObjectMapper();
        return Files.readAllLines(dir.resolve("state/budgetctl/audit.log")).stream()
                .map(l -> {
                    try {
                        @SuppressWarnings("unchecked")
                        Map<String, Object> m = json.readValue(l, Map.class);
                        return m;
                    } catch (Exception e) {
                        throw new AssertionError(l, e);
                    }
                }).toList();
    }

    @Test
    void anAllowedActionIsAuditedInAPrivateFile() throws Exception {
        // given
        Authorizer gate = new Authorizer(policy, audit(), OperatorIdentity.ofGit("olga@itbm-vendor.example"));
        // when
        AccessDecision d = gate.check("status", repo, "acme");
        // then
        assertThat(d.allowed()).isTrue();
        assertThat(lines()).singleElement().satisfies(l -> {
            assertThat(l.keySet()).containsExactly("seq", "prev", "time", "identity", "operator", "action", "client",
                    "environment", "decision", "role", "reason");
            assertThat(l.get("time")).isEqualTo("2026-01-02T03:04:05Z");
            assertThat(l.get("decision")).isEqualTo("allow");
            assertThat(l.get("operator")).isEqualTo("Olga Support");
            assertThat(l.get("client")).isEqualTo("acme");
        });
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(
                dir.resolve("state/budgetctl/audit.log")))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("state/budgetctl"))))
                .isEqualTo("rwx------");
    }

    @Test
    void aDeniedActionThrowsWithExitCodeSixAndIsAuditedToo() throws Exception {
        // given an engineer, who may deploy in demo and pilot only
        Authorizer gate = new Authorizer(policy, audit(), OperatorIdentity.ofGit("ivan@itbm-vendor.example"));
        // when / then
        assertThatThrownBy(() -> gate.check("deploy", repo, "acme"))
                .isInstanceOfSatisfying(Authorizer.Denied.class, e -> {
                    assertThat(e.exitCode()).isEqualTo(6);
                    assertThat(e.oneLine()).contains("Ivan Engineer may not deploy acme (production)")
                            .contains("engineer: not in environment production");
                    assertThat(e.hint()).contains("nothing was done");
                });
        assertThat(lines()).singleElement().satisfies(l -> {
            assertThat(l.get("decision")).isEqualTo("deny");
            assertThat(l.get("action")).isEqualTo("deploy");
        });
    }

    @Test
    void oneDeniedCustomerRefusesTheWholeActionAfterAuditingEveryDecision() throws Exception {
        // given
        Authorizer gate = new Authorizer(policy, audit(), OperatorIdentity.ofGit("ivan@itbm-vendor.example"));
        // when / then: epsilon is demo (allowed), acme is production (denied)
        assertThatThrownBy(() -> gate.checkAll("deploy", repo, List.of("epsilon", "acme")))
                .isInstanceOfSatisfying(Authorizer.Denied.class, e -> assertThat(e.decisions())
                        .extracting(AccessDecision::client).containsExactly("acme"));
        assertThat(lines()).extracting(l -> l.get("client") + ":" + l.get("decision"))
                .containsExactly("epsilon:allow", "acme:deny");
    }

    @Test
    void anUnknownOperatorIsDenied() {
        // given
        Authorizer gate = new Authorizer(policy, audit(), OperatorIdentity.ofGit("mallory@example.org"));
        // when / then
        assertThatThrownBy(() -> gate.check("status", repo, "acme")).isInstanceOf(Authorizer.Denied.class)
                .hasMessageContaining("unknown operator mallory@example.org");
    }

    @Test
    void identityComesFromBudgetctlOperatorFirst() {
        // when
        OperatorIdentity byFingerprint = Authorizer.identify(Map.of("BUDGETCTL_OPERATOR", "SHA256:abc"), dir, null);
        OperatorIdentity byEmail = Authorizer.identify(Map.of("BUDGETCTL_OPERATOR", "anna@itbm-vendor.example"),
                dir, null);
        // then
        assertThat(byFingerprint).isEqualTo(OperatorIdentity.ofFingerprint("SHA256:abc"));
        assertThat(byEmail).isEqualTo(OperatorIdentity.ofGit("anna@itbm-vendor.example"));
    }

    @Test
    void otherwiseFromGitConfigAndTheSshKeyAsSshKeygenPrintsIt() throws Exception {
        // given a home with a git identity and an SSH key
        Path home = dir.resolve("home");
        Files.createDirectories(home.resolve(".ssh"));
        Files.writeString(home.resolve(".gitconfig"), "[user]\n\temail = ivan@itbm-vendor.example\n");
        Path key = home.resolve(".ssh/id_ed25519");
        assertThat(run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key.toString()))).isNotNull();
        String expected = run(List.of("ssh-keygen", "-lf", key + ".pub")).split(" ")[1];
        Map<String, String> env = gitEnv(home);
        // when
        OperatorIdentity who = Authorizer.identify(env, home, null);
        // then
        assertThat(who.gitEmail()).isEqualTo("ivan@itbm-vendor.example");
        assertThat(who.sshFingerprint()).isEqualTo(expected).startsWith("SHA256:");
    }

    @Test
    void noIdentityAtAllIsAClearError() {
        // given an empty home: no git identity, no key
        Path home = dir.resolve("empty");
        // when / then
        assertThatThrownBy(() -> Authorizer.identify(gitEnv(home), home, null))
                .isInstanceOf(EngineException.class).hasMessageContaining("cannot tell who is running budgetctl");
    }

    @Test
    void anUnwritableAuditLogStopsTheAction() throws Exception {
        // given a log path below a regular file
        Files.writeString(dir.resolve("blocker"), "x");
        Authorizer gate = new Authorizer(policy, new Audit(dir.resolve("blocker/audit.log"), Clock.systemUTC()),
                OperatorIdentity.ofGit("anna@itbm-vendor.example"));
        // when / then
        assertThatThrownBy(() -> gate.check("deploy", repo, "acme")).isInstanceOf(EngineException.class)
                .hasMessageContaining("cannot write the audit log");
    }

    @Test
    void theAuditLogLocationFollowsTheEnvironment() {
        // when / then
        assertThat(Audit.fromEnv(Map.of("BUDGETCTL_AUDIT_LOG", dir.resolve("a.log").toString()), dir).file())
                .isEqualTo(dir.resolve("a.log"));
        assertThat(Audit.fromEnv(Map.of(), dir).file()).isEqualTo(dir.resolve(".local/state/budgetctl/audit.log"));
    }

    private static Map<String, String> gitEnv(Path home) {
        Map<String, String> env = new HashMap<>();
        env.put("PATH", System.getenv("PATH"));
        env.put("HOME", home.toString());
        env.put("GIT_CONFIG_NOSYSTEM", "1");
        env.put("XDG_CONFIG_HOME", home.resolve(".config").toString());
        return env;
    }

    private static String run(List<String> argv) throws Exception {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }
}
