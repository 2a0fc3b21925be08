package io.budgetctl.cli.lifecycle;

import io.budgetctl.engine.api.EngineException;
import io.budgetctl.lifecycle.fleet.FleetOptions;
import io.budgetctl.lifecycle.fleet.FleetScheduler;
import io.budgetctl.lifecycle.fleet.Journal;
import io.budgetctl.lifecycle.fleet.Wave;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code budgetctl fleet apply}: deploy every selected customer, wave by wave (docs/fleet.md). */
@Command(name = "apply", sortOptions = false,
        description = "Deploy each selected customer to its desired version (its client file's, or --version) with"
                + " the single-customer deploy, wave by wave, --parallel at a time, never two on one server, stopping"
                + " when --max-failures is exceeded. Every state change goes to a journal that 'fleet resume'"
                + " continues.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {" 0:every selected customer done", " 1:repository does not load",
            " 2:some customers failed, within the failure budget", " 5:bad command line",
            " 7:failure budget exceeded: the rollout stopped", " 8:not everyone done, nothing failed (window, lock)"})
public final class FleetApplyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    /**
     * Declared here instead of {@code mixinStandardHelpOptions}: picocli leaves out the whole standard mixin (help
     * too) when one of its names is taken, and {@code --version} is the version to deploy (as in DeployCommand).
     */
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Mixin
    FleetCommand.SelectionOptions select = new FleetCommand.SelectionOptions();

    @Mixin
    FleetRunOptions run = new FleetRunOptions();

    @Option(names = "--version", paramLabel = "vX.Y.Z",
            description = "Deploy this version to everyone (default: each client's pinned version).")
    String version;

    @Option(names = "--health-timeout", paramLabel = "SECONDS", description = "Passed to each deploy.")
    Integer healthTimeout;

    @Override
    public Integer call() throws InterruptedException {
        List<Wave> waves;
        FleetOptions options;
        List<String> extra;
        try {
            waves = select.waves(spec);
            options = run.over(FleetCommand.environmentDefaults(select.repoDir(), waves));
            extra = run.extraVarArgs();
        } catch (EngineException e) {
            throw FleetCommand.usage(spec, e);
        }
        Map<String, String> job = new LinkedHashMap<>();
        job.put("repo", select.repoDir().toString());
        if (version != null) {
            job.put("version", version);
        }
        if (healthTimeout != null) {
            job.put("health_timeout", String.valueOf(healthTimeout));
        }
        FleetOptions opts = options.withJob(job);
        Path state = run.stateDir();
        String runId = FleetScheduler.newRunId(Clock.systemUTC());
        try (Journal journal = Journal.create(state, runId)) {
            FleetDeployJob deploy = new FleetDeployJob(state.resolve(runId), FleetDeployJob.args(job, extra));
            return run.report(spec.commandLine().getOut(), state.resolve(runId),
                    l -> FleetRunOptions.scheduler(deploy, state, runId, l)
                    .apply(journal, runId, LifecycleCommand.operator(), select.selection().describe(), waves, opts));
        }
    }
}
