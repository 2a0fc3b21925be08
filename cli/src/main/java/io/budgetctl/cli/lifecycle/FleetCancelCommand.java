package io.budgetctl.cli.lifecycle;

import io.budgetctl.engine.api.EngineException;
import io.budgetctl.engine.api.SourceLocation;
import io.budgetctl.lifecycle.fleet.Journal;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code budgetctl fleet cancel RUN-ID}: ask a running fleet run to start no new customer (docs/fleet.md). */
@Command(name = "cancel", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Ask the controller running RUN-ID to start no new customer: deploys already running finish,"
                + " the rest are skipped naming who cancelled, the journal records it ('fleet status RUN-ID' shows"
                + " it) and 'fleet resume RUN-ID' continues later. Returns at once; the run ends when its running"
                + " deploys have finished.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {" 0:cancel requested", " 1:no such run, or it is not running", " 5:bad command line"})
public final class FleetCancelCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "RUN-ID", description = "The run to cancel ('fleet status' lists them).")
    String runId;

    @Option(names = "--reason", paramLabel = "TEXT", description = "Why (one line, recorded in the journal).")
    String reason;

    @Option(names = "--state-dir", paramLabel = "DIR",
            description = "Where the journals are (default: $BUDGETCTL_STATE_DIR, else ~/.budgetctl/fleet).")
    Path stateDir;

    @Override
    public Integer call() {
        FleetCommand.checkRunId(spec, runId);
        Path state = FleetCommand.stateDir(stateDir);
        Path journal = Journal.path(state, runId);
        if (!Files.isRegularFile(journal)) {
            throw new EngineException(SourceLocation.of(journal.toString()), "no fleet run '" + runId + "'",
                    "'budgetctl fleet status' lists the runs of this state directory (--state-dir)");
        }
        if (!Journal.owned(state, runId)) {
            throw new EngineException(SourceLocation.of(journal.toString()), "fleet run '" + runId
                    + "' is not running: no controller holds it, so nothing starts that a cancel could stop",
                    "'budgetctl fleet status " + runId + "' shows how it ended; a stopped run stays stopped unless"
                            + " you 'fleet resume' it");
        }
        String line = "by " + LifecycleCommand.operator() + " at " + Instant.now().truncatedTo(ChronoUnit.SECONDS)
                + (reason == null || reason.isBlank() ? "" : ": " + oneLine(reason));
        Path file = Journal.cancelPath(state, runId);
        try {
            Path tmp = Files.createTempFile(state, runId + ".", ".cancel.tmp");
            Files.writeString(tmp, line + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new EngineException(SourceLocation.of(file.toString()), "cannot write the cancel request: "
                    + e.getMessage(), "check that the state directory is writable", e);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("fleet run " + runId + ": cancel requested " + line + "; running deploys finish, nothing new"
                + " starts ('budgetctl fleet status " + runId + "' follows it)");
        out.flush();
        return 0;
    }

    /** Control characters and line breaks become spaces; at most 200 characters. */
    static String oneLine(String text) {
        String s = text.replaceAll("[\\p{Cntrl}\\s]+", " ").strip();
        return s.length() > 200 ? s.substring(0, 197) + "..." : s;
    }
}
