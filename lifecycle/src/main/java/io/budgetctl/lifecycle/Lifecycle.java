package io.budgetctl.lifecycle;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.budgetctl.engine.api.EngineException;
import io.budgetctl.engine.api.Secret;
import io.budgetctl.engine.api.SourceLocation;
import io.budgetctl.engine.event.HostResultEvent;
import io.budgetctl.engine.event.RunListener;
import io.budgetctl.engine.inventory.Inventory;
import io.budgetctl.lifecycle.repo.AccessPolicy;
import io.budgetctl.lifecycle.repo.Audit;
import io.budgetctl.lifecycle.repo.Authorizer;
import io.budgetctl.lifecycle.repo.DeploymentsRepository;
import io.budgetctl.engine.run.Engine;
import io.budgetctl.engine.run.EngineServices;
import io.budgetctl.engine.run.RunRequest;
import io.budgetctl.lifecycle.secrets.SecretResolver;
import io.budgetctl.lifecycle.secrets.SecretsEnv;
import io.budgetctl.lifecycle.secrets.Sops;
import io.budgetctl.lifecycle.secrets.VaultClient;
import io.budgetctl.lifecycle.secrets.VaultSettings;
import io.budgetctl.lifecycle.secrets.ReleaseSecrets;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The lifecycle workflow, without a command line: a {@link LifecycleRequest} becomes one playbook run on one customer's
 * host(s). In order: the deployments repository is opened and validated ({@link ValidatedRepository}, once per
 * content), the customer must be in it, access.yaml decides on the request's action (written to the audit log;
 * {@link Authorizer.Denied} before any inventory is built or host contacted), the playbook is found
 * ({@link #playbookDir}), the variables are merged (the customer, its merged configuration, the operator, the
 * request's variables, the registry settings, the repository's variables, then the user's {@code -e}), the release's
 * secrets and the request's secret variables are added without passing through JSON, and the engine runs limited to
 * the customer's host(s). The result is the exit code and, per host, the values of the variables the playbook declares
 * as its result (registered with {@code register:}, e.g. {@link #RESULT_FACT}, or set with {@code set_fact}); nothing
 * is found by a task's name.
 *
 * <p>Errors are thrown, not printed: {@link EngineException} (repository, unknown customer, playbook not found, what
 * the engine reports as it does) and {@link Authorizer.Denied} (its own exit code); the caller reports them.
 */
public final class Lifecycle {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The variable a read-only lifecycle playbook (status, history, plan) registers the result of the task whose stdout
     * is its JSON document as: the caller reads the document by this name ({@link LifecycleResult#stdout}), never by a
     * task's name.
     */
    public static final String RESULT_FACT = "budgetctl_result";

    private Lifecycle() {
    }

    /**
     * Runs the request's playbook for its customer.
     *
     * @throws EngineException     when the repository does not load, the customer is unknown or the playbook missing
     * @throws Authorizer.Denied   when access.yaml does not allow the action
     */
    public static LifecycleResult run(LifecycleRequest q) {
        Path root = q.repository();
        Map<String, String> env = q.env();
        // validated once per repository content, however many customers this JVM runs (fleet status, fleet apply)
        ValidatedRepository valid = ValidatedRepository.open(root, env, dir -> resolver(dir, env));
        DeploymentsRepository r = valid.repo();
        String client = q.client();
        if (!r.clientIds().contains(client)) {
            throw new EngineException(SourceLocation.of(root.resolve("clients").toString()),
                    "no customer '" + client + "' in the deployments repository " + root,
                    "known customers: " + String.join(", ", r.clientIds()));
        }
        authorize(r, q.action(), client, q.devPlaybooks(), env, q.home());
        // with the resolver the customer's ssh.key becomes a lazy secret the SSH connection resolves and parses in
        // memory before the run touches the host (the inventory's 'client' mapping, which also turns secret, is
        // shadowed by the extra var 'client' below)
        Inventory inventory = valid.inventory();
        Path book = playbookDir(q.devPlaybooks(), q.codeSource(), q.playbook()).resolve(q.playbook() + ".yml");
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("client", client);
        all.put("itbm_client", r.mergedClient(client));
        all.put("budgetctl_operator", operator(env));
        all.putAll(q.vars());
        // the registry the server pulls from, from the client file (its password and CA come with the secrets)
        all.putAll(ReleaseSecrets.registryVars(r.mergedClient(client), clientFile(r, client)));
        all.putAll(q.repositoryVars().apply(r));
        List<String> extra = new ArrayList<>();
        extra.add(json(all));
        extra.addAll(q.extraVars());
        RunRequest request = RunRequest.builder().playbook(book).limit(limit(inventory, client)).extraVars(extra)
                .check(q.check()).diff(q.diff()).verbosity(q.verbosity()).build();
        Map<String, Object> secrets = new LinkedHashMap<>(releaseSecrets(r, client, q.releaseSecretsFirst(), env));
        secrets.putAll(q.secretVars().apply(r));
        EngineServices d = EngineServices.defaults();
        EngineServices services = secrets.isEmpty() ? d : new EngineServices(d.templater(), d.modules(), d.inventory(),
                (raw, base) -> {
                    Map<String, Object> merged = new LinkedHashMap<>(secrets);
                    merged.putAll(d.extraVars().parse(raw, base));
                    return merged;
                }, d.facts(), d.connections(), d.env());
        ResultFacts result = new ResultFacts(q.resultFacts());
        List<RunListener> listeners = new ArrayList<>(q.listeners());
        if (!q.resultFacts().isEmpty()) {
            listeners.add(result);
        }
        int code = Engine.run(request, listeners, services.withFixedInventory(inventory));
        return new LifecycleResult(code, result.values());
    }

    /**
     * Per declared name and host, the last value the run gave it: a task's result registered under that name (the
     * result as the run reports it: secrets masked where they occur, as on the console; a failed task's too, as
     * Ansible registers those) or a fact {@code set_fact} set (the result's {@code ansible_facts}). Loop items are
     * not results: the aggregate that follows them is what is registered.
     */
    private static final class ResultFacts implements RunListener {
        private final List<String> names;
        private final Map<String, Map<String, Object>> values = new LinkedHashMap<>();

        ResultFacts(List<String> names) {
            this.names = names;
        }

        @Override
        public void hostResult(HostResultEvent e) {
            synchronized (values) {
                String register = e.task() == null ? null : e.task().register();
                if (e.item() == null && register != null && names.contains(register)) {
                    put(register, e.host(), new LinkedHashMap<>(e.data()));
                }
                if (e.data().get("ansible_facts") instanceof Map<?, ?> f) {
                    for (String name : names) {
                        if (f.get(name) != null) {
                            put(name, e.host(), f.get(name));
                        }
                    }
                }
            }
        }

        private void put(String name, String host, Object value) {
            values.computeIfAbsent(name, k -> new LinkedHashMap<>()).put(host, value);
        }

        Map<String, Map<String, Object>> values() {
            synchronized (values) {
                return new LinkedHashMap<>(values);
            }
        }
    }

    /**
     * access.yaml's decision for {@code action} on {@code client}, written to the controller's audit log (a
     * development playbooks directory is recorded with it).
     *
     * @throws Authorizer.Denied when access.yaml does not allow it (exit code 6)
     */
    public static void authorize(DeploymentsRepository r, String action, String client, Path devPlaybooks,
                                 Map<String, String> env, Path home) {
        authorize(r, action, client, devPlaybooks == null ? Map.of() : Map.of("dev_playbooks", devPlaybooks.toString()),
                env, home);
    }

    /**
     * access.yaml's decision for {@code action} on {@code client} with the given details in the audit record (e.g.
     * {@code modules sync}'s {@code check}), written to the controller's audit log.
     *
     * @throws Authorizer.Denied when access.yaml does not allow it (exit code 6)
     */
    public static void authorize(DeploymentsRepository r, String action, String client, Map<String, String> details,
                                 Map<String, String> env, Path home) {
        new Authorizer(AccessPolicy.load(r), Audit.fromEnv(env, home), Authorizer.identify(env, home, null))
                .check(action, r, client, details);
    }

    /**
     * The secrets a release needs on the host ({@link ReleaseSecrets}: external database and Redis passwords and CAs,
     * the licence portal's instance token, the integrations' passwords), as {@code itbm_secret_<name>} variables.
     * With {@code first} (commands that render a release on every run: deploy) every reference is read now, so a
     * reference that cannot be read stops the run before any host is touched; otherwise (rollback renders only when
     * no kept release exists) they are read lazily, so a run that renders nothing never needs the keys.
     */
    public static Map<String, Object> releaseSecrets(DeploymentsRepository r, String client, boolean first,
                                                     Map<String, String> env) {
        SourceLocation where = clientFile(r, client);
        SecretResolver resolver = resolver(r.root(), env);
        Map<String, Object> merged = r.mergedClient(client);
        if (first) {
            return ReleaseSecrets.resolveAll(merged, where, resolver::resolve);
        }
        Map<String, Object> lazy = new LinkedHashMap<>();
        for (ReleaseSecrets.Ref ref : ReleaseSecrets.references(merged, where)) {
            lazy.put(ref.variable(), Secret.lazy(() -> ReleaseSecrets.resolve(ref, where, resolver::resolve).reveal()));
        }
        return lazy;
    }

    /** The customer's client file, named in errors about its settings. */
    public static SourceLocation clientFile(DeploymentsRepository r, String client) {
        return SourceLocation.of(r.root().resolve("clients").resolve(client + ".yaml").toString());
    }

    /** A secret resolver reading {@code env} (SOPS_AGE_KEY_FILE, VAULT_ADDR, HOME ...) for the repository at root. */
    public static SecretResolver resolver(Path root, Map<String, String> env) {
        SecretsEnv se = new SecretsEnv(env, Path.of(env.getOrDefault("HOME", System.getProperty("user.home"))));
        return new SecretResolver(root, new Sops(se), () -> new VaultClient(VaultSettings.fromEnv(se)));
    }

    /**
     * The hosts of this client: the host named after it, or the group of its servers. The extra var {@code client}
     * is the id (the roles use it in paths; it wins over the inventory's {@code client} mapping as -e does in
     * Ansible), so the merged configuration is passed again as {@code itbm_client}.
     */
    private static String limit(Inventory inventory, String client) {
        return inventory.hostNames().contains(client) ? client : client.replace('-', '_');
    }

    /**
     * Where the lifecycle playbooks are. With a development override ({@code --dev-playbooks DIR} or
     * {@code $BUDGETCTL_DEV_PLAYBOOKS}, audited) that directory and nothing else. Otherwise only the installation's,
     * found from where budgetctl's code is: {@code <jar dir>/../playbooks} (an installed layout, the jar in
     * {@code lib/}), {@code <jar dir>/../../playbooks} ({@code cli/target/budgetctl.jar} in a checkout) or, for
     * classes run from a build directory, {@code cli/target/classes/../../../playbooks}. Neither
     * {@code $BUDGETCTL_HOME} nor a {@code playbooks/} in or beside the deployments repository counts: whoever can
     * write there could change what a deploy runs without anyone seeing it.
     */
    public static Path playbookDir(Path devOverride, Path codeSource, String name) {
        List<Path> candidates = new ArrayList<>();
        if (devOverride != null) {
            candidates.add(devOverride);
        } else if (codeSource != null) {
            Path dir = Files.isRegularFile(codeSource) ? codeSource.getParent() : codeSource;
            if (Files.isRegularFile(codeSource)) {
                add(candidates, dir.getParent());
                add(candidates, dir.getParent() == null ? null : dir.getParent().getParent());
            } else {
                Path up = dir;
                for (int i = 0; i < 3 && up != null; i++) {
                    up = up.getParent();
                }
                add(candidates, up);
            }
        }
        for (Path c : candidates) {
            if (Files.isRegularFile(c.resolve(name + ".yml"))) {
                return c.toAbsolutePath().normalize();
            }
        }
        throw new EngineException(SourceLocation.of(name + ".yml"), "cannot find the playbook " + name
                + ".yml; looked in " + candidates.stream().map(Path::toString).toList(),
                devOverride != null ? "--dev-playbooks (or BUDGETCTL_DEV_PLAYBOOKS) must name a directory that holds "
                        + name + ".yml and roles/"
                        : "budgetctl's installation is incomplete: its playbooks/ and roles/ belong next to the jar"
                        + " (for a playbook under development use --dev-playbooks DIR)");
    }

    private static void add(List<Path> candidates, Path base) {
        if (base != null) {
            candidates.add(base.resolve("playbooks"));
        }
    }

    /** Who runs this, for the lock and the audit log: $BUDGETCTL_OPERATOR, else user@host. */
    public static String operator(Map<String, String> env) {
        String op = env.get("BUDGETCTL_OPERATOR");
        if (op != null && !op.isBlank()) {
            return op;
        }
        String user = System.getProperty("user.name", "unknown");
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            host = "unknown";
        }
        return user + "@" + host;
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
