package io.budgetctl.cli.lifecycle;

import io.budgetctl.engine.api.EngineException;
import io.budgetctl.engine.api.SourceLocation;
import io.budgetctl.engine.inventory.ExtraVars;
import io.budgetctl.lifecycle.fleet.Cancellation;
import io.budgetctl.lifecycle.fleet.CustomerJob;
import io.budgetctl.lifecycle.fleet.CustomerLocks;
import io.budgetctl.lifecycle.fleet.FailureBudget;
import io.budgetctl.lifecycle.fleet.FleetListener;
import io.budgetctl.lifecycle.fleet.FleetOptions;
import io.budgetctl.lifecycle.fleet.FleetReport;
import io.budgetctl.lifecycle.fleet.FleetResult;
import io.budgetctl.lifecycle.fleet.FleetScheduler;
import io.budgetctl.lifecycle.fleet.Journal;
import io.budgetctl.lifecycle.fleet.Sleeper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.Locale;
import picocli.CommandLine.Option;

/** How a fleet run proceeds and reports: shared by apply and resume (resume keeps the run's own unless given). */
final class FleetRunOptions {
    @Option(names = "--parallel", paramLabel = "N", description = "Customers at once (apply default: the environment file's fleet.parallel, else 1).")
    Integer parallel;

    @Option(names = "--max-failures", paramLabel = "N|N%",
            description = "Failures allowed before the rollout stops (apply default 0: stop at the first).")
    String maxFailures;

    @Option(names = "--pause", paramLabel = "DURATION", description = "Wait between waves: 30s, 10m, 1h.")
    String pause;

    @Option(names = "--wait-for-window", description = "Outside its maintenance window a customer waits for it.")
    boolean waitForWindow;

    @Option(names = "--ignore-windows",
            description = "Deploy outside maintenance windows (emergencies; recorded in the journal).")
    boolean ignoreWindows;

    @Option(names = {"-e", "--extra-vars"}, paramLabel = "VARS",
            description = "Extra variables for every customer's deploy, as for 'deploy -e' (key=value, JSON/YAML,"
                    + " @file; repeatable; reserved names refused). Not recorded in the journal: give them again"
                    + " to 'fleet resume'.")
    List<String> extraVars = new ArrayList<>();

    @Option(names = "--state-dir", paramLabel = "DIR",
            description = "Journals, logs and locks (default: $BUDGETCTL_STATE_DIR, else ~/.budgetctl/fleet).")
    Path stateDir;

    @Option(names = "--json", description = "JSON events (the journal's lines) instead of plain lines.")
    boolean json;

    @Option(names = "--junit", paramLabel = "FILE", description = "Also write a JUnit XML report (one case per customer).")
    Path junit;

    @Option(names = "--live", negatable = true, description = "A live table (customer, wave, state, step, elapsed,"
            + " result) redrawn in place; the default on a terminal, unless CI or TERM=dumb is set. --no-live: plain"
            + " lines.")
    Boolean live;

    /**
     * Whether the live table is drawn: never with --json; as asked by --live/--no-live; else on a terminal that is
     * not a CI runner's ($CI) or a dumb one (TERM=dumb).
     */
    static boolean live(Boolean asked, boolean json, boolean terminal, Map<String, String> env) {
        if (json) {
            return false;
        }
        if (asked != null) {
            return asked;
        }
        String ci = env.get("CI");
        return terminal && (ci == null || ci.isEmpty() || ci.equals("false")) && !"dumb".equals(env.get("TERM"));
    }

    Path stateDir() {
        return FleetCommand.stateDir(stateDir);
    }

    /**
     * The {@code -e} values as deploy arguments ({@code -e VALUE} each), after checking them as {@code deploy} does:
     * they must parse, and may not set a reserved variable ({@link LifecycleCommand#reserved}). Checked once here so
     * a bad value stops the run before any customer starts, instead of failing every customer's deploy.
     *
     * @throws EngineException located at {@code --extra-vars} (a usage error, exit 5) when a reserved name is set,
     *                         or where the value is (an {@code @file}) when it does not parse
     */
    List<String> extraVarArgs() {
        return extraVarArgs(extraVars);
    }

    /**
     * {@code values} (the {@code -e} option of a fleet command) checked as {@link #extraVarArgs()} describes, as
     * arguments for each customer's single-customer command; shared by apply, resume and the live status.
     */
    static List<String> extraVarArgs(List<String> extraVars) {
        List<String> args = new ArrayList<>();
        if (extraVars.isEmpty()) {
            return args;
        }
        Map<String, Object> parsed = ExtraVars.parse(extraVars, Path.of("").toAbsolutePath());
        Set<String> refused = new TreeSet<>();
        for (String key : parsed.keySet()) {
            if (LifecycleCommand.reserved(key)) {
                refused.add(key);
            }
        }
        if (!refused.isEmpty()) {
            throw new EngineException(SourceLocation.of("--extra-vars"), "may not set " + String.join(", ", refused)
                    + ": reserved variables (the deploy's own options, the customer's host and login, become, paths"
                    + " on the host)", "use the command's options (--version, --health-timeout, ...); the host and"
                    + " login come from each client file (docs/access.md)");
        }
        for (String v : extraVars) {
            args.add("-e");
            args.add(v);
        }
        return args;
    }

    /** {@code base} with the options given on this command line. */
    FleetOptions over(FleetOptions base) {
        FleetOptions o = base;
        if (parallel != null) {
            if (parallel < 1) {
                throw new EngineException(SourceLocation.of("--parallel"), "must be at least 1", "e.g. --parallel 4");
            }
            o = o.withParallel(parallel);
        }
        if (maxFailures != null) {
            o = o.withBudget(FailureBudget.parse(maxFailures));
        }
        if (pause != null) {
            o = o.withPause(duration(pause));
        }
        if (waitForWindow && ignoreWindows) {
            throw new EngineException(SourceLocation.of("--ignore-windows"),
                    "cannot be used with --wait-for-window", "choose one");
        }
        if (waitForWindow) {
            o = o.withWindows(FleetOptions.WindowPolicy.WAIT);
        }
        if (ignoreWindows) {
            o = o.withWindows(FleetOptions.WindowPolicy.IGNORE);
        }
        return o;
    }

    static Duration duration(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        if (t.matches("[0-9]{1,6}[smh]")) {
            long n = Long.parseLong(t.substring(0, t.length() - 1));
            return switch (t.charAt(t.length() - 1)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
            };
        }
        throw new EngineException(SourceLocation.of("--pause"), "'" + text + "' is not a duration",
                "a number and s, m or h: --pause 30s, --pause 10m, --pause 1h");
    }

    /**
     * Runs {@code body} with the live table, the plain or the JSON listener, prints the summary, writes JUnit; returns
     * the exit code. {@code logDir} holds the run's per-customer logs (the table's step column).
     */
    int report(PrintWriter out, Path logDir, Body body) throws InterruptedException {
        FleetResult result;
        if (live(live, json, System.console() != null, LifecycleCommand.env())) {
            try (FleetTable table = FleetTable.live(out, logDir)) {
                result = body.run(table);
            }
        } else {
            result = body.run(json ? FleetReport.json(out) : FleetReport.plain(out));
        }
        if (!json) {
            FleetReport.summary(result).forEach(out::println);
        }
        out.flush();
        if (junit != null) {
            try {
                Files.writeString(junit, FleetReport.junit(result), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new EngineException(SourceLocation.of(junit.toString()), "cannot write the JUnit report: "
                        + e.getMessage(), "check that the directory exists and is writable", e);
            }
        }
        return result.exitCode();
    }

    /** The scheduler of run {@code runId}: real clock, locks in the state dir, cancelled by 'fleet cancel'. */
    static FleetScheduler scheduler(CustomerJob job, Path stateDir, String runId, FleetListener listener) {
        return new FleetScheduler(job, Clock.systemUTC(), Sleeper.real(), new CustomerLocks(stateDir),
                List.of(listener), Cancellation.file(Journal.cancelPath(stateDir, runId)));
    }

    interface Body {
        FleetResult run(FleetListener listener) throws InterruptedException;
    }
}
