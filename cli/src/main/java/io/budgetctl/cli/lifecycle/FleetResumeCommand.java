package io.budgetctl.cli.lifecycle;

import io.budgetctl.engine.api.EngineException;
import io.budgetctl.lifecycle.repo.DeploymentsRepository;
import io.budgetctl.lifecycle.fleet.FleetCustomer;
import io.budgetctl.lifecycle.fleet.FleetCustomers;
import io.budgetctl.lifecycle.fleet.FleetOptions;
import io.budgetctl.lifecycle.fleet.Journal;
import io.budgetctl.lifecycle.fleet.JournalEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code budgetctl fleet resume RUN-ID}: continue a stopped fleet run from its journal (docs/fleet.md). */
@Command(name = "resume", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Continue a fleet run from its journal: done and failed customers are not deployed again;"
                + " customers that were running when the controller died are reported and run again only with"
                + " --retry-interrupted; the rest are queued. The run's waves, version and options are kept unless"
                + " given here.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {" 0:every customer of the run done", " 1:journal or repository does not load, or the run is"
                + " still owned by a live controller", " 2:some customers failed, within the failure budget",
            " 5:bad command line", " 7:failure budget exceeded", " 8:not everyone done, nothing failed"})
public final class FleetResumeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "RUN-ID", description = "The run to continue ('fleet status' lists them).")
    String runId;

    @Mixin
    FleetRunOptions run = new FleetRunOptions();

    @Option(names = "--retry-interrupted",
            description = "Deploy again the customers whose deploy died with the controller (check their host first).")
    boolean retryInterrupted;

    @Option(names = "--repo", paramLabel = "DIR", description = "The deployments repository (default: the run's).")
    Path repo;

    @Override
    public Integer call() throws InterruptedException, IOException {
        FleetCommand.checkRunId(spec, runId);
        Path state = run.stateDir();
        try (Journal journal = Journal.reopen(state, runId)) {
            List<JournalEvent> history = Journal.read(journal.file()).events();
            if (history.isEmpty() || history.get(0).options() == null) {
                throw new EngineException(io.budgetctl.engine.api.SourceLocation.of(journal.file().toString()),
                        "the journal does not start with a run_start line", "it is not a fleet journal, or it was cut");
            }
            FleetOptions recorded = FleetOptions.fromMap(history.get(0).options());
            FleetOptions options;
            List<String> extra;
            try {
                options = run.over(recorded);
                extra = run.extraVarArgs();
            } catch (EngineException e) {
                throw FleetCommand.usage(spec, e);
            }
            if (retryInterrupted) {
                options = options.withRetryInterrupted(true);
            }
            Map<String, String> job = new LinkedHashMap<>(options.job());
            if (repo != null) {
                job.put("repo", repo.toAbsolutePath().normalize().toString());
            }
            FleetOptions opts = options.withJob(job);
            // a cancel request belongs to the controller it stopped; this one starts afresh
            Files.deleteIfExists(Journal.cancelPath(state, runId));
            DeploymentsRepository r = DeploymentsRepository.open(Path.of(job.get("repo")));
            Map<String, FleetCustomer> current = new LinkedHashMap<>();
            FleetCustomers.load(r).forEach(c -> current.put(c.id(), c));
            FleetDeployJob deploy = new FleetDeployJob(state.resolve(runId), FleetDeployJob.args(job, extra));
            return run.report(spec.commandLine().getOut(), state.resolve(runId),
                    l -> FleetRunOptions.scheduler(deploy, state, runId, l)
                    .resume(journal, history, LifecycleCommand.operator(), current, opts));
        }
    }
}
