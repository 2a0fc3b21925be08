package io.budgetctl.cli.lifecycle;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.budgetctl.engine.api.EngineException;
import io.budgetctl.engine.api.SourceLocation;
import io.budgetctl.engine.event.RunListener;
import io.budgetctl.engine.inventory.Inventory;
import io.budgetctl.engine.repo.AccessPolicy;
import io.budgetctl.engine.repo.Audit;
import io.budgetctl.engine.repo.Authorizer;
import io.budgetctl.engine.repo.DeploymentsRepository;
import io.budgetctl.engine.repo.RepositoryInventory;
import io.budgetctl.engine.report.JsonLinesListener;
import io.budgetctl.engine.run.Engine;
import io.budgetctl.engine.run.EngineServices;
import io.budgetctl.engine.run.RunRequest;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The base of the lifecycle commands ({@code deploy}, {@code status}, {@code rollback}, {@code lock} ...): each maps
 * {@code --client X [--repo DIR]} plus its own options to one playbook run. The deployments repository is opened
 * and turned into an in-memory inventory ({@link RepositoryInventory}), the playbook is found with
 * {@link #playbookDir}, and the run is limited to the client's host(s). Output options are those of
 * {@code budgetctl run}. Subclasses implement {@link #playbook()} and {@link #vars()}; the exit code is the engine's
 * unless the subclass overrides {@link #call()}.
 */
public abstract class LifecycleCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    protected CommandSpec spec;

    @Option(names = "--client", required = true, paramLabel = "ID", description = "The customer (client id).")
    protected String client;

    @Option(names = "--repo", paramLabel = "DIR",
            description = "The deployments repository (default: $BUDGETCTL_REPO, else the current directory).")
    protected Path repo;

    @Option(names = {"-e", "--extra-vars"}, paramLabel = "VARS",
            description = "Extra variables as for 'run' (key=value, JSON/YAML, @file; repeatable; win over ours).")
    protected List<String> extraVars = new ArrayList<>();

    @Option(names = {"-v", "--verbose"}, description = "More output: -v result JSON, -vv task paths. On a terminal, where only the step summary"
                    + " shows, -v adds the tasks and each further v is one level of 'run'.")
    protected boolean[] verbose = new boolean[0];

    @Option(names = {"-o", "--output"}, defaultValue = "human", paramLabel = "FORMAT",
            description = "human (default) or json (JSON lines, as 'run --output json').")
    protected Format output;

    /**
     * The environment budgetctl reads (operator, audit log, repository, home): {@code System.getenv()} unless a
     * test that runs {@code Main.run} in-process sets its own.
     */
    static volatile Map<String, String> environment;

    static Map<String, String> env() {
        Map<String, String> e = environment;
        return e != null ? e : System.getenv();
    }

    /** Output formats, as {@code budgetctl run}. */
    public enum Format { human, json }

    /**
     * The playbook's base name: {@code deploy} runs {@code playbooks/deploy.yml}. A command that changes the host
     * runs the playbook named like its access action; the read-only ones (all checked as {@code status}) name theirs.
     */
    protected String playbook() {
        return action();
    }

    /** The command's variables, passed as extra vars before the user's {@code -e} values. */
    protected abstract Map<String, Object> vars();

    /**
     * The access.yaml action this command is checked against (docs/access.md). Read-only commands count as
     * {@code status}; a command that changes the host names its own.
     */
    protected abstract String action();

    /** Check mode; commands that support it override (deploy). */
    protected boolean check() {
        return false;
    }

    /** Diff output; commands that support it override (deploy). */
    protected boolean diff() {
        return false;
    }

    @Override
    public Integer call() {
        return runPlaybook(playbook(), vars());
    }

    /** Runs {@code playbooks/<name>.yml} for this client with {@code vars} and the console/JSON listeners. */
    protected int runPlaybook(String name, Map<String, Object> vars) {
        PrintWriter out = spec.commandLine().getOut();
        List<RunListener> listeners = output == Format.json ? List.of(new JsonLinesListener(out)) : humanOutput(out);
        int code = runPlaybook(name, vars, listeners);
        out.flush();
        return code;
    }

    /** The task stream and the step summary ({@link StepSummary#humanOutput}: on a terminal, the stream is -v away). */
    protected List<RunListener> humanOutput(PrintWriter out) {
        return StepSummary.humanOutput(out, System.console() != null, color(), verbose.length, diff(),
                System::nanoTime);
    }

    /** Runs {@code playbooks/<name>.yml} for this client with {@code vars}, reporting to {@code listeners}. */
    protected int runPlaybook(String name, Map<String, Object> vars, List<RunListener> listeners) {
        Path root = repoDir();
        DeploymentsRepository r = DeploymentsRepository.open(root);
        if (!r.clientIds().contains(client)) {
            throw new EngineException(SourceLocation.of(root.resolve("clients").toString()),
                    "no customer '" + client + "' in the deployments repository " + root,
                    "known customers: " + String.join(", ", r.clientIds()));
        }
        try {
            authorize(r, env(), Path.of(System.getProperty("user.home")));
        } catch (Authorizer.Denied denied) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("ERROR! " + denied.oneLine());
            err.println("  hint: " + denied.hint());
            err.flush();
            return denied.exitCode();
        }
        Inventory inventory = RepositoryInventory.of(r);
        Path book = playbookDir(root, env(), jarDir(), name).resolve(name + ".yml");
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("client", client);
        all.put("itbm_client", r.mergedClient(client));
        all.put("budgetctl_operator", operator());
        all.putAll(vars);
        List<String> extra = new ArrayList<>();
        extra.add(json(all));
        extra.addAll(extraVars);
        RunRequest request = new RunRequest(List.of(book), List.of(), limit(inventory), extra, check(), diff(),
                List.of(), List.of(), 5, false, false, false, null, verbose.length);
        Map<String, Object> secrets = secretVars(r);
        EngineServices d = EngineServices.defaults();
        EngineServices services = secrets.isEmpty() ? d : new EngineServices(d.templater(), d.modules(), d.inventory(),
                (raw, base) -> {
                    Map<String, Object> merged = new LinkedHashMap<>(secrets);
                    merged.putAll(d.extraVars().parse(raw, base));
                    return merged;
                }, d.facts(), d.connections(), d.env());
        return Engine.run(request, listeners, services.withFixedInventory(inventory));
    }

    /**
     * Variables whose values are {@link io.budgetctl.engine.api.Secret}s (resolved from the repository's references
     * on first use): they never pass through the JSON of the extra vars, the engine masks their values in all output,
     * and the user's {@code -e} still wins over them. None by default.
     */
    protected Map<String, Object> secretVars(DeploymentsRepository r) {
        return Map.of();
    }

    /**
     * access.yaml's decision for {@link #action()} on this client, written to the controller's audit log; runs
     * before any inventory is built or host contacted.
     *
     * @throws Authorizer.Denied when access.yaml does not allow it (exit code 6)
     */
    void authorize(DeploymentsRepository r, Map<String, String> env, Path home) {
        new Authorizer(AccessPolicy.load(r), Audit.fromEnv(env, home), Authorizer.identify(env, home, null))
                .check(action(), r, client);
    }

    /**
     * The hosts of this client: the host named after it, or the group of its servers. The extra var {@code client}
     * is the id (the roles use it in paths; it wins over the inventory's {@code client} mapping as -e does in
     * Ansible), so the merged configuration is passed again as {@code itbm_client}.
     */
    private String limit(Inventory inventory) {
        return inventory.hostNames().contains(client) ? client : client.replace('-', '_');
    }

    /** {@code --repo}, else {@code $BUDGETCTL_REPO}, else the current directory. */
    protected Path repoDir() {
        if (repo != null) {
            return repo.toAbsolutePath().normalize();
        }
        String env = env().get("BUDGETCTL_REPO");
        return (env == null || env.isBlank() ? Path.of("") : Path.of(env)).toAbsolutePath().normalize();
    }

    /**
     * Where the lifecycle playbooks are, first match wins: {@code $BUDGETCTL_HOME/playbooks}; {@code playbooks/}
     * in the repository root or next to it (a checkout of this project: {@code inventory/} beside
     * {@code playbooks/}); next to the jar ({@code <jar dir>/../playbooks} for an installed layout,
     * {@code <jar dir>/../../playbooks} for {@code cli/target/budgetctl.jar} in a checkout).
     */
    static Path playbookDir(Path repoRoot, Map<String, String> env, Path jarDir, String name) {
        List<Path> candidates = new ArrayList<>();
        String home = env.get("BUDGETCTL_HOME");
        if (home != null && !home.isBlank()) {
            candidates.add(Path.of(home).resolve("playbooks"));
        }
        candidates.add(repoRoot.resolve("playbooks"));
        if (repoRoot.getParent() != null) {
            candidates.add(repoRoot.getParent().resolve("playbooks"));
        }
        if (jarDir != null && jarDir.getParent() != null) {
            candidates.add(jarDir.getParent().resolve("playbooks"));
            if (jarDir.getParent().getParent() != null) {
                candidates.add(jarDir.getParent().getParent().resolve("playbooks"));
            }
        }
        for (Path c : candidates) {
            if (Files.isRegularFile(c.resolve(name + ".yml"))) {
                return c.toAbsolutePath().normalize();
            }
        }
        throw new EngineException(SourceLocation.of(name + ".yml"), "cannot find the playbook " + name
                + ".yml; looked in " + candidates.stream().map(Path::toString).toList(),
                "set BUDGETCTL_HOME to the budgetctl directory that holds playbooks/ and roles/");
    }

    private static Path jarDir() {
        try {
            Path p = Path.of(LifecycleCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return Files.isRegularFile(p) ? p.getParent() : p;
        } catch (URISyntaxException | RuntimeException e) {
            return null;
        }
    }

    /** Who runs this, for the lock and the audit log: $BUDGETCTL_OPERATOR, else user@host. */
    static String operator() {
        String op = env().get("BUDGETCTL_OPERATOR");
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

    /** Colour as {@code run}: BUDGETCTL_FORCE_COLOR, then NO_COLOR, then a terminal. */
    protected boolean color() {
        if (output == Format.json) {
            return false;
        }
        String force = env().get("BUDGETCTL_FORCE_COLOR");
        if (force != null && !force.isEmpty() && !force.equals("0")) {
            return true;
        }
        String no = env().get("NO_COLOR");
        return (no == null || no.isEmpty()) && System.console() != null;
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
