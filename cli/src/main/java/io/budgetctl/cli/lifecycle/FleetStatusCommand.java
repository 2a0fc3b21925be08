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
        description = "Without a run id: the fleet runs in the state directory, newest last, with how each ended"
                + " (or that it is still running, or stopped). With one: every customer's state in that run,"
                + " from its journal. Reads only the journal; contacts no host.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {" 0:printed", " 1:the journal does not load", " 5:bad command line"})
public final class FleetStatusCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "RUN-ID", description = "The run to show.")
    String runId;

    @Option(names = "--state-dir", paramLabel = "DIR",
            description = "Where the journals are (default: $BUDGETCTL_STATE_DIR, else ~/.budgetctl/fleet).")
    Path stateDir;

    @Override
    public Integer call() throws IOException {
        Path state = FleetCommand.stateDir(stateDir);
        PrintWriter out = spec.commandLine().getOut();
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
