package io.budgetctl.lifecycle.repo;

import io.budgetctl.engine.ssh.agent.AgentException;
import io.budgetctl.engine.ssh.agent.AgentIdentity;
import io.budgetctl.engine.ssh.agent.SshAgent;
import io.budgetctl.engine.ssh.agent.SshSig;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

/**
 * Proof that the operator holds one of the SSH keys access.yaml lists for them: the ssh-agent signs a challenge made
 * for this run (a random nonce, the operator, the action, the customers, the time) in the sshsig format, namespace
 * {@value #NAMESPACE}, and the signature is verified against the key's public half before anything else happens. The
 * private key never leaves the agent; a fingerprint copied into {@code BUDGETCTL_OPERATOR}, a git e-mail or a
 * {@code .pub} file are not enough. Required when access.yaml says {@code identity: {require_key_proof: true}}.
 */
public final class KeyProof {
    /** The sshsig namespace of identity proofs ({@code ssh-keygen -Y verify -n budgetctl-identity}). */
    public static final String NAMESPACE = "budgetctl-identity";
    private static final SecureRandom RANDOM = new SecureRandom();

    private KeyProof() {
    }

    /**
     * The outcome: the fingerprint of the key that signed, or why there is no proof (one line, with what to do).
     *
     * @param fingerprint the proven key, null when not proven
     * @param why         the reason, null when proven
     */
    public record Result(String fingerprint, String why) {
        public boolean proven() {
            return fingerprint != null;
        }

        static Result no(String why) {
            return new Result(null, why);
        }
    }

    /** The challenge text signed for one run. */
    static String challenge(OperatorIdentity who, String action, List<String> clients, Instant now) {
        byte[] nonce = new byte[32];
        RANDOM.nextBytes(nonce);
        return "budgetctl identity proof\nnonce=" + HexFormat.of().formatHex(nonce) + "\noperator=" + who
                + "\naction=" + action + "\nclients=" + String.join(",", clients) + "\ntime=" + now + "\n";
    }

    /**
     * Has {@code agent} sign {@code challenge} with one of {@code keys} (the operator's listed fingerprints) and
     * verifies the signature.
     */
    static Result prove(SshAgent agent, AccessPolicy.Keys keys, String challenge) {
        if (keys == null) {
            return Result.no("the operator is not listed in access.yaml");
        }
        if (keys.fingerprints().isEmpty()) {
            return Result.no("access.yaml lists no ssh_keys for " + keys.name() + ", and identity.require_key_proof"
                    + " needs one: add the fingerprint of their key (ssh-keygen -lf KEY.pub)");
        }
        String listed = String.join(", ", keys.fingerprints());
        if (agent == null) {
            return Result.no("no ssh-agent (SSH_AUTH_SOCK is not set): start one and ssh-add the key access.yaml lists"
                    + " for " + keys.name() + " (" + listed + ")");
        }
        List<AgentIdentity> held;
        try {
            held = agent.identities();
        } catch (AgentException e) {
            return Result.no("the ssh-agent at " + agent.socket() + " does not answer (" + e.getMessage() + ")");
        }
        AgentIdentity key = held.stream().filter(k -> keys.fingerprints().contains(k.fingerprint())).findFirst()
                .orElse(null);
        if (key == null) {
            return Result.no("the ssh-agent holds none of the keys access.yaml lists for " + keys.name() + " ("
                    + listed + "): ssh-add that key (ssh-add -l shows what the agent holds)");
        }
        byte[] message = challenge.getBytes(StandardCharsets.UTF_8);
        try {
            String signature = SshSig.sign(agent, key, NAMESPACE, message);
            SshSig.Signer signer = SshSig.verify(signature, NAMESPACE, message);
            if (!signer.fingerprint().equals(key.fingerprint())) {
                return Result.no("the ssh-agent answered with a signature of another key (" + signer.fingerprint()
                        + ") than the one asked for (" + key.fingerprint() + ")");
            }
            return new Result(key.fingerprint(), null);
        } catch (AgentException e) {
            return Result.no("the ssh-agent did not sign the identity challenge with " + key.fingerprint() + " ("
                    + e.getMessage() + ")");
        }
    }
}
