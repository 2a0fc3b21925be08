package io.budgetctl.cli.lifecycle;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.budgetctl.cli.Errors;
import io.budgetctl.engine.api.EngineException;
import io.budgetctl.engine.api.Secret;
import io.budgetctl.engine.api.SourceLocation;
import io.budgetctl.engine.secrets.SecretResolver;
import io.budgetctl.lifecycle.secrets.ReleaseSecrets;
import io.budgetctl.engine.secrets.SecretsEnv;
import io.budgetctl.engine.secrets.Sops;
import io.budgetctl.engine.secrets.VaultClient;
import io.budgetctl.engine.secrets.VaultSettings;
import io.budgetctl.engine.event.RunListener;
import io.budgetctl.engine.inventory.ExtraVars;
import io.budgetctl.engine.inventory.Inventory;
import io.budgetctl.engine.repo.AccessPolicy;
import io.budgetctl.engine.repo.Audit;
import io.budgetctl.engine.repo.Authorizer;
import io.budgetctl.engine.repo.DeploymentsRepository;
import io.budgetctl.engine.repo.Identifiers;
import io.budgetctl.engine.report.JsonLinesListener;
import io.budgetctl.engine.run.Engine;
import io.budgetctl.engine.run.EngineServices;
import io.budgetctl.engine.run.ExitCodes;
import io.budgetctl.engine.run.RunRequest;
import io.budgetctl.lifecycle.ValidatedRepository;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The base of the lifecycle commands ({@code deploy}, {@code status}, {@code rollback}, {@code lock} ...): each maps
 * {@code --client X [--repo DIR]} plus its own options to one playbook run. The deployments repository is opened
 * and turned into an in-memory inventory ({@link ValidatedRepository}: validated once per content), the playbook is found with
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
            description = "Extra variables as for 'run' (key=value, JSON/YAML, @file; repeatable). The command's own"
                    + " variables, the host's connection and become settings and the paths on the host are"
                    + " reserved and refused (docs/access.md).")
    protected List<String> extraVars = new ArrayList<>();

    @Option(names = "--dev-playbooks", paramLabel = "DIR",
            description = "Run the lifecycle playbooks (and roles) in DIR instead of the installed ones; for"
                    + " developing them. Recorded in the audit log (also: $BUDGETCTL_DEV_PLAYBOOKS).")
    protected Path devPlaybooks;

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

    /** The environment budgetctl reads: the test's when one set it, else the process's. */
    public static Map<String, String> env() {
        Map<String, String> e = environment;
        return e != null ? e : System.getenv();
    }

    /** Output formats, as {@code budgetctl run}. */
    public enum Format { human, json }

    /**
     * Variables a lifecycle command's {@code -e} may not set (docs/access.md): who and what the command is about
     * (access.yaml decided on them), the identifiers it checked, where the host is and how budgetctl logs in and
     * becomes root there, and the paths on the host the roles work in.
     */
    static final Set<String> RESERVED = Set.of("client", "itbm_client", "budgetctl_operator", "action", "version",
            "itbm_version", "force", "to", "restore_db", "backup_id", "restore_from", "restore_other_version",
            "itbm_root", "itbm_dir", "itbm_project", "runbook_root", "ansible_host", "ansible_ssh_host",
            "ansible_user", "ansible_ssh_user", "remote_user", "ansible_port", "ansible_ssh_port",
            "ansible_connection", "ansible_ssh_common_args", "ansible_ssh_extra_args", "ansible_ssh_args",
            "ansible_host_key_checking", "budgetctl_ssh_proxy_jump", "budgetctl_ssh_host_key", "budgetctl_ssh_key", "budgetctl_ssh_key_ref",
            "ansible_check_mode",
            "ansible_diff_mode", "playbook_dir", "itbm_fingerprint", "itbm_settings", "itbm_redeploy");
    /** Prefixes of reserved variables: become settings, the deploy lock's, the identifier patterns. */
    static final List<String> RESERVED_PREFIXES = List.of("ansible_become", "become", "deploy_lock_",
            "identifier_pattern_");

    /** A value this command sends to the host, how the user gave it and the kind it must be. */
    protected record Input(String option, Identifiers.Kind kind, String value) {
    }

    /**
     * The identifiers this command sends to the host besides {@code --client} (e.g. {@code --to}), each checked
     * against its kind's pattern before the repository is opened; absent options are left out.
     */
    protected List<Input> identifiers() {
        return List.of();
    }

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
     * The command's variables that come from the deployments repository (e.g. deploy's desired version and
     * configuration fingerprint), computed once the repository is open and the client authorized; none by default.
     *
     * @throws EngineException (file, what is wrong, a hint) when the repository does not say what the command needs
     */
    protected Map<String, Object> repositoryVars(DeploymentsRepository r) {
        return Map.of();
    }

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
        return StepSummary.humanOutput(out, onTerminal(), color(), verbose.length, diff(),
                System::nanoTime);
    }

    /** Runs {@code playbooks/<name>.yml} for this client with {@code vars}, reporting to {@code listeners}. */
    protected int runPlaybook(String name, Map<String, Object> vars, List<RunListener> listeners) {
        try {
            checkInput();
        } catch (EngineException bad) {
            PrintWriter err = spec.commandLine().getErr();
            Errors.report(bad, err);
            return ExitCodes.USAGE;
        }
        Path root = repoDir();
        // validated once per repository content, however many customers this JVM runs (fleet status, fleet apply)
        ValidatedRepository valid = ValidatedRepository.open(root, env(), LifecycleCommand::resolver);
        DeploymentsRepository r = valid.repo();
        if (!r.clientIds().contains(client)) {
            throw new EngineException(SourceLocation.of(root.resolve("clients").toString()),
                    "no customer '" + client + "' in the deployments repository " + root,
                    "known customers: " + String.join(", ", r.clientIds()));
        }
        try {
            authorize(r, env(), Path.of(System.getProperty("user.home")));
        } catch (Authorizer.Denied denied) {
            PrintWriter err = spec.commandLine().getErr();
            Errors.report(denied, err);
            return denied.exitCode();
        }
        // with the resolver the customer's ssh.key becomes a lazy secret the SSH connection resolves and parses in
        // memory before the run touches the host (the inventory's 'client' mapping, which also turns secret, is
        // shadowed by the extra var 'client' below)
        Inventory inventory = valid.inventory();
        Path book = playbookDir(devPlaybooks(), codeSource(), name).resolve(name + ".yml");
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("client", client);
        all.put("itbm_client", r.mergedClient(client));
        all.put("budgetctl_operator", operator());
        all.putAll(vars);
        // the registry the server pulls from, from the client file (its password and CA come with the secrets)
        all.putAll(ReleaseSecrets.registryVars(r.mergedClient(client), clientFile(r)));
        all.putAll(repositoryVars(r));
        List<String> extra = new ArrayList<>();
        extra.add(json(all));
        extra.addAll(extraVars);
        RunRequest request = RunRequest.builder().playbook(book).limit(limit(inventory)).extraVars(extra).check(check())
                .diff(diff()).verbosity(verbose.length).build();
        Map<String, Object> secrets = new LinkedHashMap<>(releaseSecrets(r));
        secrets.putAll(secretVars(r));
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
     * The secrets a release needs on the host ({@link ReleaseSecrets}: external database and Redis passwords and CAs,
     * the licence portal's instance token, the integrations' passwords), as {@code itbm_secret_<name>} variables.
     * Commands that render a release on every run ({@link #resolveReleaseSecretsFirst()}: deploy) read every reference
     * now, so a reference that cannot be read stops the run before any host is touched; the others (rollback renders
     * only when no kept release exists) get them lazily, so a command that renders nothing never needs the keys.
     */
    Map<String, Object> releaseSecrets(DeploymentsRepository r) {
        SourceLocation where = clientFile(r);
        SecretResolver resolver = resolver(r.root());
        Map<String, Object> merged = r.mergedClient(client);
        if (resolveReleaseSecretsFirst()) {
            return ReleaseSecrets.resolveAll(merged, where, resolver::resolve);
        }
        Map<String, Object> lazy = new LinkedHashMap<>();
        for (ReleaseSecrets.Ref ref : ReleaseSecrets.references(merged, where)) {
            lazy.put(ref.variable(), Secret.lazy(() -> ReleaseSecrets.resolve(ref, where, resolver::resolve).reveal()));
        }
        return lazy;
    }

    /** This command's client file, named in errors about its settings. */
    SourceLocation clientFile(DeploymentsRepository r) {
        return SourceLocation.of(r.root().resolve("clients").resolve(client + ".yaml").toString());
    }

    /** Whether this command reads the release's secrets before it starts (see {@link #releaseSecrets}). */
    protected boolean resolveReleaseSecretsFirst() {
        return false;
    }

    /** A secret resolver with the command's environment ({@link #env()}: SOPS_AGE_KEY_FILE, VAULT_ADDR, HOME ...). */
    static SecretResolver resolver(Path root) {
        Map<String, String> env = env();
        SecretsEnv se = new SecretsEnv(env, Path.of(env.getOrDefault("HOME", System.getProperty("user.home"))));
        return new SecretResolver(root, new Sops(se), () -> new VaultClient(VaultSettings.fromEnv(se)));
    }

    /**
     * access.yaml's decision for {@link #action()} on this client, written to the controller's audit log; runs
     * before any inventory is built or host contacted.
     *
     * @throws Authorizer.Denied when access.yaml does not allow it (exit code 6)
     */
    void authorize(DeploymentsRepository r, Map<String, String> env, Path home) {
        Path dev = devPlaybooks(env);
        new Authorizer(AccessPolicy.load(r), Audit.fromEnv(env, home), Authorizer.identify(env, home, null))
                .check(action(), r, client, dev == null ? Map.of() : Map.of("dev_playbooks", dev.toString()));
    }

    /**
     * Refuses, before the repository is opened or any host contacted: a {@code --client} or another identifier
     * ({@link #identifiers()}) that does not match its pattern, and {@code -e} values that set a reserved variable.
     *
     * @throws EngineException (one line naming the option or variable, with a hint) when the input is refused
     */
    void checkInput() {
        Identifiers.check("--client", Identifiers.Kind.CLIENT, client);
        for (Input in : identifiers()) {
            if (in.value() != null) {
                Identifiers.check(in.option(), in.kind(), in.value());
            }
        }
        checkOptions();
        if (extraVars.isEmpty()) {
            return;
        }
        Set<String> refused = new TreeSet<>();
        Set<String> own = vars().keySet();
        for (String key : ExtraVars.parse(extraVars, Path.of("").toAbsolutePath()).keySet()) {
            if (reserved(key) || own.contains(key)) {
                refused.add(key);
            }
        }
        if (!refused.isEmpty()) {
            throw new EngineException(SourceLocation.UNKNOWN, "-e may not set " + String.join(", ", refused)
                    + " for '" + spec.commandLine().getCommandName() + "': reserved variables (the command's own"
                    + " options, the customer's host and login, become, paths on the host)",
                    "use the command's options (--client, --version, --to, ...); the host and login come from the"
                            + " client file in the deployments repository (docs/access.md)");
        }
    }

    /**
     * The command's own checks of option values that reach the host (e.g. {@code --since}), run with the identifier
     * checks before the repository is opened; throws {@link EngineException} (one line and a hint, exit 5).
     */
    protected void checkOptions() {
    }

    static boolean reserved(String key) {
        return RESERVED.contains(key) || RESERVED_PREFIXES.stream().anyMatch(key::startsWith);
    }

    /** {@code --dev-playbooks}, else {@code $BUDGETCTL_DEV_PLAYBOOKS}, else null (the installed playbooks). */
    private Path devPlaybooks() {
        return devPlaybooks(env());
    }

    private Path devPlaybooks(Map<String, String> env) {
        if (devPlaybooks != null) {
            return devPlaybooks.toAbsolutePath().normalize();
        }
        String dev = env.get("BUDGETCTL_DEV_PLAYBOOKS");
        return dev == null || dev.isBlank() ? null : Path.of(dev).toAbsolutePath().normalize();
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
     * Where the lifecycle playbooks are. With a development override ({@code --dev-playbooks DIR} or
     * {@code $BUDGETCTL_DEV_PLAYBOOKS}, audited) that directory and nothing else. Otherwise only the installation's,
     * found from where budgetctl's code is: {@code <jar dir>/../playbooks} (an installed layout, the jar in
     * {@code lib/}), {@code <jar dir>/../../playbooks} ({@code cli/target/budgetctl.jar} in a checkout) or, for
     * classes run from a build directory, {@code cli/target/classes/../../../playbooks}. Neither
     * {@code $BUDGETCTL_HOME} nor a {@code playbooks/} in or beside the deployments repository counts: whoever can
     * write there could change what a deploy runs without anyone seeing it.
     */
    static Path playbookDir(Path devOverride, Path codeSource, String name) {
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

    /** The jar budgetctl runs from, or its classes directory; null when it cannot be told. */
    static Path codeSource() {
        try {
            return Path.of(LifecycleCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
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
        return (no == null || no.isEmpty()) && onTerminal();
    }

    /**
     * Whether this command's output goes to a person's terminal: this process's console, unless the command runs
     * inside another one with its output in a file (a fleet run's per-customer log), which sets
     * {@link #inFile()}. A log written as if to a terminal would hold colour codes and the step summary instead of the
     * task stream, which the fleet reads for the failure's reason and the step a customer is at.
     */
    protected boolean onTerminal() {
        return !inFile && System.console() != null;
    }

    private boolean inFile;

    /** This command's output goes to a file, whatever this process's terminal is; returns this command. */
    public LifecycleCommand inFile() {
        inFile = true;
        return this;
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
