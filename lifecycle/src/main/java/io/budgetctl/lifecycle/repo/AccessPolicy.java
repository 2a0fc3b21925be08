package io.budgetctl.lifecycle.repo;

import io.budgetctl.engine.api.EngineException;
import io.budgetctl.engine.api.SourceLocation;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * access.yaml as a decision function: may this operator run this action on this customer? An operator is recognised
 * by an SSH key fingerprint ({@code SHA256:...}) or a git identity ({@code git config user.email}, compared without
 * case). A grant allows an action when its role lists the action (or {@code *}) and the customer's environment and
 * tags are inside both the role's and the grant's scope (and, when the grant names {@code clients}, the customer is one
 * of them). The first allowing grant wins; otherwise the decision is a
 * denial whose reason says what was missing.
 *
 * <p>This is a guard rail, not the lock: the real enforcement is who holds which keys (the customer's age recipients
 * in .sops.yaml, Vault policies, SSH keys on the servers). See docs/access.md.
 */
public final class AccessPolicy {
    private final Map<String, Object> doc;

    private AccessPolicy(Map<String, Object> doc) {
        this.doc = doc;
    }

    /**
     * Reads and validates access.yaml of the repository.
     *
     * @throws EngineException when it is missing or invalid (first error)
     */
    public static AccessPolicy load(DeploymentsRepository repo) {
        SchemaCheck check = new SchemaCheck();
        if (!repo.exists("access.yaml")) {
            throw new EngineException(SourceLocation.of("access.yaml"), "access.yaml is missing",
                    "every deployments repository needs access.yaml (see docs/access.md)");
        }
        YamlDoc d = repo.read("access.yaml");
        List<RepoError> errors = check.check("access.schema.json", d);
        if (!errors.isEmpty()) {
            RepoError e = errors.get(0);
            throw new EngineException(e.location(), e.pointer() + ": " + e.message(), e.hint());
        }
        return new AccessPolicy(DeploymentsRepository.cast((Map<?, ?>) d.value()));
    }

    /** The decision for {@code who} running {@code action} on the customer {@code clientId} (environment, tags). */
    public AccessDecision decide(OperatorIdentity who, String action, String clientId, String environment,
                                 Map<String, Object> tags) {
        Map<?, ?> operator = find(who);
        if (operator == null) {
            return new AccessDecision(who, null, action, clientId, environment, false, null,
                    "unknown operator " + who + ": not listed in access.yaml");
        }
        return decide(operator, who, action, clientId, environment, tags);
    }

    /**
     * An operator entry that lists age recipients ({@code operators[].age}): who holds the private halves of those
     * keys. Entries without git or ssh_keys are keys rather than people (a team's key, the demo key); they cannot
     * run budgetctl, only decrypt.
     */
    public record AgeHolder(int index, String name, List<String> recipients) {
    }

    /** Every operator entry with age recipients, in access.yaml's order. */
    public List<AgeHolder> ageHolders() {
        List<AgeHolder> out = new ArrayList<>();
        List<?> ops = (List<?>) doc.get("operators");
        for (int i = 0; i < ops.size(); i++) {
            Map<?, ?> op = (Map<?, ?>) ops.get(i);
            if (op.get("age") instanceof List<?> keys && !keys.isEmpty()) {
                out.add(new AgeHolder(i, String.valueOf(op.get("name")),
                        keys.stream().map(String::valueOf).toList()));
            }
        }
        return out;
    }

    /** {@link #decide} for the holder of age keys (which may have no identity to run budgetctl with). */
    public AccessDecision decide(AgeHolder holder, String action, DeploymentsRepository repo, String clientId) {
        Map<?, ?> operator = (Map<?, ?>) ((List<?>) doc.get("operators")).get(holder.index());
        Map<String, Object> client = repo.mergedClient(clientId);
        Map<String, Object> tags = client.get("tags") instanceof Map<?, ?> t ? DeploymentsRepository.cast(t) : Map.of();
        OperatorIdentity who = new OperatorIdentity(null, "age:" + holder.name());
        return decide(operator, who, action, clientId, String.valueOf(client.get("environment")), tags);
    }

    private AccessDecision decide(Map<?, ?> operator, OperatorIdentity who, String action, String clientId,
                                  String environment, Map<String, Object> tags) {
        String name = String.valueOf(operator.get("name"));
        Map<?, ?> roles = (Map<?, ?>) doc.get("roles");
        List<String> why = new ArrayList<>();
        for (Object g : (List<?>) operator.get("grants")) {
            Map<?, ?> grant = (Map<?, ?>) g;
            String roleName = String.valueOf(grant.get("role"));
            Map<?, ?> role = roles.get(roleName) instanceof Map<?, ?> r ? r : null;
            if (role == null) {
                why.add(roleName + ": role not defined");
            } else if (!((List<?>) role.get("actions")).contains(action)
                    && !((List<?>) role.get("actions")).contains("*")) {
                why.add(roleName + ": does not allow " + action);
            } else if (grant.get("clients") instanceof List<?> clients && !clients.contains(clientId)) {
                why.add(roleName + ": granted for " + clients.stream().map(String::valueOf)
                        .collect(java.util.stream.Collectors.joining(", ")) + " only");
            } else if (!inEnvs(role.get("environments"), environment) || !inEnvs(grant.get("environments"), environment)) {
                why.add(roleName + ": not in environment " + environment);
            } else if (!tagsMatch(role.get("tags"), tags) || !tagsMatch(grant.get("tags"), tags)) {
                why.add(roleName + ": customer's tags " + tags + " are outside the grant");
            } else {
                return new AccessDecision(who, name, action, clientId, environment, true, roleName,
                        name + " may " + action + " " + clientId + " as " + roleName);
            }
        }
        return new AccessDecision(who, name, action, clientId, environment, false, null,
                name + " may not " + action + " " + clientId + " (" + environment + "): " + String.join("; ", why));
    }

    /** {@link #decide} for a customer of the repository (environment and tags from its merged configuration). */
    public AccessDecision decide(OperatorIdentity who, String action, DeploymentsRepository repo, String clientId) {
        Map<String, Object> client = repo.mergedClient(clientId);
        Map<String, Object> tags = client.get("tags") instanceof Map<?, ?> t ? DeploymentsRepository.cast(t) : Map.of();
        return decide(who, action, clientId, String.valueOf(client.get("environment")), tags);
    }

    /**
     * access.yaml's {@code identity.require_key_proof}: operators must prove their key through the ssh-agent. On unless
     * the repository turns it off in so many words ({@code require_key_proof: false}): a repository that says
     * nothing gets proof, not claims.
     */
    public boolean requiresKeyProof() {
        return !(doc.get("identity") instanceof Map<?, ?> id && Boolean.FALSE.equals(id.get("require_key_proof")));
    }

    /** The name and SSH key fingerprints access.yaml lists for {@code who}; null when {@code who} is not listed. */
    public Keys keysOf(OperatorIdentity who) {
        Map<?, ?> op = find(who);
        if (op == null) {
            return null;
        }
        List<String> keys = op.get("ssh_keys") instanceof List<?> l ? l.stream().map(String::valueOf).toList()
                : List.of();
        return new Keys(String.valueOf(op.get("name")), keys);
    }

    /** An operator's name and listed key fingerprints. */
    public record Keys(String name, List<String> fingerprints) {
    }

    private Map<?, ?> find(OperatorIdentity who) {
        for (Object o : (List<?>) doc.get("operators")) {
            Map<?, ?> op = (Map<?, ?>) o;
            if (who.gitEmail() != null && op.get("git") != null
                    && who.gitEmail().toLowerCase(Locale.ROOT).equals(String.valueOf(op.get("git")).toLowerCase(Locale.ROOT))) {
                return op;
            }
            if (who.sshFingerprint() != null && op.get("ssh_keys") instanceof List<?> keys
                    && keys.contains(who.sshFingerprint())) {
                return op;
            }
        }
        return null;
    }

    private static boolean inEnvs(Object envs, String env) {
        return !(envs instanceof List<?> l) || l.contains("*") || l.contains(env);
    }

    private static boolean tagsMatch(Object want, Map<String, Object> have) {
        if (!(want instanceof Map<?, ?> w)) {
            return true;
        }
        for (Map.Entry<?, ?> e : w.entrySet()) {
            if (!String.valueOf(e.getValue()).equals(String.valueOf(have.get(String.valueOf(e.getKey()))))) {
                return false;
            }
        }
        return true;
    }
}
