package io.budgetctl.cli.lifecycle;

import io.budgetctl.engine.event.HostResultEvent;
import io.budgetctl.engine.event.RunListener;
import io.budgetctl.engine.event.Status;
import io.budgetctl.engine.event.TaskEvent;
import io.budgetctl.engine.report.ConsoleListener;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The short account of a lifecycle run: one line per step (result, seconds, step) after the task stream, or instead
 * of it on a terminal. A step is a task written in the playbook itself ({@code take the deploy lock},
 * {@code migrate}, ...): the tasks its include brings in from a role count for it. Tasks of a role that the play
 * lists under {@code roles:} make one step named after the role; a handler is a step of its own. Bookkeeping
 * ({@code set_fact} that went fine) is left out.
 *
 * <p>A step's result is the worst of its hosts' results (unreachable, failed, ignored, changed, ok, skipped); a
 * failure prints the host and the message under the step. When the summary replaces the task stream ({@code notes}),
 * what the playbook says to the operator ({@code debug} messages, warnings) prints under its step too, and each step
 * prints when it ends, as progress.
 */
final class StepSummary implements RunListener {
    static final String INDENT = " ".repeat(21);

    private final PrintWriter out;
    private final boolean color;
    private final boolean live;
    private final LongSupplier nanos;

    private String playbook;
    private final List<Step> steps = new ArrayList<>();
    private Step current;
    private long started = -1;
    private boolean headerShown;

    /**
     * @param live print each step as it ends, with debug messages and warnings (the summary is all the operator
     *             sees); otherwise print the whole summary when the playbook ends, after the task stream
     * @param nanos a monotonic clock ({@code System::nanoTime})
     */
    StepSummary(PrintWriter out, boolean color, boolean live, LongSupplier nanos) {
        this.out = out;
        this.color = color;
        this.live = live;
        this.nanos = nanos;
    }

    /**
     * What a lifecycle command prints while its playbook runs, as people read it. Not on a terminal (CI, pipes,
     * tests): the task stream as {@code budgetctl run} prints it at this {@code -v}, then the summary. On a terminal:
     * the summary, as it happens; the task stream is one {@code -v} away ({@code -vv} there is {@code -v} of
     * {@code run}) and {@code --diff} shows it too, since the diffs are in it.
     */
    static List<RunListener> humanOutput(PrintWriter out, boolean terminal, boolean color, int verbosity,
                                         boolean diff, LongSupplier nanos) {
        if (!terminal) {
            return List.of(new ConsoleListener(out, color, verbosity, diff), new StepSummary(out, color, false, nanos));
        }
        if (verbosity == 0 && !diff) {
            return List.of(new StepSummary(out, color, true, nanos));
        }
        return List.of(new ConsoleListener(out, color, Math.max(0, verbosity - 1), diff),
                new StepSummary(out, color, false, nanos));
    }

    /** How a step ended, best first; a step shows its worst. */
    enum Result {
        // the task stream's palette, so a step reads like its tasks
        skipped(ConsoleListener.SKIP), ok(ConsoleListener.OK), changed(ConsoleListener.CHANGED),
        ignored(ConsoleListener.WARN), failed(ConsoleListener.ERROR),
        unreachable(ConsoleListener.UNREACHABLE);

        final String colour;

        Result(String colour) {
            this.colour = colour;
        }

        static Result of(HostResultEvent r) {
            return switch (r.status()) {
                case OK, RESCUED -> ok;
                case CHANGED -> changed;
                case SKIPPED -> skipped;
                case IGNORED -> ignored;
                case FAILED -> r.ignored() ? ignored : failed;
                case UNREACHABLE -> r.ignored() ? ignored : unreachable;
            };
        }

        Result worst(Result other) {
            return other == null || compareTo(other) >= 0 ? this : other;
        }
    }

    private static final class Step {
        final String name;
        final String action;
        /** Tasks from role files belong to this step: an include, or the role a {@code roles:} entry runs. */
        final boolean include;
        final String role;
        final long start;
        long end = -1;
        Result result;
        final List<String> notes = new ArrayList<>();

        Step(String name, String action, boolean include, String role, long start) {
            this.name = name;
            this.action = action;
            this.include = include;
            this.role = role;
            this.start = start;
        }

        /** Bookkeeping the operator does not need to see: a set_fact that did not fail. */
        boolean bookkeeping() {
            return action != null && bare(action).equals("set_fact") && notes.isEmpty()
                    && (result == null || result == Result.ok || result == Result.skipped);
        }
    }

    @Override
    public void playbookStart(String file) {
        playbook = file;
        if (started < 0) {
            started = nanos.getAsLong();
        }
    }

    @Override
    public void taskStart(TaskEvent t) {
        if (t.kind() == TaskEvent.Kind.META) {
            return;
        }
        boolean inPlaybook = playbook != null && t.location() != null && playbook.equals(t.location().file());
        if (t.kind() == TaskEvent.Kind.HANDLER || inPlaybook) {
            begin(new Step(t.name(), t.action(), isInclude(t.action()), null, nanos.getAsLong()));
        } else if (current != null && (current.include || (t.role() != null && t.role().equals(current.role)))) {
            // brought in by the current step's include, or the next task of the same role
        } else if (t.role() != null) {
            begin(new Step(t.role(), null, false, t.role(), nanos.getAsLong()));
        } else {
            begin(new Step(t.name(), t.action(), false, null, nanos.getAsLong()));
        }
    }

    @Override
    public void hostResult(HostResultEvent r) {
        if (current == null) {
            return;
        }
        if (live && r.task() != null && isDebug(r.task().action()) && r.status() == Status.OK
                && (r.item() != null || !r.data().containsKey("results"))) {
            debugLines(r.data()).forEach(line -> current.notes.add(line));
        }
        if (r.item() != null) {
            return;
        }
        Result result = Result.of(r);
        current.result = result.worst(current.result);
        if (result == Result.failed || result == Result.unreachable) {
            current.notes.add(r.host() + ": " + failure(r));
        }
    }

    @Override
    public void warning(String message) {
        if (live && current != null) {
            current.notes.add("[WARNING]: " + message);
        }
    }

    @Override
    public void playbookEnd(int exitCode) {
        long now = nanos.getAsLong();
        finish(now);
        if (!live) {
            for (Step s : steps) {
                print(s);
            }
        }
        header();
        Result total = exitCode == 0 ? steps.stream().map(s -> s.result).filter(r -> r == Result.changed)
                .findFirst().orElse(Result.ok)
                : exitCode == io.budgetctl.engine.run.ExitCodes.HOST_UNREACHABLE ? Result.unreachable : Result.failed;
        row(total, started < 0 ? 0 : now - started, "total");
        if (live && exitCode != 0) {
            out.println(INDENT + "(every task and its result: run again with -v)");
        }
        out.flush();
    }

    private void begin(Step step) {
        finish(step.start);
        steps.add(step);
        current = step;
        if (started < 0) {
            started = step.start;
        }
    }

    private void finish(long at) {
        if (current != null && current.end < 0) {
            current.end = at;
            if (live) {
                print(current);
                out.flush();
            }
        }
    }

    private void print(Step s) {
        if (s.bookkeeping()) {
            return;
        }
        header();
        row(s.result == null ? Result.ok : s.result, s.end - s.start, s.name);
        for (String note : s.notes) {
            for (String line : note.split("\n", -1)) {
                out.println(INDENT + line);
            }
        }
    }

    private void header() {
        if (headerShown) {
            return;
        }
        headerShown = true;
        out.println();
        out.println("STEPS " + "*".repeat(73));
        out.println(String.format(Locale.ROOT, "%-11s %7s  %s", "RESULT", "SECONDS", "STEP"));
    }

    private void row(Result result, long nanosTaken, String name) {
        String word = String.format("%-11s", result.name());
        if (color) {
            word = "\u001b[" + result.colour + "m" + result.name() + "\u001b[0m" + word.substring(result.name().length());
        }
        out.println(word + String.format(Locale.ROOT, " %7.1f  %s", nanosTaken / 1e9, name));
    }

    /** The module's message, and the last line of stderr when there is one (what a failed command said). */
    private static String failure(HostResultEvent r) {
        String msg = r.msg() == null || r.msg().isBlank() ? "failed" : r.msg().strip();
        if (r.data().get("stderr") instanceof String err && !err.isBlank()) {
            String[] lines = err.strip().split("\n");
            String last = lines[lines.length - 1].strip();
            if (!msg.contains(last)) {
                msg += " (stderr: " + last + ")";
            }
        }
        return msg;
    }

    /** What a debug task printed: its msg (a list prints one line per element), or the variable it showed. */
    private static List<String> debugLines(Map<String, Object> data) {
        Object msg = data.get("msg");
        if (msg instanceof List<?> list) {
            return list.stream().map(String::valueOf).toList();
        }
        if (msg != null) {
            return List.of(String.valueOf(msg));
        }
        List<String> lines = new ArrayList<>();
        data.forEach((k, v) -> {
            if (!k.startsWith("_ansible") && !List.of("changed", "failed", "skipped").contains(k)) {
                lines.add(k + ": " + v);
            }
        });
        return lines;
    }

    private static boolean isDebug(String action) {
        return action != null && bare(action).equals("debug");
    }

    private static boolean isInclude(String action) {
        return action != null && (bare(action).equals("include_role") || bare(action).equals("include_tasks"));
    }

    private static String bare(String action) {
        for (String prefix : new String[] {"ansible.builtin.", "ansible.legacy."}) {
            if (action.startsWith(prefix)) {
                return action.substring(prefix.length());
            }
        }
        return action;
    }
}
