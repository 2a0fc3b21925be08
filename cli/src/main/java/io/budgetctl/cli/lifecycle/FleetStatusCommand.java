package io.budgetctl.cli.lifecycle;

import io.budgetctl.lifecycle.fleet.Cancellation;
import io.budgetctl.lifecycle.fleet.FleetScheduler;
import io.budgetctl.lifecycle.fleet.Journal;
import io.budgetctl.lifecycle.fleet.JournalEvent;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code budgetctl fleet status [RUN-ID]}: the fleet runs in the state directory, or one run customer by customer. */
@Command(name = "status", mixinStandardHelpOptions = true, sortOptions = false,
        description = "With a selection (--clients, --environment, --where, --all): live, from the hosts: every"
                + " selected customer's health, running version, lock and last action (the single-customer status,"
                + " --parallel at a time), one line each. Without one: the journal view, contacting no host: the"
                + " fleet runs in the state directory, newest last, with how each ended (or that it is still"
                + " running, or stopped); with a RUN-ID, every customer's state in that run.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {" 0:printed (journal view); every customer healthy (live; with --drift: and in sync)",
            " 1:the journal or repository does not load", " 2:live --drift: every customer healthy, some not in"
                + " sync with the repository", " 3:live: some customer is not healthy or unreachable",
            " 5:bad command line (also: a RUN-ID with a selection)"})
public final class FleetStatusCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "RUN-ID", description = "The run to show.")
    String runId;

    @picocli.CommandLine.Mixin
    FleetCommand.SelectionOptions select = new FleetCommand.SelectionOptions();

    @Option(names = "--parallel", paramLabel = "N", defaultValue = "8",
            description = "Live view: customers read at once (default 8).")
    int parallel;

    @Option(names = "--json", description = "Live view: one JSON object per customer.")
    boolean json;

    @Option(names = "--drift", description = "Live view: also each customer's plan (read only): in sync, or what"
            + " deploy would change (version, settings, restarts). Slower: one more playbook per customer.")
    boolean drift;

    @Option(names = {"-e", "--extra-vars"}, paramLabel = "VARS",
            description = "Live view: extra variables for every customer's status, as for 'status -e' (e.g. which"
                    + " SSH key and known_hosts: ansible_ssh_private_key_file, budgetctl_known_hosts; reserved names"
                    + " refused).")
    List<String> extraVars = new java.util.ArrayList<>();

    @Option(names = "--state-dir", paramLabel = "DIR",
            description = "Where the journals are (default: $BUDGETCTL_STATE_DIR, else ~/.budgetctl/fleet).")
    Path stateDir;

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        if (select.given()) {
            if (runId != null) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "RUN-ID and a selection cannot"
                        + " be used together: RUN-ID shows a run's journal, a selection reads the hosts");
            }
            if (parallel < 1) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                        "--parallel: must be at least 1 (e.g. --parallel 8)");
            }
            List<String> extra;
            try {
                extra = FleetRunOptions.extraVarArgs(extraVars);
            } catch (io.budgetctl.engine.api.EngineException e) {
                throw FleetCommand.usage(spec, e);
            }
            List<String> ids = select.waves(spec).stream().flatMap(w -> w.ids().stream()).toList();
            List<FleetLiveStatus.Row> rows = FleetLiveStatus.read(ids, select.repoDir().toString(), parallel, extra,
                    drift);
            return FleetLiveStatus.print(out, rows, json);
        }
        if (!extraVars.isEmpty()) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "-e/--extra-vars: only with a"
                    + " selection (--clients, --environment, --where, --all): the live view passes them to each"
                    + " customer's status; the journal view contacts no host");
        }
        Path state = FleetCommand.stateDir(stateDir);
        if (runId == null) {
            List<Path> runs;
            try (Stream<Path> s = Files.isDirectory(state) ? Files.list(state) : Stream.empty()) {
                runs = s.filter(p -> p.getFileName().toString().endsWith(".jsonl")).sorted().toList();
            }
            if (runs.isEmpty()) {
                out.println("no fleet runs in " + state);
            }
            for (Path p : runs) {
                String id = p.getFileName().toString().replaceFirst("\\.jsonl$", "");
                List<JournalEvent> ev = Journal.read(p).events();
                JournalEvent first = ev.isEmpty() ? null : ev.get(0);
                JournalEvent last = ev.isEmpty() ? null : ev.get(ev.size() - 1);
                out.println(id + "  " + (first == null ? "" : first.ts() + " by " + first.operator() + " "
                        + first.selection() + "  ") + where(state, id, last));
            }
            out.flush();
            return 0;
        }
        FleetCommand.checkRunId(spec, runId);
        Journal.Contents c = Journal.read(Journal.path(state, runId));
        JournalEvent last = c.events().isEmpty() ? null : c.events().get(c.events().size() - 1);
        out.println("fleet run " + runId + ": " + where(state, runId, last)
                + (c.tornTail() ? " (last line torn: the controller died while writing it)" : ""));
        Map<String, JournalEvent> states = FleetScheduler.lastCustomerEvents(c.events());
        for (JournalEvent e : states.values()) {
            out.printf("  %-16s wave %-3s %-12s %s%n", e.customer(), e.wave(), e.state(),
                    (e.reason() == null ? "" : e.reason()) + (e.log() == null ? "" : " (log " + e.log() + ")"));
        }
        out.flush();
        return 0;
    }

    private static String where(Path state, String id, JournalEvent last) {
        if (Journal.owned(state, id)) {
            String cancel = Cancellation.file(Journal.cancelPath(state, id)).requested();
            return "RUNNING now" + (cancel == null ? "" : ", CANCEL requested " + cancel
                    + ": running deploys finish, nothing new starts");
        }
        if (last != null && JournalEvent.RUN_END.equals(last.event())) {
            return "ended " + last.ts() + ": " + last.reason();
        }
        return "STOPPED without an end (controller died?): 'budgetctl fleet resume " + id + "' continues it";
    }
}
