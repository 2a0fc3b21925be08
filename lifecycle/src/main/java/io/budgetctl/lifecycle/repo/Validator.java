package io.budgetctl.lifecycle.repo;

import io.budgetctl.engine.api.EngineException;
import io.budgetctl.engine.api.SourceLocation;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a deployments repository: every file against its JSON Schema, then the rules a schema cannot say (see
 * docs/configuration.md, "Validation"): the file name matches the id, the environment exists, the pinned version is
 * released, modules are known and the integrations they need are enabled, SOPS references name an existing file, a
 * key in it and a file that .sops.yaml has recipients for, domain and address formats, no duplicate customer ids, no
 * two customers on one server and port; in access.yaml, grants name existing roles and environments.
 *
 * <p>Semantic checks run on files that pass their schema. Errors never contain secret values.
 */
public final class Validator {
    private static final Pattern DOMAIN = Pattern.compile(
            "^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$");
    private static final Pattern HOST = Pattern.compile(
            "^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$");
    private static final Pattern IPV4ISH = Pattern.compile("^[0-9.]+$");
    private static final Map<String, String> INTEGRATION_MODULE = Map.of("onec", "integrations-1c", "sso", "sso");

    private final DeploymentsRepository repo;
    private final SchemaCheck schemas;

    private final boolean secretsAccess;

    public Validator(DeploymentsRepository repo) {
        this(repo, false);
    }

    private Validator(DeploymentsRepository repo, boolean secretsAccess) {
        this.repo = repo;
        this.schemas = new SchemaCheck();
        this.secretsAccess = secretsAccess;
    }

    /**
     * The same checks plus {@link SopsRecipients}: the age recipients of each SOPS file against the operators
     * access.yaml allows secrets-view ({@code budgetctl validate} runs it; the check before every run does not, as it
     * is about who holds keys, not about what the run does).
     */
    public Validator withSecretsAccess() {
        return new Validator(repo, true);
    }

    /** Validates every file of the repository. */
    public ValidationReport validateAll() {
        return run(repo.clientIds());
    }

    /**
     * Validates one customer: its file, its environment, releases.yaml, access.yaml, and the cross-customer rules
     * as far as they concern it.
     *
     * @throws EngineException when there is no such customer
     */
    public ValidationReport validateClient(String id) {
        if (repo.clientFile(id) == null) {
            throw new EngineException(SourceLocation.of("clients/" + id + ".yaml"), "no customer '" + id + "'",
                    "known customers: " + String.join(", ", repo.clientIds()));
        }
        return run(List.of(id));
    }

    private ValidationReport run(List<String> selected) {
        Run r = new Run();
        r.releases = r.load("releases.yaml", "releases.schema.json", true);
        Set<String> envNames = new HashSet<>();
        boolean all = selected.size() == repo.clientIds().size();
        for (String f : repo.environmentFiles()) {
            String name = f.substring("environments/".length(), f.lastIndexOf('.'));
            envNames.add(name);
            boolean needed = all || selected.stream().anyMatch(id -> name.equals(r.environmentOf(id)));
            YamlDoc env = r.load(f, "environment.schema.json", needed);
            if (env != null && needed && r.clean(f)) {
                r.envs.put(name, env);
                Object n = env.get("/name");
                if (!name.equals(n)) {
                    r.error(env, "/name", "name '" + n + "' does not match the file name " + f,
                            "rename the file or set name: " + name);
                }
                checkSemantics(r, env, "/defaults", null);
            }
        }
        r.load("access.yaml", "access.schema.json", true);
        YamlDoc access = r.docs.get("access.yaml");
        if (access != null && r.clean("access.yaml")) {
            checkAccess(r, access, envNames);
            if (secretsAccess && r.clean("access.yaml")) {
                r.errors.addAll(new SopsRecipients(repo).check(AccessPolicy.load(repo), selected));
            }
        }
        Map<String, String> firstFileOfId = new LinkedHashMap<>();
        Map<String, String> servers = new LinkedHashMap<>();
        for (String f : repo.clientFiles()) {
            String fileId = f.substring("clients/".length(), f.lastIndexOf('.'));
            boolean mine = selected.contains(fileId);
            YamlDoc doc = r.load(f, "client.schema.json", mine);
            if (doc == null || !r.clean(f)) {
                continue;
            }
            String id = String.valueOf(doc.get("/id"));
            String prior = firstFileOfId.putIfAbsent(id, f);
            if (prior != null && (mine || selected.contains(id))) {
                r.error(doc, "/id", "duplicate customer id '" + id + "': " + prior + " uses it too",
                        "every customer needs its own id; rename one of them");
            }
            collectServers(r, doc, servers, mine);
            if (mine) {
                checkClient(r, doc, fileId, envNames);
            }
        }
        r.errors.sort(Comparator.comparing((RepoError e) -> e.location().file())
                .thenComparingInt(e -> e.location().line()).thenComparingInt(e -> e.location().column())
                .thenComparing(RepoError::message));
        return new ValidationReport(r.errors, r.docs.size() + r.unreadable, selected);
    }

    private void checkClient(Run r, YamlDoc doc, String fileId, Set<String> envNames) {
        String f = doc.label();
        Object id = doc.get("/id");
        if (!fileId.equals(id)) {
            r.error(doc, "/id", "id '" + id + "' does not match the file name " + f,
                    "name the file clients/" + id + ".yaml or set id: " + fileId);
        }
        String env = String.valueOf(doc.get("/environment"));
        YamlDoc envDoc = r.envs.get(env);
        if (!envNames.contains(env)) {
            r.error(doc, "/environment", "environment '" + env + "' does not exist",
                    "known environments: " + String.join(", ", envNames.stream().sorted().toList())
                            + " (files in environments/)");
        }
        Object domain = doc.get("/domain");
        if (!DOMAIN.matcher(String.valueOf(domain)).matches()) {
            r.error(doc, "/domain", "'" + domain + "' is not a valid domain name",
                    "lowercase DNS name with at least one dot, e.g. budget.acme.example (no scheme, no port)");
        }
        List<?> servers = doc.get("/target/servers") instanceof List<?> l ? l : List.of();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < servers.size(); i++) {
            checkAddress(r, doc, "/target/servers/" + i + "/address");
            Object name = doc.get("/target/servers/" + i + "/name");
            if (!names.add(String.valueOf(name))) {
                r.error(doc, "/target/servers/" + i + "/name", "server name '" + name + "' is used twice",
                        "give each server of a customer its own name");
            }
        }
        for (String p : List.of("/ssh/bastion/host", "/database/host", "/cache/host", "/integrations/smtp/host")) {
            if (doc.get(p) != null) {
                checkAddress(r, doc, p);
            }
        }
        checkSemantics(r, doc, "", envDoc);
        // integrations need their module: look at the merged module list
        Object mods = doc.get("/modules") != null ? doc.get("/modules")
                : envDoc == null ? null : envDoc.get("/defaults/modules");
        List<?> modules = mods instanceof List<?> ml ? ml : List.of();
        if (doc.get("/integrations") instanceof Map<?, ?> integ) {
            for (Object k : integ.keySet()) {
                String need = INTEGRATION_MODULE.get(String.valueOf(k));
                if (need != null && !modules.contains(need)) {
                    r.error(doc, "/integrations/" + k, "integration '" + k + "' is configured but module '" + need
                            + "' is not enabled", "add " + need + " to modules, or remove the integration");
                }
            }
        }
    }

    /**
     * Checks shared by client files and environment defaults: version, modules, the pinned host key (a public key
     * the SSH connection can compare, not only the schema's shape), secret references.
     */
    private void checkSemantics(Run r, YamlDoc doc, String base, YamlDoc envDoc) {
        Object version = doc.get(base + "/version");
        List<String> released = r.released();
        if (version != null && released != null && !released.contains(String.valueOf(version))) {
            r.error(doc, base + "/version", "version '" + version + "' is not a released version",
                    "released: " + String.join(", ", released) + " (releases.yaml)");
        }
        if (doc.get(base + "/modules") instanceof List<?> mods) {
            for (int i = 0; i < mods.size(); i++) {
                String m = String.valueOf(mods.get(i));
                if (!ProductModules.KNOWN.contains(m)) {
                    String near = SchemaCheck.nearest(m, ProductModules.KNOWN);
                    r.error(doc, base + "/modules/" + i, "unknown module '" + m + "'",
                            (near == null ? "" : "did you mean '" + near + "'? ") + "known modules: "
                                    + String.join(", ", ProductModules.KNOWN));
                }
            }
        }
        if (doc.get(base + "/ssh/host_key") instanceof String hostKey) {
            try {
                io.budgetctl.engine.ssh.HostKeyPin.parse(hostKey);
            } catch (IllegalArgumentException e) {
                r.error(doc, base + "/ssh/host_key", "not a usable public host key: " + e.getMessage(),
                        "copy the server's key line ('ssh-ed25519 AAAA...', without the comment) from"
                                + " /etc/ssh/ssh_host_ed25519_key.pub or ssh-keyscan, and compare its fingerprint"
                                + " (ssh-keygen -lf) with the customer's");
            }
        }
        checkRefs(r, doc, base, doc.get(base));
    }

    private void checkRefs(Run r, YamlDoc doc, String pointer, Object value) {
        if (value instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                checkRefs(r, doc, pointer + "/" + YamlDoc.escape(String.valueOf(e.getKey())), e.getValue());
            }
        } else if (value instanceof List<?> l) {
            for (int i = 0; i < l.size(); i++) {
                checkRefs(r, doc, pointer + "/" + i, l.get(i));
            }
        } else if (value instanceof String s && s.startsWith("sops:")) {
            SecretRef ref = SecretRef.parse(s);
            if (ref == null) {
                return; // the schema reports malformed references
            }
            if (!repo.exists(ref.path())) {
                r.error(doc, pointer, "secret file " + ref.path() + " does not exist",
                        "create it with 'budgetctl secrets encrypt " + ref.path() + "' or fix the reference");
                return;
            }
            SopsKeys keys = r.sopsKeys(ref.path());
            if (keys.error() != null) {
                r.error(doc, pointer, "secret file " + ref.path() + " cannot be read: " + keys.error(),
                        "check the file with 'budgetctl secrets view " + ref.path() + "'");
            } else if (!keys.has(ref.key())) {
                r.error(doc, pointer, "secret file " + ref.path() + " has no key '" + ref.key() + "'",
                        "keys in it: " + String.join(", ", keys.keys()));
            }
            if (!r.sopsRules().isEmpty() && r.sopsRules().stream().noneMatch(p -> p.matcher(ref.path()).find())) {
                r.error(doc, pointer, "no creation rule in .sops.yaml covers " + ref.path(),
                        "add a creation_rules entry with path_regex and the customer's recipients");
            }
        }
    }

    private static void checkAddress(Run r, YamlDoc doc, String pointer) {
        String a = String.valueOf(doc.get(pointer));
        boolean ok;
        if (a.contains(":")) {
            ok = a.matches("^[0-9A-Fa-f:.]+$") && ipv6(a);
        } else if (IPV4ISH.matcher(a).matches()) {
            ok = ipv4(a);
        } else {
            ok = HOST.matcher(a).matches();
        }
        if (!ok) {
            r.error(doc, pointer, "'" + a + "' is not an IPv4 address, IPv6 address or host name",
                    "write the bare address, e.g. 203.0.113.10, 2001:db8::10 or app1.acme.internal (no scheme, no port)");
        }
    }

    static boolean ipv4(String a) {
        String[] parts = a.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || Integer.parseInt(p) > 255) {
                return false;
            }
        }
        return true;
    }

    static boolean ipv6(String a) {
        try {
            return java.net.InetAddress.getByName("[" + a + "]") instanceof java.net.Inet6Address;
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    private static void collectServers(Run r, YamlDoc doc, Map<String, String> seen, boolean mine) {
        if (!(doc.get("/target/servers") instanceof List<?> servers)) {
            return;
        }
        for (int i = 0; i < servers.size(); i++) {
            String p = "/target/servers/" + i;
            Object port = doc.get(p + "/port");
            String key = String.valueOf(doc.get(p + "/address")).toLowerCase(java.util.Locale.ROOT) + ":"
                    + (port == null ? 443 : port);
            String where = doc.label() + " " + p;
            String prior = seen.putIfAbsent(key, where);
            if (prior != null && mine) {
                r.error(doc, p, "server " + key + " is already used by " + prior,
                        "two installations on one server need different ports (target.servers[].port)");
            }
        }
    }

    private void checkAccess(Run r, YamlDoc doc, Set<String> envNames) {
        Set<String> roles = doc.get("/roles") instanceof Map<?, ?> m ? new HashSet<>(
                m.keySet().stream().map(String::valueOf).toList()) : Set.of();
        if (doc.get("/roles") instanceof Map<?, ?> m) {
            for (Object role : m.keySet()) {
                checkEnvs(r, doc, "/roles/" + role + "/environments", envNames);
            }
        }
        List<?> ops = doc.get("/operators") instanceof List<?> l ? l : List.of();
        Map<String, String> identities = new LinkedHashMap<>();
        for (int i = 0; i < ops.size(); i++) {
            String op = "/operators/" + i;
            List<?> grants = doc.get(op + "/grants") instanceof List<?> g ? g : List.of();
            for (int j = 0; j < grants.size(); j++) {
                String gp = op + "/grants/" + j;
                Object role = doc.get(gp + "/role");
                if (!roles.contains(String.valueOf(role))) {
                    r.error(doc, gp + "/role", "role '" + role + "' is not defined",
                            "defined roles: " + String.join(", ", roles.stream().sorted().toList()));
                }
                checkEnvs(r, doc, gp + "/environments", envNames);
                // only in 'budgetctl validate': a grant for a customer not (or no longer) here does not stop a run
                if (secretsAccess && doc.get(gp + "/clients") instanceof List<?> clients) {
                    for (int c = 0; c < clients.size(); c++) {
                        if (repo.clientFile(String.valueOf(clients.get(c))) == null) {
                            r.error(doc, gp + "/clients/" + c, "customer '" + clients.get(c) + "' does not exist",
                                    "known customers: " + String.join(", ", repo.clientIds()));
                        }
                    }
                }
            }
            List<String> ids = new ArrayList<>();
            if (doc.get(op + "/git") == null && doc.get(op + "/ssh_keys") == null && doc.get(op + "/age") == null) {
                r.error(doc, op, "operator " + doc.get(op + "/name") + " has no identity",
                        "add 'git:' (git config user.email) or 'ssh_keys:' (ssh-keygen -lf key.pub), or both"
                                + " ('age:' alone makes it a key holder that can only decrypt)");
            }
            if (doc.get(op + "/age") instanceof List<?> ages) {
                for (int k = 0; k < ages.size(); k++) {
                    ids.add(op + "/age/" + k);
                }
            }
            if (doc.get(op + "/git") != null) {
                ids.add(op + "/git");
            }
            if (doc.get(op + "/ssh_keys") instanceof List<?> keys) {
                for (int k = 0; k < keys.size(); k++) {
                    ids.add(op + "/ssh_keys/" + k);
                }
            }
            for (String p : ids) {
                String v = String.valueOf(doc.get(p)).toLowerCase(java.util.Locale.ROOT);
                String prior = identities.putIfAbsent(v, op);
                if (prior != null && !prior.equals(op)) {
                    r.error(doc, p, "identity '" + doc.get(p) + "' is already listed for operator "
                            + doc.get(prior + "/name"), "an identity must name one operator");
                }
            }
        }
    }

    private static void checkEnvs(Run r, YamlDoc doc, String pointer, Set<String> envNames) {
        if (doc.get(pointer) instanceof List<?> envs) {
            for (int i = 0; i < envs.size(); i++) {
                String e = String.valueOf(envs.get(i));
                if (!e.equals("*") && !envNames.contains(e)) {
                    r.error(doc, pointer + "/" + i, "environment '" + e + "' does not exist",
                            "known environments: " + String.join(", ", envNames.stream().sorted().toList()));
                }
            }
        }
    }

    /** State of one validation run. */
    private final class Run {
        final List<RepoError> errors = new ArrayList<>();
        final Map<String, YamlDoc> docs = new LinkedHashMap<>();
        final Map<String, YamlDoc> envs = new LinkedHashMap<>();
        final Set<String> dirty = new HashSet<>();
        final Map<String, SopsKeys> sops = new LinkedHashMap<>();
        List<Pattern> rules;
        YamlDoc releases;
        int unreadable;

        /** Loads and schema-checks a file; reports only when {@code report}. Null when it does not load. */
        YamlDoc load(String file, String schema, boolean report) {
            if (!repo.exists(file)) {
                if (report) {
                    errors.add(new RepoError(SourceLocation.of(file), "", "file is missing",
                            "every deployments repository has " + file + " (see docs/configuration.md)"));
                }
                dirty.add(file);
                return null;
            }
            YamlDoc doc;
            try {
                doc = repo.read(file);
            } catch (EngineException e) {
                if (report) {
                    errors.add(new RepoError(e.location(), "", e.getMessage(), e.hint()));
                }
                dirty.add(file);
                unreadable++;
                return null;
            }
            docs.put(file, doc);
            List<RepoError> found = schemas.check(schema, doc);
            if (!found.isEmpty()) {
                dirty.add(file);
                if (report) {
                    errors.addAll(found);
                }
            }
            return doc;
        }

        boolean clean(String file) {
            return !dirty.contains(file);
        }

        void error(YamlDoc doc, String pointer, String message, String hint) {
            errors.add(new RepoError(doc.at(pointer), pointer, message, hint));
        }

        String environmentOf(String id) {
            String f = repo.clientFile(id);
            try {
                return f == null ? null : String.valueOf(repo.read(f).get("/environment"));
            } catch (EngineException e) {
                return null;
            }
        }

        /** Released versions; null when releases.yaml is broken (its own errors say why). */
        List<String> released() {
            if (releases == null || !clean("releases.yaml")) {
                return null;
            }
            List<String> out = new ArrayList<>();
            if (releases.get("/releases") instanceof List<?> l) {
                for (Object o : l) {
                    if (o instanceof Map<?, ?> m) {
                        out.add(String.valueOf(m.get("version")));
                    }
                }
            }
            return out;
        }

        SopsKeys sopsKeys(String path) {
            return sops.computeIfAbsent(path, p -> SopsKeys.read(repo.root().resolve(p)));
        }

        List<Pattern> sopsRules() {
            if (rules == null) {
                rules = SopsKeys.creationRules(repo.root().resolve(".sops.yaml"));
            }
            return rules;
        }
    }
}
