package io.budgetctl.cli.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.budgetctl.engine.event.RunListener;
import io.budgetctl.lifecycle.Lifecycle;
import io.budgetctl.lifecycle.LifecycleResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A read-only lifecycle command: runs its playbook quietly, takes the JSON document the playbook declares as its result
 * (the task result it registers as {@link Lifecycle#RESULT_FACT}: the stdout of the task that printed it on the host) and shows it
 * as text or as one JSON document. A failed run prints what the
 * engine reported (as {@code run} would) and returns its exit code.
 */
abstract class ReadCommand extends LifecycleCommand {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Prints the document for people; returns the exit code. */
    protected abstract int printHuman(PrintWriter out, String host, JsonNode doc);

    /** Reading what runs on a host (status, history, audit) is the access.yaml action {@code status}. */
    @Override
    protected String action() {
        return "status";
    }

    /** Exit code for the JSON output (default 0). */
    protected int jsonExit(Map<String, JsonNode> docs) {
        return 0;
    }

    /** What {@code --output json} prints: the host's document, or all of them by host (plan shows its own view). */
    protected Object jsonView(Map<String, JsonNode> docs) {
        return docs.size() == 1 ? docs.values().iterator().next() : docs;
    }

    /** A read-only run: its exit code, each host's declared JSON document, and the run's console text. */
    record TaskRead(int code, Map<String, JsonNode> docs, String console) {
        /** The run failed or no host printed the document: the console text went to {@code out}; the exit code. */
        int reportFailure(PrintWriter out) {
            out.print(console);
            out.flush();
            return code == 0 ? 2 : code;
        }

        boolean failed() {
            return code != 0 || docs.isEmpty();
        }
    }

    /**
     * Runs {@code playbook} for {@code cmd}'s client with only the console listener buffered (shown on failure) and
     * takes the JSON document each host declared ({@link Lifecycle#RESULT_FACT}): how the read-only commands and
     * {@code modules install} learn what runs on the server.
     */
    static TaskRead read(LifecycleCommand cmd, String playbook, Map<String, Object> vars) {
        StringWriter engineOut = new StringWriter();
        PrintWriter sink = new PrintWriter(engineOut);
        RunListener console = new io.budgetctl.engine.report.ConsoleListener(sink, false, cmd.verbose.length, false);
        LifecycleResult run = cmd.run(playbook, vars, List.of(console), Lifecycle.RESULT_FACT);
        sink.flush();
        Map<String, JsonNode> docs = new LinkedHashMap<>();
        run.stdout(Lifecycle.RESULT_FACT).forEach((host, stdout) -> {
            try {
                docs.put(host, JSON.readTree(stdout));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        return new TaskRead(run.exitCode(), docs, engineOut.toString());
    }

    @Override
    public Integer call() {
        TaskRead read = read(this, playbook(), vars());
        PrintWriter out = spec.commandLine().getOut();
        if (read.failed()) {
            return read.reportFailure(out);
        }
        Map<String, JsonNode> docs = read.docs();
        int exit;
        if (output == Format.json) {
            out.println(json(jsonView(docs)));
            exit = jsonExit(docs);
        } else {
            exit = 0;
            for (Map.Entry<String, JsonNode> e : docs.entrySet()) {
                exit = Math.max(exit, printHuman(out, e.getKey(), e.getValue()));
            }
        }
        out.flush();
        return exit;
    }
}
