package io.budgetctl.lifecycle.repo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.budgetctl.engine.ssh.agent.SshAgent;
import io.budgetctl.engine.ssh.agent.SshSig;
import io.budgetctl.engine.ssh.agent.TestAgent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * access.yaml's {@code identity.require_key_proof}: a claimed identity (BUDGETCTL_OPERATOR, git e-mail, a .pub file)
 * is not enough; a real OpenSSH ssh-agent must sign a per-run challenge with one of the operator's listed keys.
 * The example repository with Ivan's key replaced by one this test generates (the example's private keys do not
 * exist), and the proof switched on.
 */
class KeyProofTest {
    @TempDir
    Path dir;
    TestAgent agent;
    Path ivanKey;
    Path otherKey;
    DeploymentsRepository repo;

    private static String fingerprint(Path key) throws Exception {
        byte[] d = MessageDigest.getInstance("SHA-256").digest(TestAgent.publicBlob(key));
        return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(d);
    }

    @BeforeEach
    void repositoryAgentAndKeys() throws Exception {
        agent = TestAgent.start(dir);
        ivanKey = TestAgent.keygen(dir, "ed25519", "ivan");
        otherKey = TestAgent.keygen(dir, "ed25519", "other");
        Path copy = dir.resolve("repo");
        Fixtures.copyTree(ExampleRepositoryTest.EXAMPLE, copy);
        Path access = copy.resolve("access.yaml");
        String text = Files.readString(access).replace("SHA256:BSMUtcxhSU3cRUCxgYIQ0mt83xC059KOdyYRG6kFTVQ",
                fingerprint(ivanKey));
        Files.writeString(access, text.replace("require_key_proof: false", "require_key_proof: true"));
        repo = DeploymentsRepository.open(copy);
    }

    @AfterEach
    void stop() throws Exception {
        agent.close();
    }

    private Authorizer gate(SshAgent with) {
        return new Authorizer(AccessPolicy.load(repo), new Audit(dir.resolve("audit.log"), Clock.systemUTC(), with),
                OperatorIdentity.ofGit("ivan@itbm-vendor.example"));
    }

    /** The audit line as it was signed: without its last field, "sig". */
    private static String unsigned(String line) {
        return line.substring(0, line.lastIndexOf(",\"sig\":")) + "}";
    }

    private List<JsonNode> audit() throws Exception {
        ObjectMapper json = new ObjectMapper();
        return Files.readAllLines(dir.resolve("audit.log")).stream().map(l -> {
            try {
                return json.readTree(l);
            } catch (Exception e) {
                throw new AssertionError(l, e);
            }
        }).toList();
    }

    @Test
    void givenTheOperatorsKeyInTheAgent_whenAuthorized_thenAllowedAndTheAuditLineIsSignedWithThatKey()
            throws Exception {
        // given
        agent.add(otherKey);
        agent.add(ivanKey);

        // when
        AccessDecision d = gate(new SshAgent(agent.socket())).check("deploy", repo, "epsilon");

        // then
        assertThat(d.allowed()).isTrue();
        assertThat(d.identity().sshFingerprint()).isEqualTo(fingerprint(ivanKey));
        JsonNode line = audit().get(0);
        assertThat(line.path("decision").asText()).isEqualTo("allow");
        String sig = line.path("sig").asText();
        assertThat(sig).isNotEmpty();
        byte[] signed = unsigned(Files.readAllLines(dir.resolve("audit.log")).get(0))
                .getBytes(StandardCharsets.UTF_8);
        assertThat(SshSig.verify(sig, Audit.SIGNATURE_NAMESPACE, signed).fingerprint()).isEqualTo(fingerprint(ivanKey));
    }

    @Test
    void givenNoAgent_whenAuthorized_thenDeniedWithWhatToDoAndAudited() throws Exception {
        // when / then: the claimed e-mail matches Ivan, who may deploy epsilon, but nothing proves it
        assertThatThrownBy(() -> gate(null).check("deploy", repo, "epsilon"))
                .isInstanceOf(Authorizer.Denied.class)
                .hasMessageContaining("identity not proven: no ssh-agent (SSH_AUTH_SOCK is not set)")
                .hasMessageContaining(fingerprint(ivanKey));
        assertThat(audit()).singleElement().satisfies(l -> {
            assertThat(l.path("decision").asText()).isEqualTo("deny");
            assertThat(l.path("reason").asText()).startsWith("identity not proven: ");
        });
    }

    @Test
    void givenOnlyAnotherKeyInTheAgent_whenAuthorized_thenDenied() throws Exception {
        // given: a key that is not Ivan's (a colleague's, or one made to impersonate him)
        agent.add(otherKey);

        // then
        assertThatThrownBy(() -> gate(new SshAgent(agent.socket())).check("deploy", repo, "epsilon"))
                .isInstanceOf(Authorizer.Denied.class)
                .hasMessageContaining("the ssh-agent holds none of the keys access.yaml lists for Ivan Engineer");
    }

    @Test
    void givenTheFingerprintClaimedWithoutTheKey_whenAuthorized_thenDenied() throws Exception {
        // given: BUDGETCTL_OPERATOR=<Ivan's fingerprint>, copied from access.yaml, and an empty agent
        Authorizer gate = new Authorizer(AccessPolicy.load(repo), new Audit(dir.resolve("audit.log"),
                Clock.systemUTC(), new SshAgent(agent.socket())), OperatorIdentity.ofFingerprint(fingerprint(ivanKey)));

        // then
        assertThatThrownBy(() -> gate.check("deploy", repo, "epsilon")).isInstanceOf(Authorizer.Denied.class)
                .hasMessageContaining("identity not proven: the ssh-agent holds none of the keys");
    }

    @Test
    void givenAnAgentThatDoesNotAnswer_whenAuthorized_thenDeniedNamingTheSocket() throws Exception {
        // given: a socket path where no agent listens
        Path dead = dir.resolve("no-agent.sock");

        // then
        assertThatThrownBy(() -> gate(new SshAgent(dead)).check("deploy", repo, "epsilon"))
                .isInstanceOf(Authorizer.Denied.class)
                .hasMessageContaining("the ssh-agent at " + dead + " does not answer");
    }

    @Test
    void givenAnOperatorWithoutKeysInAccessYaml_whenAuthorized_thenDeniedAskingForAKey() throws Exception {
        // given: Boris (a lead) has no ssh_keys in the example
        Authorizer gate = new Authorizer(AccessPolicy.load(repo), new Audit(dir.resolve("audit.log"),
                Clock.systemUTC(), new SshAgent(agent.socket())), OperatorIdentity.ofGit("boris@itbm-vendor.example"));

        // then
        assertThatThrownBy(() -> gate.check("deploy", repo, "epsilon")).isInstanceOf(Authorizer.Denied.class)
                .hasMessageContaining("access.yaml lists no ssh_keys for Boris Lead");
    }

    @Test
    void givenAnAccessYamlThatSaysNothingAboutIdentity_whenAuthorized_thenProofIsRequired() throws Exception {
        // given: the identity section taken out: a repository written without it
        Path access = repo.root().resolve("access.yaml");
        Files.writeString(access, Files.readString(access).replaceFirst("(?m)^identity:\n  require_key_proof: true\n", ""));
        DeploymentsRepository silent = DeploymentsRepository.open(repo.root());
        assertThat(Files.readString(access)).doesNotContain("identity:");

        // when / then: no agent, so the claimed e-mail alone is refused
        Authorizer gate = new Authorizer(AccessPolicy.load(silent), new Audit(dir.resolve("audit.log"),
                Clock.systemUTC(), null), OperatorIdentity.ofGit("ivan@itbm-vendor.example"));
        assertThatThrownBy(() -> gate.check("deploy", silent, "epsilon")).isInstanceOf(Authorizer.Denied.class)
                .hasMessageContaining("identity not proven: no ssh-agent");
    }

    @Test
    void givenTheProofSwitchedOff_whenAuthorized_thenTheClaimIsTakenAsBefore() throws Exception {
        // given: the example's access.yaml as shipped (require_key_proof: false, in so many words)
        Authorizer gate = new Authorizer(AccessPolicy.load(DeploymentsRepository.open(ExampleRepositoryTest.EXAMPLE)),
                new Audit(dir.resolve("audit.log"), Clock.systemUTC(), null),
                OperatorIdentity.ofGit("ivan@itbm-vendor.example"));

        // then
        assertThat(gate.check("deploy", DeploymentsRepository.open(ExampleRepositoryTest.EXAMPLE), "epsilon")
                .allowed()).isTrue();
    }
}
