package io.budgetctl.lifecycle.repo;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Audit lines signed through a real OpenSSH ssh-agent (keys from ssh-keygen) in the sshsig format: budgetctl checks
 * them, and so does {@code ssh-keygen -Y verify} with an allowed_signers file; an edited signed line, or one signed
 * by a key other than the identity it names, is found even when the hash chain was recomputed.
 */
class SignedAuditTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    TestAgent agent;
    Path log;

    @BeforeEach
    void start() throws Exception {
        agent = TestAgent.start(dir);
        log = dir.resolve("audit.log");
    }

    @AfterEach
    void stop() throws Exception {
        agent.close();
    }

    private static String fingerprint(Path key) throws Exception {
        byte[] d = MessageDigest.getInstance("SHA-256").digest(TestAgent.publicBlob(key));
        return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(d);
    }

    private void record(String fingerprint, String client) {
        new Audit(log, Clock.systemUTC(), new SshAgent(agent.socket())).record(new AccessDecision(
                new OperatorIdentity(fingerprint, "ivan@example"), "Ivan", "deploy", client, "pilot", true,
                "engineer", "ok"), Map.of());
    }

    @Test
    void linesOfAnOperatorWhoseKeyIsInTheAgentAreSignedAndSshKeygenAgrees() throws Exception {
        // given
        Path key = TestAgent.keygen(dir, "ed25519", "ivan");
        agent.add(key);
        String fp = fingerprint(key);
        // when
        record(fp, "delta");
        record(fp, "zeta");
        // then budgetctl's check
        AuditChain.Result r = AuditChain.verify(log);
        assertThat(r.problem()).isNull();
        assertThat(r.signed()).isEqualTo(2);
        assertThat(r.signers()).containsExactly(fp);
        // and OpenSSH's: the message is the line without its "sig" field
        String line = Files.readAllLines(log).get(1);
        JsonNode n = JSON.readTree(line);
        String sig = n.path("sig").asText();
        String message = line.replace(",\"sig\":\"" + sig + "\"}", "}");
        Path sigFile = dir.resolve("line2.sig");
        Files.writeString(sigFile, SshSig.armor(sig));
        Path signers = dir.resolve("allowed_signers");
        String pub = Files.readString(key.resolveSibling("ivan.pub")).strip();
        Files.writeString(signers, "ivan@example namespaces=\"budgetctl-audit\" " + pub + "\n");
        assertThat(sshKeygenVerify(signers, sigFile, message)).isZero();
        assertThat(sshKeygenVerify(signers, sigFile, message.replace("zeta", "acme"))).isNotZero();
    }

    @Test
    void anRsaKeySignsWithRsaSha512() throws Exception {
        Path key = TestAgent.keygen(dir, "rsa", "ivan");
        agent.add(key);
        record(fingerprint(key), "delta");
        AuditChain.Result r = AuditChain.verify(log);
        assertThat(r.problem()).isNull();
        assertThat(r.signed()).isEqualTo(1);
    }

    @Test
    void anIdentityWhoseKeyIsNotInTheAgentWritesUnsignedLines() throws Exception {
        Path key = TestAgent.keygen(dir, "ed25519", "ivan");
        record(fingerprint(key), "delta");
        assertThat(Files.readString(log)).doesNotContain("\"sig\"");
        assertThat(AuditChain.verify(log).signed()).isZero();
        assertThat(AuditChain.verify(log).ok()).isTrue();
    }

    @Test
    void anEditedSignedLineIsFoundEvenWithTheChainRecomputed() throws Exception {
        // given
        Path key = TestAgent.keygen(dir, "ed25519", "ivan");
        agent.add(key);
        String fp = fingerprint(key);
        record(fp, "delta");
        record(fp, "zeta");
        record(fp, "epsilon");
        // when: line 2's customer is changed and every later prev and the head marker are recomputed
        List<String> lines = new ArrayList<>(Files.readAllLines(log));
        lines.set(1, lines.get(1).replace("\"zeta\"", "\"acme\""));
        rechain(lines);
        // then
        AuditChain.Result r = AuditChain.verify(log);
        assertThat(r.problem().line()).isEqualTo(2);
        assertThat(r.problem().message()).contains("line 2's signature fails").contains("does not verify");
    }

    @Test
    void aLineSignedByAnotherKeyThanTheIdentityItNamesIsFound() throws Exception {
        // given: Mallory's key signs a line that claims Ivan's fingerprint
        Path ivan = TestAgent.keygen(dir, "ed25519", "ivan");
        Path mallory = TestAgent.keygen(dir, "ed25519", "mallory");
        agent.add(mallory);
        String malloryFp = fingerprint(mallory);
        record(malloryFp, "delta");
        List<String> lines = new ArrayList<>(Files.readAllLines(log));
        lines.set(0, lines.get(0).replace(malloryFp, fingerprint(ivan)));
        // the signature now fails too (the text changed): a forger re-signs with their key
        JsonNode n = JSON.readTree(lines.get(0));
        String unsigned = lines.get(0).replace(",\"sig\":\"" + n.path("sig").asText() + "\"}", "}");
        String resigned = SshSig.sign(new SshAgent(agent.socket()), new SshAgent(agent.socket()).identities().get(0),
                Audit.SIGNATURE_NAMESPACE, unsigned.getBytes(StandardCharsets.UTF_8));
        lines.set(0, unsigned.substring(0, unsigned.length() - 1) + ",\"sig\":\"" + resigned + "\"}");
        rechain(lines);
        // when
        AuditChain.Result r = AuditChain.verify(log);
        // then
        assertThat(r.problem().line()).isEqualTo(1);
        assertThat(r.problem().message()).isEqualTo("line 1 is signed by " + malloryFp + ", but names the identity"
                + " 'ivan@example (" + fingerprint(ivan) + ")'");
    }

    /** What an attacker with write access does: recompute every prev and the head marker. */
    private void rechain(List<String> lines) throws Exception {
        String prev = Audit.GENESIS;
        List<String> out = new ArrayList<>();
        for (String l : lines) {
            JsonNode n = JSON.readTree(l);
            String fixed = l.replace("\"prev\":\"" + n.path("prev").asText() + "\"", "\"prev\":\"" + prev + "\"");
            out.add(fixed);
            prev = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(fixed.getBytes(StandardCharsets.UTF_8)));
        }
        Files.writeString(log, String.join("\n", out) + "\n");
        Files.writeString(Audit.headOf(log), "{\"seq\":" + out.size() + ",\"hash\":\"" + prev + "\"}\n");
    }

    private int sshKeygenVerify(Path signers, Path sig, String message) throws Exception {
        Process p = new ProcessBuilder("ssh-keygen", "-Y", "verify", "-f", signers.toString(), "-I", "ivan@example",
                "-n", Audit.SIGNATURE_NAMESPACE, "-s", sig.toString()).redirectErrorStream(true).start();
        p.getOutputStream().write(message.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return p.exitValue();
    }
}
