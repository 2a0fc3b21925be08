package io.budgetctl.lifecycle.repo;

import io.budgetctl.engine.api.EngineException;
import io.budgetctl.engine.api.Secret;
import io.budgetctl.engine.api.SourceLocation;
import io.budgetctl.engine.inventory.Inventory;
import io.budgetctl.lifecycle.secrets.SecretResolver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The engine's view of a deployments repository: an {@link Inventory} in which every compose customer on one server
 * is a host named after the customer id; a customer on several servers is a group named after the id holding hosts
 * {@code <id>-<server name>}; a helm customer is a host {@code <id>} with {@code ansible_connection: local} (helm
 * runs from the operator's machine against the customer's cluster). Every host carries:
 * <ul>
 *   <li>{@code client}: the merged configuration (environment defaults, then the client file);</li>
 *   <li>{@code client_id}, and for compose hosts {@code server} (that server's entry);</li>
 *   <li>{@code ansible_host}, {@code ansible_port}, {@code ansible_user} from the server and SSH access,
 *       {@code ansible_ssh_common_args: -o ProxyJump=...} for a bastion, {@code budgetctl_ssh_host_key} (the pinned
 *       key: the SSH connection accepts only that key from the server, whatever known_hosts says) and
 *       {@code budgetctl_ssh_key_ref} (the reference of {@code ssh.key}); built with a {@link SecretResolver}, also
 *       {@code budgetctl_ssh_key}: the private key as a lazy {@link Secret}, which the SSH connection resolves and
 *       parses in memory before the run touches a host and then uses as the customer's only key.</li>
 * </ul>
 * Groups: {@code env_<environment>}, {@code region_<region>}, {@code ring_<ring>}, {@code target_compose} /
 * {@code target_helm} ('-' in names becomes '_').
 *
 * <p>Built with a {@link SecretResolver}, every secret reference in {@code client} ({@code sops:...#key},
 * {@code vault:...#key}) becomes a {@link Secret} fetched on first use: templates and modules that need the value get
 * the plaintext, output shows {@code ********}, and a run only needs the keys of the secrets it uses. Without one the
 * references stay text.
 */
public final class RepositoryInventory {
    private RepositoryInventory() {
    }

    /**
     * Validates the repository and builds the inventory.
     *
     * @throws EngineException with the first validation error (and how many there are) when it does not validate
     */
    public static Inventory of(DeploymentsRepository repo) {
        validate(repo);
        return build(repo, null);
    }

    private static void validate(DeploymentsRepository repo) {
        ValidationReport report = new Validator(repo).validateAll();
        if (!report.valid()) {
            RepoError first = report.errors().get(0);
            int more = report.errors().size() - 1;
            throw new EngineException(first.location(), (first.pointer().isEmpty() ? "" : first.pointer() + ": ")
                    + first.message() + (more > 0 ? " (and " + more + " more errors)" : ""),
                    "run 'budgetctl validate --all' to see every error; " + first.hint());
        }
    }

    /** Validates the repository and builds the inventory with its secret references resolved lazily. */
    public static Inventory of(DeploymentsRepository repo, SecretResolver secrets) {
        validate(repo);
        return build(repo, secrets);
    }

    /** True when {@code dir} looks like a deployments repository: a directory with clients/ and environments/. */
    public static boolean isRepository(Path dir) {
        return Files.isDirectory(dir.resolve("clients")) && Files.isDirectory(dir.resolve("environments"));
    }

    /**
     * The inventory of the deployments repository at {@code dir} (validated), references resolved lazily with this
     * process's environment (SOPS_AGE_KEY_FILE, VAULT_ADDR, ...).
     */
    public static Inventory load(Path dir) {
        DeploymentsRepository repo = DeploymentsRepository.open(dir);
        return of(repo, new SecretResolver(repo.root()));
    }

    /** Builds the inventory without validating (the caller has). */
    static Inventory build(DeploymentsRepository repo) {
        return build(repo, null);
    }

    private static Inventory build(DeploymentsRepository repo, SecretResolver secrets) {
        Map<String, Map<String, Object>> hosts = new LinkedHashMap<>();
        Map<String, List<String>> groupHosts = new LinkedHashMap<>();
        Map<String, List<String>> children = new LinkedHashMap<>();
        Map<String, String> files = new LinkedHashMap<>();
        for (String id : repo.clientIds()) {
            Map<String, Object> raw = repo.mergedClient(id);
            String file = repo.root().resolve(repo.clientFile(id)).toString();
            Map<String, Object> client = secrets == null ? raw : withSecrets(repo, id, raw, secrets);
            Map<?, ?> target = (Map<?, ?>) raw.get("target");
            Secret sshKey = secrets == null ? null : sshKey(repo, id, raw, secrets);
            List<String> names = new ArrayList<>();
            if ("helm".equals(target.get("type"))) {
                Map<String, Object> vars = base(repo, id, client);
                vars.put("ansible_connection", "local");
                hosts.put(id, vars);
                names.add(id);
            } else {
                List<?> servers = (List<?>) target.get("servers");
                for (Object o : servers) {
                    Map<?, ?> server = (Map<?, ?>) o;
                    String name = servers.size() == 1 ? id : id + "-" + server.get("name");
                    Map<String, Object> vars = base(repo, id, client);
                    vars.put("server", DeploymentsRepository.deepMerge(Map.of(), DeploymentsRepository.cast(server)));
                    sshVars(vars, raw, server);
                    if (sshKey != null) {
                        vars.put("budgetctl_ssh_key", sshKey); // one lazy secret for every server of the customer
                    }
                    hosts.put(name, vars);
                    names.add(name);
                }
            }
            names.forEach(n -> files.put(n, file));
            List<String> member = names;
            if (names.size() > 1) {
                groupHosts.put(group(id), names);
                member = List.of();
            }
            List<String> groups = new ArrayList<>();
            groups.add("env_" + client.get("environment"));
            groups.add("target_" + target.get("type"));
            if (client.get("tags") instanceof Map<?, ?> tags) {
                for (Map.Entry<?, ?> t : tags.entrySet()) {
                    groups.add(t.getKey() + "_" + t.getValue());
                }
            }
            for (String g : groups) {
                String gn = group(g);
                groupHosts.computeIfAbsent(gn, k -> new ArrayList<>()).addAll(member);
                if (names.size() > 1) {
                    children.computeIfAbsent(gn, k -> new ArrayList<>()).add(group(id));
                }
            }
        }
        return Inventory.of(hosts, groupHosts, children, files);
    }

    /** A copy of {@code client} in which every secret reference is a lazy {@link Secret}. */
    private static Map<String, Object> withSecrets(DeploymentsRepository repo, String id, Map<String, Object> client,
                                                   SecretResolver secrets) {
        YamlDoc clientDoc = repo.read(repo.clientFile(id));
        String envFile = client.get("environment") == null ? null
                : repo.environmentFile(String.valueOf(client.get("environment")));
        YamlDoc envDoc = envFile == null ? null : repo.read(envFile);
        @SuppressWarnings("unchecked")
        Map<String, Object> out = (Map<String, Object>) secretize(client, "", clientDoc, envDoc, secrets);
        return out;
    }

    /**
     * The customer's {@code ssh.key} as a lazy secret, or null. A failure names the reference's place in the client
     * file (or the environment's defaults) even when the resolver reports another place (e.g. {@code $VAULT_ADDR}).
     */
    private static Secret sshKey(DeploymentsRepository repo, String id, Map<String, Object> raw,
                                 SecretResolver secrets) {
        if (!(raw.get("ssh") instanceof Map<?, ?> ssh) || !(ssh.get("key") instanceof String ref)
                || SecretRef.parse(ref) == null) {
            return null;
        }
        YamlDoc clientDoc = repo.read(repo.clientFile(id));
        SourceLocation where;
        if (clientDoc.get("/ssh/key") != null || raw.get("environment") == null) {
            where = clientDoc.at("/ssh/key");
        } else {
            where = repo.read(repo.environmentFile(String.valueOf(raw.get("environment")))).at("/defaults/ssh/key");
        }
        return Secret.lazy(() -> {
            try {
                return secrets.resolve(ref, where).reveal();
            } catch (EngineException e) {
                if (e.location().equals(where)) {
                    throw e;
                }
                throw new EngineException(where, "cannot resolve " + ref + ": " + e.oneLine(), e.hint(), e);
            }
        });
    }

    private static Object secretize(Object v, String pointer, YamlDoc clientDoc, YamlDoc envDoc,
                                    SecretResolver secrets) {
        if (v instanceof String s && SecretRef.parse(s) != null) {
            SourceLocation where = clientDoc.get(pointer) != null || envDoc == null
                    ? clientDoc.at(pointer) : envDoc.at("/defaults" + pointer);
            return Secret.lazy(() -> secrets.resolve(s, where).reveal());
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, val) -> out.put(String.valueOf(k), secretize(val,
                    pointer + "/" + YamlDoc.escape(String.valueOf(k)), clientDoc, envDoc, secrets)));
            return out;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            for (int i = 0; i < l.size(); i++) {
                out.add(secretize(l.get(i), pointer + "/" + i, clientDoc, envDoc, secrets));
            }
            return out;
        }
        return v;
    }

    private static String group(String name) {
        return name.replace('-', '_');
    }

    private static Map<String, Object> base(DeploymentsRepository repo, String id, Map<String, Object> client) {
        Map<String, Object> vars = new LinkedHashMap<>();
        vars.put("client_id", id);
        vars.put("client", client);
        // the signed licence 'budgetctl modules sync' wrote and the key that verified it (docs/licence-portal.md);
        // playbooks/vars/itbm.yml turns them into itbm_licence_file / itbm_licence_pubkey
        Path licence = repo.root().resolve("licences").resolve(id + ".json");
        Path pub = repo.root().resolve("licences").resolve(id + ".pub");
        if (Files.isRegularFile(licence) && Files.isRegularFile(pub)) {
            vars.put("budgetctl_licence_file", licence.toString());
            vars.put("budgetctl_licence_pubkey", pub.toString());
        }
        return vars;
    }

    private static void sshVars(Map<String, Object> vars, Map<String, Object> client, Map<?, ?> server) {
        Map<?, ?> ssh = client.get("ssh") instanceof Map<?, ?> m ? m : Map.of();
        String user = ssh.get("user") == null ? "deploy" : String.valueOf(ssh.get("user"));
        vars.put("ansible_host", server.get("address"));
        vars.put("ansible_port", ssh.get("port") == null ? 22 : ssh.get("port"));
        vars.put("ansible_user", user);
        if (ssh.get("bastion") instanceof Map<?, ?> b) {
            String bu = b.get("user") == null ? user : String.valueOf(b.get("user"));
            String bp = b.get("port") == null ? "22" : String.valueOf(b.get("port"));
            vars.put("ansible_ssh_common_args", "-o ProxyJump=" + bu + "@" + b.get("host") + ":" + bp);
        }
        if (ssh.get("host_key") != null) {
            vars.put("budgetctl_ssh_host_key", ssh.get("host_key"));
        }
        if (ssh.get("key") != null) {
            vars.put("budgetctl_ssh_key_ref", ssh.get("key"));
        }
    }
}
