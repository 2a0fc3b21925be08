package io.budgetctl.cli.lifecycle;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.budgetctl.cli.Errors;
import io.budgetctl.engine.api.EngineException;
import io.budgetctl.engine.api.SourceLocation;
import io.budgetctl.engine.event.RunListener;
import io.budgetctl.engine.inventory.ExtraVars;
import io.budgetctl.lifecycle.repo.Authorizer;
import io.budgetctl.lifecycle.repo.DeploymentsRepository;
import io.budgetctl.lifecycle.repo.Identifiers;
import io.budgetctl.engine.report.JsonLinesListener;
import io.budgetctl.engine.run.ExitCodes;
import io.budgetctl.lifecycle.secrets.SecretResolver;
import io.budgetctl.lifecycle.Lifecycle;
import io.budgetctl.lifecycle.LifecycleRequest;
import io.budgetctl.lifecycle.LifecycleResult;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * {@code --client X [--repo DIR]} plus its own options to one {@link Lifecycle#run} (the workflow lives in the
 * lifecycle module: repository, access, inventory, playbook, variables, secrets, the run, the declared result); this
 * class checks the command line's input, builds the {@link LifecycleRequest} and formats the output. Output options
 * are those of {@code budgetctl run}. Subclasses implement {@link #playbook()} and {@link #vars()}; the exit code is the engine's
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
        return run(name, vars, listeners).exitCode();
    }

    /**
     * Runs {@code playbooks/<name>.yml} for this client through {@link Lifecycle#run}, reporting to {@code listeners};
     * the result holds, per host, the values of the variables {@code resultFacts} the playbook declares (registered
     * results or set_fact facts, {@link io.budgetctl.lifecycle.LifecycleResult}). Input refused
     * ({@link #checkInput}) and access.yaml's refusal are reported on stderr with their exit codes; the workflow's
     * other errors reach {@code Main}.
     */
    protected LifecycleResult run(String name, Map<String, Object> vars, List<RunListener> listeners,
                                  String... resultFacts) {
        try {
            checkInput();
        } catch (EngineException bad) {
            Errors.report(bad, spec.commandLine().getErr());
            return LifecycleResult.notRun(ExitCodes.USAGE);
        }
        try {
            return Lifecycle.run(LifecycleRequest.builder().repository(repoDir()).client(client).action(action())
                    .playbook(name).vars(vars).repositoryVars(this::repositoryVars).extraVars(extraVars)
                    .check(check()).diff(diff()).verbosity(verbose.length).devPlaybooks(devPlaybooks())
                    .codeSource(codeSource()).listeners(listeners).secretVars(this::secretVars)
                    .releaseSecretsFirst(resolveReleaseSecretsFirst()).env(env()).home(home())
                    .resultFacts(resultFacts).build());
        } catch (Authorizer.Denied denied) {
            Errors.report(denied, spec.commandLine().getErr());
            return LifecycleResult.notRun(denied.exitCode());
        }
    }

    /** The controller user's home (audit log, operator identity). */
    private static Path home() {
        return Path.of(System.getProperty("user.home"));
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
     * Whether this command reads the release's secrets before it starts ({@link Lifecycle#releaseSecrets}: deploy,
     * which renders a release on every run) instead of on first use.
     */
    protected boolean resolveReleaseSecretsFirst() {
        return false;
    }

    /** A secret resolver with the command's environment ({@link #env()}: SOPS_AGE_KEY_FILE, VAULT_ADDR, HOME ...). */
    static SecretResolver resolver(Path root) {
        return Lifecycle.resolver(root, env());
    }

    /**
     * access.yaml's decision for {@link #action()} on this client, written to the controller's audit log; runs
     * before any inventory is built or host contacted.
     *
     * @throws Authorizer.Denied when access.yaml does not allow it (exit code 6)
     */
    void authorize(DeploymentsRepository r, Map<String, String> env, Path home) {
        Lifecycle.authorize(r, action(), client, devPlaybooks(env), env, home);
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

    /** {@code --repo}, else {@code $BUDGETCTL_REPO}, else the current directory. */
    protected Path repoDir() {
        if (repo != null) {
            return repo.toAbsolutePath().normalize();
        }
        String env = env().get("BUDGETCTL_REPO");
        return (env == null || env.isBlank() ? Path.of("") : Path.of(env)).toAbsolutePath().normalize();
    }

    /** Where the lifecycle playbooks are: {@link Lifecycle#playbookDir}. */
    static Path playbookDir(Path devOverride, Path codeSource, String name) {
        return Lifecycle.playbookDir(devOverride, codeSource, name);
    }

    /** The jar budgetctl runs from, or its classes directory; null when it cannot be told. */
    static Path codeSource() {
        try {
            return Path.of(LifecycleCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException | RuntimeException e) {
            return null;
        }
    }

    /** Who runs this, for the lock and the audit log: {@link Lifecycle#operator} of {@link #env()}. */
    static String operator() {
        return Lifecycle.operator(env());
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
