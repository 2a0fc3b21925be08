package io.budgetctl.cli.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.budgetctl.engine.event.HostResultEvent;
import io.budgetctl.engine.event.RunListener;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A read-only lifecycle command: runs its playbook quietly, takes the JSON that one task printed on the host
 * ({@link #collectTask()}'s stdout) and shows it as text or as one JSON document. A failed run prints what the
 * engine reported (as {@code run} would) and returns its exit code.
 */
abstract class ReadCommand extends LifecycleCommand {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The name of the task whose stdout is the JSON document. */
    protected abstract String collectTask();

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

    /** The JSON printed by one named task, per host, as the run reports it. */
    private static final class TaskJson implements RunListener {
        private final String task;
        final Map<String, JsonNode> docs = new LinkedHashMap<>();

        TaskJson(String task) {
            this.task = task;
        }

        @Override
        public void hostResult(HostResultEvent r) {
            if (r.item() == null && r.task() != null && task.equals(r.task().name())
                    && r.data().get("stdout") != null) {
                try {
                    docs.put(r.host(), JSON.readTree(String.valueOf(r.data().get("stdout"))));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }

    /** A read-only run: its exit code, the JSON each host's named task printed, and the run's console text. */
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
     * collects the JSON that {@code task} printed on each host: how the read-only commands and {@code modules
     * install} learn what runs on the server.
     */
    static TaskRead read(LifecycleCommand cmd, String playbook, Map<String, Object> vars, String task) {
        StringWriter engineOut = new StringWriter();
        PrintWriter sink = new PrintWriter(engineOut);
        RunListener console = new io.budgetctl.engine.report.ConsoleListener(sink, false, cmd.verbose.length, false);
        TaskJson collect = new TaskJson(task);
        int code = cmd.runPlaybook(playbook, vars, List.of(console, collect));
        sink.flush();
        return new TaskRead(code, collect.docs, engineOut.toString());
    }

    @Override
    public Integer call() {
        TaskRead read = read(this, playbook(), vars(), collectTask());
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
