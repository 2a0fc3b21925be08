package io.budgetctl.engine.ssh.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.AlgorithmParameters;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent protocol client against a real OpenSSH ssh-agent, and against sockets that misbehave. */
class SshAgentTest {
    @TempDir
    Path dir;

    private TestAgent agent;

    @BeforeEach
    void startAgent() throws Exception {
        agent = TestAgent.start(dir);
    }

    @AfterEach
    void stopAgent() throws Exception {
        agent.close();
    }

    @Test
    void lists_every_added_key_with_the_blob_of_its_pub_file_and_its_comment() throws Exception {
        // given
        Path ed = TestAgent.keygen(dir, "ed25519", "k-ed25519");
        Path rsa = TestAgent.keygen(dir, "rsa", "k-rsa");
        Path ec = TestAgent.keygen(dir, "ecdsa", "k-ecdsa");
        agent.add(ed);
        agent.add(rsa);
        agent.add(ec);

        // when
        List<AgentIdentity> ids = new SshAgent(agent.socket()).identities();

        // then
        assertThat(ids).extracting(AgentIdentity::comment).containsExactly("k-ed25519", "k-rsa", "k-ecdsa");
        assertThat(ids).extracting(AgentIdentity::type)
                .containsExactly("ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256");
        assertThat(ids.get(0).blob()).isEqualTo(TestAgent.publicBlob(ed));
        assertThat(ids.get(1).blob()).isEqualTo(TestAgent.publicBlob(rsa));
        assertThat(ids.get(2).blob()).isEqualTo(TestAgent.publicBlob(ec));
        assertThat(ids.get(0).fingerprint()).isEqualTo(keygenFingerprint(ed));
    }

    @Test
    void an_agent_without_keys_lists_none() throws Exception {
        // when / then
        assertThat(new SshAgent(agent.socket()).identities()).isEmpty();
    }

    @Test
    void signatures_the_agent_makes_verify_with_the_public_key_for_every_key_type() throws Exception {
        // given
        Path ed = TestAgent.keygen(dir, "ed25519", "k-ed25519");
        Path rsa = TestAgent.keygen(dir, "rsa", "k-rsa");
        Path ec = TestAgent.keygen(dir, "ecdsa", "k-ecdsa");
        for (Path k : List.of(ed, rsa, ec)) {
            agent.add(k);
        }
        SshAgent client = new SshAgent(agent.socket());
        List<AgentIdentity> ids = client.identities();
        byte[] data = new byte[100];
        new SecureRandom().nextBytes(data);

        // when
        byte[] edSig = client.sign(ids.get(0), data, 0);
        byte[] rsa256 = client.sign(ids.get(1), data, SshAgent.SSH_AGENT_RSA_SHA2_256);
        byte[] rsa512 = client.sign(ids.get(1), data, SshAgent.SSH_AGENT_RSA_SHA2_512);
        byte[] ecSig = client.sign(ids.get(2), data, 0);

        // then: each verifies with the key from the .pub file, under the algorithm the flags asked for
        assertThat(verify(ed, edSig, data, "ssh-ed25519", "Ed25519")).isTrue();
        assertThat(verify(rsa, rsa256, data, "rsa-sha2-256", "SHA256withRSA")).isTrue();
        assertThat(verify(rsa, rsa512, data, "rsa-sha2-512", "SHA512withRSA")).isTrue();
        assertThat(verify(ec, ecSig, data, "ecdsa-sha2-nistp256", "SHA256withECDSA")).isTrue();
        byte[] other = data.clone();
        other[0] ^= 1;
        assertThat(verify(ed, edSig, other, "ssh-ed25519", "Ed25519")).as("other data").isFalse();
        assertThat(verify(rsa, rsa256, other, "rsa-sha2-256", "SHA256withRSA")).as("other data").isFalse();
        assertThat(verify(ec, ecSig, other, "ecdsa-sha2-nistp256", "SHA256withECDSA")).as("other data").isFalse();
    }

    @Test
    void a_sign_request_for_a_key_the_agent_does_not_hold_is_refused_naming_the_key() throws Exception {
        // given
        Path held = TestAgent.keygen(dir, "ed25519", "held");
        Path notHeld = TestAgent.keygen(dir, "ed25519", "not-held");
        agent.add(held);
        AgentIdentity stranger = new AgentIdentity(TestAgent.publicBlob(notHeld), "not-held");

        // when / then
        assertThatThrownBy(() -> new SshAgent(agent.socket()).sign(stranger, new byte[] {1, 2, 3}, 0))
                .isInstanceOf(AgentException.class)
                .hasMessageContaining("refused to sign with ssh-ed25519 " + stranger.fingerprint());
    }

    @Test
    void a_socket_nobody_listens_on_fails_naming_the_socket() {
        // given
        Path nothing = dir.resolve("nothing.sock");

        // when / then
        assertThatThrownBy(() -> new SshAgent(nothing).identities())
                .isInstanceOf(AgentException.class)
                .hasMessageStartingWith("cannot connect to the ssh-agent at " + nothing + ": ");
    }

    @Test
    void an_agent_that_never_answers_times_out() throws Exception {
        // given: a socket that accepts and stays silent
        Path sock = dir.resolve("silent.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(sock));
            CompletableFuture<SocketChannel> accepted = CompletableFuture.supplyAsync(() -> {
                try {
                    return server.accept();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            long start = System.nanoTime();

            // when / then
            assertThatThrownBy(() -> new SshAgent(sock, Duration.ofMillis(300)).identities())
                    .isInstanceOf(AgentException.class)
                    .hasMessage("the ssh-agent at " + sock + " did not answer within 300 ms");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
            accepted.get(5, TimeUnit.SECONDS).close();
        }
    }

    @Test
    void a_reply_longer_than_the_limit_is_refused_before_it_is_read() throws Exception {
        // when
        Throwable t = replyWith(ByteBuffer.allocate(4).putInt(0x7fffffff).array());

        // then
        assertThat(t).isInstanceOf(AgentException.class)
                .hasMessageEndingWith("sent a reply of 2147483647 bytes (allowed: 1 to 262144)");
    }

    @Test
    void a_key_list_whose_fields_overrun_the_message_is_malformed() throws Exception {
        // given: IDENTITIES_ANSWER claiming one key whose blob is longer than the message
        byte[] body = new Wire.Out().putByte(SshAgent.SSH_AGENT_IDENTITIES_ANSWER).putUInt32(1).putUInt32(1000)
                .putByte(7).bytes();
        byte[] framed = ByteBuffer.allocate(4 + body.length).putInt(body.length).put(body).array();

        // when
        Throwable t = replyWith(framed);

        // then
        assertThat(t).isInstanceOf(AgentException.class).hasMessageStartingWith("malformed reply from the ssh-agent");
    }

    @Test
    void a_failure_answer_to_the_key_list_is_reported() throws Exception {
        // when
        Throwable t = replyWith(new byte[] {0, 0, 0, 1, SshAgent.SSH_AGENT_FAILURE});

        // then
        assertThat(t).isInstanceOf(AgentException.class).hasMessageEndingWith("refused to list its keys");
    }

    /** Runs identities() against a socket that answers any request with {@code reply}; returns what it threw. */
    private Throwable replyWith(byte[] reply) throws Exception {
        Path sock = dir.resolve("fake.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(sock));
            CompletableFuture<Void> served = CompletableFuture.runAsync(() -> {
                try (SocketChannel c = server.accept()) {
                    c.read(ByteBuffer.allocate(5));
                    c.write(ByteBuffer.wrap(reply));
                    c.read(ByteBuffer.allocate(1)); // until the client hangs up
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Throwable t = null;
            try {
                new SshAgent(sock, Duration.ofSeconds(5)).identities();
            } catch (AgentException e) {
                t = e;
            }
            served.get(10, TimeUnit.SECONDS);
            return t;
        }
    }

    // ----------------------------------------------------------------------------------------------- helpers

    private static String keygenFingerprint(Path key) throws Exception {
        Process p = new ProcessBuilder("ssh-keygen", "-l", "-E", "sha256", "-f", key + ".pub").start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out.split(" ")[1];
    }

    /**
     * Verifies an agent signature blob (string algorithm, string signature) over {@code data} with JCA, using the
     * public key of {@code key}.pub as ssh-keygen wrote it.
     */
    private static boolean verify(Path key, byte[] sigBlob, byte[] data, String expectedAlg, String jca)
            throws Exception {
        Wire.In sig = new Wire.In(sigBlob);
        assertThat(new String(sig.readString(), StandardCharsets.US_ASCII)).isEqualTo(expectedAlg);
        byte[] raw = sig.readString();
        PublicKey pub = jcaKey(TestAgent.publicBlob(key));
        if (jca.endsWith("ECDSA")) {
            Wire.In rs = new Wire.In(raw);
            raw = der(new BigInteger(rs.readString()), new BigInteger(rs.readString()));
        }
        Signature v = Signature.getInstance(jca);
        v.initVerify(pub);
        v.update(data);
        return v.verify(raw);
    }

    private static PublicKey jcaKey(byte[] blob) throws Exception {
        Wire.In in = new Wire.In(blob);
        String type = new String(in.readString(), StandardCharsets.US_ASCII);
        switch (type) {
            case "ssh-ed25519" -> {
                byte[] prefix = HexFormat.of().parseHex("302a300506032b6570032100");
                byte[] k = in.readString();
                byte[] x509 = Arrays.copyOf(prefix, prefix.length + k.length);
                System.arraycopy(k, 0, x509, prefix.length, k.length);
                return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(x509));
            }
            case "ssh-rsa" -> {
                BigInteger e = new BigInteger(in.readString());
                BigInteger n = new BigInteger(in.readString());
                return KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(n, e));
            }
            case "ecdsa-sha2-nistp256" -> {
                in.readString(); // curve name
                byte[] q = in.readString(); // 0x04 || x || y
                ECPoint point = new ECPoint(new BigInteger(1, Arrays.copyOfRange(q, 1, 33)),
                        new BigInteger(1, Arrays.copyOfRange(q, 33, 65)));
                AlgorithmParameters params = AlgorithmParameters.getInstance("EC");
                params.init(new ECGenParameterSpec("secp256r1"));
                return KeyFactory.getInstance("EC").generatePublic(
                        new ECPublicKeySpec(point, params.getParameterSpec(ECParameterSpec.class)));
            }
            default -> throw new IllegalArgumentException(type);
        }
    }

    /** ASN.1 DER SEQUENCE { INTEGER r, INTEGER s } (short form lengths suffice for P-256). */
    private static byte[] der(BigInteger r, BigInteger s) {
        byte[] rb = r.toByteArray();
        byte[] sb = s.toByteArray();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x30);
        out.write(4 + rb.length + sb.length);
        out.write(0x02);
        out.write(rb.length);
        out.write(rb, 0, rb.length);
        out.write(0x02);
        out.write(sb.length);
        out.write(sb, 0, sb.length);
        return out.toByteArray();
    }
}
