package io.budgetctl.lifecycle.repo;

import io.budgetctl.engine.api.EngineException;
import io.budgetctl.engine.api.SourceLocation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The gate every command that touches customer hosts passes first: who is running budgetctl, may they run this action
 * on these customers (access.yaml via {@link AccessPolicy}), and a line in the {@link Audit} log for each decision,
 * allowed or denied. Called before any connection is opened; a denial throws {@link Denied} (exit code
 * {@link #EXIT_DENIED}) naming who, what, where and why.
 *
 * <p>Identity, first that applies: {@code BUDGETCTL_OPERATOR} (a {@code SHA256:...} key fingerprint or an e-mail);
 * otherwise {@code git config user.email} and the fingerprint of the SSH public key in use (either may match
 * access.yaml). Without more, this is a guard rail against mistakes, not a lock: the keys are (see docs/access.md).
 * With {@code identity.require_key_proof} in access.yaml the claim must be proven: the ssh-agent signs a challenge
 * with one of the keys access.yaml lists for the operator ({@link KeyProof}), else every decision is a denial.
 */
public final class Authorizer {
    /** Exit code of a command refused by access.yaml (distinct from run failures 1, 2, 4, 5 and 99). */
    public static final int EXIT_DENIED = 6;
    private static final List<String> DEFAULT_KEYS = List.of("id_ed25519", "id_ecdsa", "id_rsa");

    private final AccessPolicy policy;
    private final Audit audit;
    private final OperatorIdentity who;

    public Authorizer(AccessPolicy policy, Audit audit, OperatorIdentity who) {
        this.policy = policy;
        this.audit = audit;
        this.who = who;
    }

    /** A refused action: an {@link EngineException} whose message is the decision's reason. */
    public static final class Denied extends EngineException {
        private final transient List<AccessDecision> decisions;

        Denied(List<AccessDecision> denied) {
            super(SourceLocation.of("access.yaml"), denied.size() == 1 ? "access denied: " + denied.get(0).reason()
                    : "access denied for " + denied.size() + " customers: " + String.join("; ",
                    denied.stream().map(AccessDecision::reason).toList()),
                    "nothing was done on any host; ask a lead for a grant in access.yaml (see docs/access.md)");
            this.decisions = List.copyOf(denied);
        }

        public List<AccessDecision> decisions() {
            return decisions;
        }

        public int exitCode() {
            return EXIT_DENIED;
        }
    }

    /**
     * The operator of this process: {@code BUDGETCTL_OPERATOR}, else git's user.email and the fingerprint of
     * {@code sshKey} (a private or public key file; null: ~/.ssh/id_ed25519, id_ecdsa, id_rsa, first that has a .pub).
     *
     * @throws EngineException when none of them is available
     */
    public static OperatorIdentity identify(Map<String, String> env, Path home, Path sshKey) {
        String explicit = env.get("BUDGETCTL_OPERATOR");
        if (explicit != null && !explicit.isBlank()) {
            String v = explicit.strip();
            return v.startsWith("SHA256:") ? OperatorIdentity.ofFingerprint(v) : OperatorIdentity.ofGit(v);
        }
        String email = gitEmail(env);
        String fingerprint = fingerprint(sshKey != null ? sshKey : defaultKey(home));
        if (email == null && fingerprint == null) {
            throw new EngineException(SourceLocation.UNKNOWN, "cannot tell who is running budgetctl: no "
                    + "BUDGETCTL_OPERATOR, no git user.email and no SSH public key",
                    "set BUDGETCTL_OPERATOR to the e-mail or key fingerprint access.yaml lists for you");
        }
        return new OperatorIdentity(fingerprint, email);
    }

    /** Decides, audits and (if allowed) returns the decision for one customer. */
    public AccessDecision check(String action, DeploymentsRepository repo, String clientId) {
        return checkAll(action, repo, List.of(clientId)).get(0);
    }

    /** As {@link #check(String, DeploymentsRepository, String)}, with {@code context} added to the audit line. */
    public AccessDecision check(String action, DeploymentsRepository repo, String clientId,
                                Map<String, String> context) {
        return checkAll(action, repo, List.of(clientId), context).get(0);
    }

    /**
     * Decides and audits {@code action} for every customer; all must be allowed or none is (a denial for any throws
     * after every decision has been written to the audit log).
     */
    public List<AccessDecision> checkAll(String action, DeploymentsRepository repo, List<String> clientIds) {
        return checkAll(action, repo, clientIds, Map.of());
    }

    /**
     * As {@link #checkAll(String, DeploymentsRepository, List)}; {@code context} (e.g. {@code dev_playbooks}: a
     * development override of what runs) is added to each audit line: plain names and paths, never variables.
     */
    public List<AccessDecision> checkAll(String action, DeploymentsRepository repo, List<String> clientIds,
                                         Map<String, String> context) {
        List<AccessDecision> all = new ArrayList<>();
        List<AccessDecision> denied = new ArrayList<>();
        OperatorIdentity id = who;
        String notProven = null;
        if (policy.requiresKeyProof()) {
            KeyProof.Result proof = proof(action, clientIds);
            if (proof.proven()) {
                // the proven key is the identity of these decisions: their audit lines are signed with it
                id = new OperatorIdentity(proof.fingerprint(), who.gitEmail());
            } else {
                notProven = proof.why();
            }
        }
        for (String clientId : clientIds) {
            AccessDecision d = policy.decide(id, action, repo, clientId);
            if (notProven != null && d.allowed()) {
                d = new AccessDecision(d.identity(), d.operator(), action, clientId, d.environment(), false, null,
                        "identity not proven: " + notProven);
            }
            audit.record(d, context);
            all.add(d);
            if (!d.allowed()) {
                denied.add(d);
            }
        }
        if (!denied.isEmpty()) {
            throw new Denied(denied);
        }
        return all;
    }

    /** The key proof of this process, made once (a fleet run checks many customers with one proof). */
    private KeyProof.Result proof(String action, List<String> clientIds) {
        synchronized (this) {
            if (proven == null || !proven.proven()) {
                proven = KeyProof.prove(audit.agent(), policy.keysOf(who),
                        KeyProof.challenge(who, action, clientIds, java.time.Instant.now()));
            }
            return proven;
        }
    }

    private KeyProof.Result proven;

    private static String gitEmail(Map<String, String> env) {
        try {
            ProcessBuilder pb = new ProcessBuilder("git", "config", "user.email").redirectErrorStream(true);
            pb.environment().clear();
            pb.environment().putAll(env);
            Process p = pb.start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
            return p.exitValue() == 0 && !out.isEmpty() ? out : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static Path defaultKey(Path home) {
        for (String k : DEFAULT_KEYS) {
            Path pub = home.resolve(".ssh").resolve(k + ".pub");
            if (Files.isRegularFile(pub)) {
                return pub;
            }
        }
        return null;
    }

    /** OpenSSH's {@code SHA256:} fingerprint of a public key file (or of {@code <key>.pub} for a private key). */
    static String fingerprint(Path key) {
        if (key == null) {
            return null;
        }
        Path pub = key.toString().endsWith(".pub") ? key : Path.of(key + ".pub");
        try {
            String[] parts = Files.readString(pub).strip().split("\\s+");
            if (parts.length < 2) {
                return null;
            }
            byte[] blob = Base64.getDecoder().decode(parts[1]);
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(blob);
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
        } catch (IOException | IllegalArgumentException e) {
            return null;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
