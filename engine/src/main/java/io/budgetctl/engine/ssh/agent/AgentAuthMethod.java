package io.budgetctl.engine.ssh.agent;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.KeyType;
import net.schmizz.sshj.common.Message;
import net.schmizz.sshj.common.SSHPacket;
import net.schmizz.sshj.transport.TransportException;
import net.schmizz.sshj.userauth.AuthParams;
import net.schmizz.sshj.userauth.UserAuthException;
import net.schmizz.sshj.userauth.method.AbstractAuthMethod;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * sshj's {@code publickey} authentication (RFC 4252 section 7) with keys held by an ssh-agent, tried one after the
 * other. For each key and signature algorithm: a query without signature; when the server answers
 * SSH_MSG_USERAUTH_PK_OK the same request is sent again, signed by the agent over the session id and the request.
 * A refused query or signed request moves on to the next algorithm, then the next key (sshj calls
 * {@link #shouldRetry()} after each USERAUTH_FAILURE that still allows publickey).
 *
 * <p>RSA keys are offered with the algorithms sshj's configuration allows for RSA, in its order (rsa-sha2-512,
 * rsa-sha2-256, then ssh-rsa), and the agent is asked for the matching signature flag. The server's PK_OK to a
 * query is its statement that it accepts that algorithm for that key, so the first accepted one is used.
 */
public final class AgentAuthMethod extends AbstractAuthMethod {
    private static final Logger LOG = LogManager.getLogger(AgentAuthMethod.class);
    private final SshAgent agent;
    private final List<AgentIdentity> keys;
    private int index;
    private Deque<String> algorithms;

    /** @param keys the agent's keys to offer, in order (non-empty) */
    public AgentAuthMethod(SshAgent agent, List<AgentIdentity> keys) {
        super("publickey");
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("no agent keys to offer");
        }
        this.agent = agent;
        this.keys = List.copyOf(keys);
    }

    @Override
    public void init(AuthParams params) {
        super.init(params);
        index = 0;
        algorithms = null;
    }

    @Override
    public void request() throws UserAuthException, TransportException {
        if (algorithms == null) {
            algorithms = algorithmsFor(keys.get(index));
        }
        LOG.debug("Offering agent key {} as {}", keys.get(index), algorithms.peek());
        params.getTransport().write(buildReq());
    }

    /** The query: the public key without a signature. */
    @Override
    protected SSHPacket buildReq() throws UserAuthException {
        return request(false);
    }

    private SSHPacket request(boolean signed) throws UserAuthException {
        SSHPacket p = super.buildReq();
        p.putBoolean(signed);
        p.putString(algorithms.peek());
        p.putString(keys.get(index).blob());
        return p;
    }

    @Override
    public void handle(Message cmd, SSHPacket buf) throws UserAuthException, TransportException {
        if (cmd != Message.USERAUTH_60) { // SSH_MSG_USERAUTH_PK_OK
            super.handle(cmd, buf);
            return;
        }
        AgentIdentity key = keys.get(index);
        String algorithm = algorithms.peek();
        SSHPacket signed = request(true);
        byte[] data = new Buffer.PlainBuffer()
                .putString(params.getTransport().getSessionID())
                .putBuffer(signed) // from the message byte on, as RFC 4252 section 7 lists the signed fields
                .getCompactData();
        byte[] signature;
        String problem;
        try {
            signature = agent.sign(key, data, flagsFor(algorithm));
            String made = signatureAlgorithm(signature);
            if (made.equals(signatureAlgorithmFor(algorithm))) {
                signed.putString(signature);
                LOG.debug("Agent key {} accepted for {}, sending the signed request", key, algorithm);
                params.getTransport().write(signed);
                return;
            }
            // an agent that ignores the RSA flags signs with ssh-rsa: the server would refuse that signature
            problem = "it signed with " + made + " when asked for " + algorithm;
        } catch (AgentException e) {
            problem = e.getMessage();
        }
        // the server waits for any new request: offer the next algorithm or key instead of giving up on the agent
        LOG.warn("ssh-agent could not sign with {}: {}", key, problem);
        if (advance()) {
            request();
            return;
        }
        throw new UserAuthException("the ssh-agent could not sign: " + problem);
    }

    /** The algorithm name inside a signature blob. */
    private static String signatureAlgorithm(byte[] signature) throws UserAuthException {
        try {
            return new String(new Wire.In(signature).readString(), java.nio.charset.StandardCharsets.US_ASCII);
        } catch (AgentException e) {
            throw new UserAuthException(e.getMessage(), e);
        }
    }

    /** The signature algorithm a public key algorithm signs with (a certificate signs as its plain key). */
    static String signatureAlgorithmFor(String algorithm) {
        String suffix = "-cert-v01@openssh.com";
        return algorithm.endsWith(suffix) ? algorithm.substring(0, algorithm.length() - suffix.length()) : algorithm;
    }

    @Override
    public boolean shouldRetry() {
        return algorithms != null && advance();
    }

    /** Moves to the next algorithm of this key, else to the next key; false when none is left. */
    private boolean advance() {
        algorithms.poll();
        return !algorithms.isEmpty() || nextKey();
    }

    private boolean nextKey() {
        if (index + 1 >= keys.size()) {
            return false;
        }
        index++;
        algorithms = algorithmsFor(keys.get(index));
        return true;
    }

    /** The algorithm names to offer a key as, best first. */
    private Deque<String> algorithmsFor(AgentIdentity key) {
        Deque<String> out = new ArrayDeque<>();
        String type = key.type();
        boolean rsa = type.equals("ssh-rsa");
        boolean rsaCert = type.equals("ssh-rsa-cert-v01@openssh.com");
        if (!rsa && !rsaCert) {
            out.add(type);
            return out;
        }
        for (String a : rsaAlgorithms()) {
            out.add(rsaCert ? a + "-cert-v01@openssh.com" : a);
        }
        return out;
    }

    private List<String> rsaAlgorithms() {
        List<String> names = new ArrayList<>();
        try {
            for (var alg : params.getTransport().getClientKeyAlgorithms(KeyType.RSA)) {
                String n = alg.getKeyAlgorithm();
                if (n.equals("rsa-sha2-512") || n.equals("rsa-sha2-256") || n.equals("ssh-rsa")) {
                    names.add(n);
                }
            }
        } catch (TransportException e) {
            LOG.debug("No RSA algorithms configured, offering rsa-sha2-512 and rsa-sha2-256: {}", e.getMessage());
        }
        if (names.isEmpty()) {
            names.add("rsa-sha2-512");
            names.add("rsa-sha2-256");
        }
        return names;
    }

    static int flagsFor(String algorithm) {
        if (algorithm.startsWith("rsa-sha2-512")) {
            return SshAgent.SSH_AGENT_RSA_SHA2_512;
        }
        if (algorithm.startsWith("rsa-sha2-256")) {
            return SshAgent.SSH_AGENT_RSA_SHA2_256;
        }
        return 0;
    }

    @Override
    public String toString() {
        return "ssh-agent (" + keys.size() + (keys.size() == 1 ? " key)" : " keys)");
    }
}
