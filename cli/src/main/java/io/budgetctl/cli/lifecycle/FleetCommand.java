package io.budgetctl.cli.lifecycle;

import io.budgetctl.engine.api.EngineException;
import io.budgetctl.lifecycle.repo.DeploymentsRepository;
import io.budgetctl.lifecycle.fleet.FleetCustomer;
import io.budgetctl.lifecycle.fleet.FleetCustomers;
import io.budgetctl.lifecycle.fleet.FleetOptions;
import io.budgetctl.lifecycle.fleet.Selection;
import io.budgetctl.lifecycle.fleet.Wave;
import io.budgetctl.lifecycle.fleet.Waves;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code budgetctl fleet plan|apply|status|resume|cancel}: many customers at once, through the fleet library
 * (io.budgetctl.lifecycle.fleet, docs/fleet.md). The subcommands only map options onto it.
 */
@Command(name = "fleet", mixinStandardHelpOptions = true,
        description = "Roll out to many customers: selection, waves, parallelism, failure budget, maintenance windows"
                + " and a durable journal that 'resume' continues (docs/fleet.md).",
        subcommands = {FleetCommand.Plan.class, FleetApplyCommand.class, FleetStatusCommand.class,
                FleetResumeCommand.class, FleetCancelCommand.class},
        exitCodeListHeading = "%nExit codes (apply, resume):%n",
        exitCodeList = {" 0:every selected customer done", " 1:repository or journal does not load",
            " 2:some customers failed, within the failure budget",
            " 5:bad command line", " 7:failure budget exceeded: the rollout stopped (summary lists who never started)",
            " 8:nothing failed but not everyone is done (outside the window, locked, died mid-deploy)"})
public final class FleetCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Which customers, and in which waves: shared by plan and apply. */
    static final class SelectionOptions {
        @Option(names = "--repo", paramLabel = "DIR",
                description = "The deployments repository (default: $BUDGETCTL_REPO, else the current directory).")
        Path repo;

        @Option(names = "--clients", paramLabel = "ID,ID", description = "These customers (comma-separated).")
        List<String> clients = new ArrayList<>();

        @Option(names = "--environment", paramLabel = "NAME", description = "Customers of this environment.")
        String environment;

        @Option(names = "--where", paramLabel = "TAG=VALUE",
                description = "Customers whose client file has this tag (repeatable; all must match).")
        List<String> where = new ArrayList<>();

        @Option(names = "--all", description = "Every customer (needed when no other criterion is given).")
        boolean all;

        @Option(names = "--waves-by", paramLabel = "TAG", description = "One wave per value of a tag, e.g. ring.")
        String wavesBy;

        @Option(names = "--waves", paramLabel = "SIZES",
                description = "Wave sizes: counts, percentages, a final 'rest', e.g. 1,10%%,rest.")
        String waves;

        /** True when any selection option was given (what makes {@code fleet status} live). */
        boolean given() {
            return !clients.isEmpty() || environment != null || !where.isEmpty() || all;
        }

        Path repoDir() {
            if (repo != null) {
                return repo.toAbsolutePath().normalize();
            }
            String env = LifecycleCommand.env().get("BUDGETCTL_REPO");
            return (env == null || env.isBlank() ? Path.of("") : Path.of(env)).toAbsolutePath().normalize();
        }

        Selection selection() {
            return Selection.parse(clients, environment, where, all);
        }

        List<Wave> waves(CommandSpec spec) {
            if (wavesBy != null && waves != null) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--waves-by and --waves cannot be used together");
            }
            Path root = repoDir();
            List<FleetCustomer> chosen = selection().apply(FleetCustomers.load(DeploymentsRepository.open(root)),
                    root.toString());
            return wavesBy != null ? Waves.byTag(chosen, wavesBy)
                    : waves != null ? Waves.bySizes(chosen, waves) : Waves.single(chosen);
        }
    }

    /**
     * {@link FleetOptions#defaults()} with what the selected customers' environment files say ({@code fleet.parallel},
     * the smallest when the selection spans environments); the command line's options go over these.
     */
    static FleetOptions environmentDefaults(Path repo, List<Wave> waves) {
        List<FleetCustomer> chosen = waves.stream().flatMap(w -> w.customers().stream()).toList();
        OptionalInt parallel = FleetCustomers.parallel(DeploymentsRepository.open(repo), chosen);
        FleetOptions d = FleetOptions.defaults();
        return parallel.isPresent() ? d.withParallel(parallel.getAsInt()) : d;
    }

    /** A run id as {@code FleetScheduler.newRunId} makes them; anything else is refused before it names a file. */
    static void checkRunId(CommandSpec spec, String runId) {
        if (runId == null || !runId.matches("[0-9]{8}T[0-9]{6}Z-[0-9a-f]{4}")) {
            throw new CommandLine.ParameterException(spec.commandLine(), "RUN-ID: '" + runId + "' is not a fleet"
                    + " run id (like 20261204T172712Z-3f2a; 'budgetctl fleet status' lists them)");
        }
    }

    /** An option value the fleet library refused (its location names the option): a bad command line, exit 5. */
    static RuntimeException usage(CommandSpec spec, EngineException e) {
        if (e.location().file().startsWith("--")) {
            return new CommandLine.ParameterException(spec.commandLine(), e.oneLine()
                    + (e.hint() == null ? "" : " (" + e.hint() + ")"));
        }
        return e;
    }

    /** {@code --state-dir}, else $BUDGETCTL_STATE_DIR, else ~/.budgetctl/fleet. */
    static Path stateDir(Path option) {
        if (option != null) {
            return option.toAbsolutePath().normalize();
        }
        Map<String, String> env = LifecycleCommand.env();
        String s = env.get("BUDGETCTL_STATE_DIR");
        if (s != null && !s.isBlank()) {
            return Path.of(s).toAbsolutePath().normalize();
        }
        return Path.of(System.getProperty("user.home"), ".budgetctl", "fleet");
    }

    /** {@code budgetctl fleet plan}: the selection and its waves; touches no host. */
    @Command(name = "plan", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Print the selected customers and the waves 'apply' would run, with each customer's"
                    + " version, servers and maintenance window; contacts no host.",
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {" 0:printed", " 1:the repository does not load", " 5:bad command line"})
    static final class Plan implements java.util.concurrent.Callable<Integer> {
        @Spec
        CommandSpec spec;

        @CommandLine.Mixin
        SelectionOptions select = new SelectionOptions();

        @Override
        public Integer call() {
            List<Wave> waves;
            try {
                waves = select.waves(spec);
            } catch (EngineException e) {
                throw usage(spec, e);
            }
            java.io.PrintWriter out = spec.commandLine().getOut();
            io.budgetctl.lifecycle.fleet.FleetReport.plan(select.selection().describe(), waves,
                    java.time.Instant.now()).forEach(out::println);
            out.flush();
            return 0;
        }
    }
}
