package io.budgetctl.engine.report;

import io.budgetctl.engine.event.HostResultEvent;
import io.budgetctl.engine.event.HostStats;
import io.budgetctl.engine.event.PlayEvent;
import io.budgetctl.engine.event.RunListener;
import io.budgetctl.engine.event.Status;
import io.budgetctl.engine.event.TaskEvent;
import io.budgetctl.engine.module.Result;
import io.budgetctl.engine.template.PyJson;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Human output, line for line what ansible-playbook 2.14 prints with its default stdout callback: banners padded
 * with {@code *} to 80 columns, {@code ok/changed/skipping/fatal} lines, loop items, {@code ...ignoring}, debug
 * results expanded, {@code -v} result JSON, {@code --diff} unified diffs and the PLAY RECAP table. With
 * {@code color} it uses Ansible's ANSI colours (green ok, yellow changed, red failed, bright red unreachable, cyan
 * skipped, bright purple ignored/warnings). The caller decides about colour (TTY, NO_COLOR).
 *
 * <p>Golden files captured from the real ansible-playbook (src/test/resources/report/capture-ansible.sh) pin the
 * format.
 */
public final class ConsoleListener implements RunListener {
    /** ansible-playbook uses max(79, terminal width - 1); without a terminal that is 79, so lines are 80 wide. */
    static final int COLUMNS = 79;
    static final int DIFF_CONTEXT = 3;

    /** Ansible's palette (ANSI SGR codes), shared by every human output that should read like the task stream. */
    public static final String OK = "0;32";
    public static final String CHANGED = "0;33";
    public static final String ERROR = "0;31";
    public static final String UNREACHABLE = "1;31";
    public static final String SKIP = "0;36";
    public static final String WARN = "1;35";
    static final String DEBUG = "1;30";
    static final String DIFF_ADD = "0;32";
    static final String DIFF_REMOVE = "0;31";
    static final String DIFF_LINES = "0;36";

    private static final Set<String> DEBUG_ACTIONS = Set.of("debug", "ansible.builtin.debug", "ansible.legacy.debug");
    private static final Set<String> DEBUG_MSG_KEYS = Set.of("msg", "exception", "warnings", "deprecations");
    private static final List<String> DEBUG_HIDDEN = List.of("changed", "failed", "skipped", "invocation",
            "skip_reason");

    private final PrintWriter out;
    private final boolean color;
    private final int verbosity;
    private final boolean diff;

    /** Hosts whose current task already printed loop items: their aggregate result prints no status line. */
    private final Set<String> hostsWithItems = new HashSet<>();
    /** Diffs of changed loop items, shown (like Ansible) after the items, before the next line for that host. */
    private final Map<String, List<Result.Diff>> pendingItemDiffs = new HashMap<>();
    private final Set<String> warningsShown = new HashSet<>();

    public ConsoleListener(PrintWriter out, boolean color, int verbosity, boolean diff) {
        this.out = out;
        this.color = color;
        this.verbosity = verbosity;
        this.diff = diff;
    }

    @Override
    public void playbookStart(String file) {
        if (verbosity > 1 && file != null) {
            Path name = Path.of(file).getFileName();
            banner("PLAYBOOK: " + (name == null ? file : name));
        }
    }

    @Override
    public void playStart(PlayEvent play) {
        // like Ansible's play.get_name(): an unnamed play is called by its host pattern
        String name = play.name() == null ? "" : play.name().strip();
        if (name.isEmpty() && play.pattern() != null) {
            name = play.pattern().strip();
        }
        banner(name.isEmpty() ? "PLAY" : "PLAY [" + name + "]");
        out.flush();
    }

    @Override
    public void taskStart(TaskEvent task) {
        hostsWithItems.clear();
        pendingItemDiffs.clear();
        if (task.kind() == TaskEvent.Kind.META) {
            return;
        }
        String prefix = task.kind() == TaskEvent.Kind.HANDLER ? "RUNNING HANDLER" : "TASK";
        banner(prefix + " [" + taskName(task) + "]");
        if (verbosity >= 2 && task.location() != null && task.location().line() > 0) {
            display("task path: " + task.location().file() + ":" + task.location().line(), DEBUG);
        }
        out.flush();
    }

    static String taskName(TaskEvent task) {
        String name = task.name() == null || task.name().isBlank() ? String.valueOf(task.action()) : task.name().strip();
        String role = task.role();
        if (role != null && !role.isEmpty() && !name.startsWith(role + " : ")) {
            name = role + " : " + name;
        }
        return name;
    }

    @Override
    public void hostResult(HostResultEvent r) {
        String host = hostLabel(r);
        Status status = r.status();
        boolean ignored = r.ignored() || status == Status.IGNORED;
        if (status == Status.IGNORED || status == Status.RESCUED) {
            status = Status.FAILED;
        }
        // a skipped debug task never ran, so its result is not "always verbose"
        boolean debugAction = r.task() != null && DEBUG_ACTIONS.contains(r.task().action())
                && status != Status.SKIPPED;
        // a module's own "always verbose" flag (assert unless quiet), which the default callback reads likewise
        boolean alwaysVerbose = debugAction || (r.data() != null
                && Boolean.TRUE.equals(r.data().get(io.budgetctl.engine.module.Result.VERBOSE_ALWAYS)));
        Map<String, Object> data = shownData(r, status, debugAction);
        // no_log replaces the whole result, debug's "always verbose" flag with it, and a loop's results too, so
        // Ansible then also prints the loop's own line after the items
        boolean censored = data.containsKey("censored");
        boolean verbose = verbosity > 0 || (alwaysVerbose && !censored);
        int indent = (alwaysVerbose && !censored) || verbosity > 2 ? 4 : 0;
        showWarnings(data);

        if (r.item() != null && status != Status.UNREACHABLE) {
            hostsWithItems.add(r.host());
            if (status == Status.CHANGED && r.diffs() != null) {
                pendingItemDiffs.computeIfAbsent(r.host(), h -> new ArrayList<>()).addAll(r.diffs());
            }
            switch (status) {
                case OK, CHANGED -> {
                    String msg = (status == Status.OK ? "ok" : "changed") + ": [" + host + "] => (item=" + r.item()
                            + ")";
                    if (verbose) {
                        msg += " => " + PyJson.display(data, indent);
                    }
                    display(msg, status == Status.OK ? OK : CHANGED);
                }
                case SKIPPED -> {
                    String msg = "skipping: [" + r.host() + "] => (item=" + r.item() + ") ";
                    if (verbose) {
                        msg += " => " + PyJson.display(data, indent);
                    }
                    display(msg, SKIP);
                }
                default -> {
                    showException(data);
                    display("failed: [" + host + "] (item=" + r.item() + ") => " + PyJson.display(data, indent), ERROR);
                }
            }
            out.flush();
            return;
        }

        boolean loopAggregate = hostsWithItems.remove(r.host()) && !censored;
        List<Result.Diff> itemDiffs = pendingItemDiffs.remove(r.host());
        if (diff) {
            List<Result.Diff> diffs = r.diffs() != null && !r.diffs().isEmpty() ? r.diffs() : itemDiffs;
            boolean changed = status == Status.CHANGED || Boolean.TRUE.equals(data.get("changed"));
            if (diffs != null && (changed || loopAggregate)) {
                showDiffs(diffs);
            }
        }
        switch (status) {
            case OK, CHANGED -> {
                if (!loopAggregate) {
                    String msg = (status == Status.OK ? "ok" : "changed") + ": [" + host + "]";
                    if (verbose) {
                        msg += " => " + PyJson.display(data, indent);
                    }
                    display(msg, status == Status.OK ? OK : CHANGED);
                }
            }
            case SKIPPED -> {
                String msg = "skipping: [" + r.host() + "]";
                if (verbose) {
                    msg += " => " + PyJson.display(data, indent);
                }
                display(msg, SKIP);
            }
            case UNREACHABLE -> {
                display("fatal: [" + host + "]: UNREACHABLE! => " + PyJson.display(data, indent), UNREACHABLE);
                if (ignored) {
                    display("...ignoring", SKIP);
                }
            }
            default -> {
                showException(data);
                if (!loopAggregate) {
                    display("fatal: [" + host + "]: FAILED! => " + PyJson.display(data, indent), ERROR);
                }
                if (ignored) {
                    display("...ignoring", SKIP);
                }
            }
        }
        out.flush();
    }

    private static String hostLabel(HostResultEvent r) {
        if (r.delegatedTo() != null && !r.delegatedTo().equals(r.host())) {
            return r.host() + " -> " + r.delegatedTo();
        }
        return r.host();
    }

    /**
     * The result dict as Ansible shows it: internal keys, failed/skipped, exception, and (below -vvv) invocation
     * and diff removed; changed, msg and unreachable filled in from the event when the executor left them out;
     * for debug only msg (or the variable) is kept.
     */
    private Map<String, Object> shownData(HostResultEvent r, Status status, boolean debugAction) {
        Map<String, Object> data = new LinkedHashMap<>();
        if (r.data() != null) {
            data.putAll(r.data());
        }
        data.keySet().removeIf(k -> k.startsWith("_ansible_"));
        data.remove("failed");
        data.remove("skipped");
        if (verbosity < 3) {
            data.remove("invocation");
            data.remove("diff");
        }
        if (debugAction) {
            if (data.containsKey("msg") || (r.msg() != null && data.isEmpty())) {
                data.putIfAbsent("msg", r.msg());
                data.keySet().removeIf(k -> !DEBUG_MSG_KEYS.contains(k));
            } else {
                DEBUG_HIDDEN.forEach(data::remove);
            }
            return data;
        }
        data.putIfAbsent("changed", status == Status.CHANGED);
        if (r.msg() != null) {
            data.putIfAbsent("msg", r.msg());
        }
        if (status == Status.UNREACHABLE) {
            data.putIfAbsent("unreachable", true);
        }
        return data;
    }

    private void showException(Map<String, Object> data) {
        Object exception = data.remove("exception");
        if (exception == null) {
            return;
        }
        String text = exception.toString().strip();
        String msg;
        if (verbosity < 3) {
            String[] lines = text.split("\n");
            msg = "An exception occurred during task execution. To see the full traceback, use -vvv. The error was: "
                    + lines[lines.length - 1];
        } else {
            msg = "The full traceback is:\n" + exception;
        }
        display(msg, ERROR);
    }

    private void showWarnings(Map<String, Object> data) {
        Object warnings = data.remove("warnings");
        if (warnings instanceof List<?> list) {
            list.forEach(w -> warning(String.valueOf(w)));
        }
    }

    /** Each text once per run, as Ansible's Display.warning in the controller. */
    @Override
    public void warning(String message) {
        String text = warningText(message);
        if (warningsShown.add(text)) {
            display(text, WARN);
            out.flush();
        }
    }

    /**
     * Every time, as Ansible's workers print them (a worker repeats no text within its one task on one host; the
     * engine sends each text once per task and host too), unless the run printed the same text as its own
     * {@link #warning} before. Printing one here does not stop a later run warning of the same text.
     */
    @Override
    public void hostWarning(String host, String message) {
        String text = warningText(message);
        if (!warningsShown.contains(text)) {
            display(text, WARN);
            out.flush();
        }
    }

    private static String warningText(String message) {
        return String.join("\n", wrap("[WARNING]: " + message, COLUMNS)) + "\n";
    }

    /** --list-hosts / --list-tasks / --syntax-check lines come formatted from the engine: printed as they are. */
    @Override
    public void listing(String line) {
        out.print(line);
        out.print('\n');
        out.flush();
    }

    @Override
    public void recap(Map<String, HostStats> stats) {
        banner("PLAY RECAP");
        for (Map.Entry<String, HostStats> e : new TreeMap<>(stats).entrySet()) {
            HostStats s = e.getValue();
            String hostColor = s.failed() != 0 || s.unreachable() != 0 ? ERROR : s.changed() != 0 ? CHANGED : OK;
            String host = color ? String.format("%-37s", paint(e.getKey(), hostColor)) : String.format("%-26s",
                    e.getKey());
            display(host + " : " + String.join(" ",
                    count("ok", s.ok(), OK),
                    count("changed", s.changed(), CHANGED),
                    count("unreachable", s.unreachable(), UNREACHABLE),
                    count("failed", s.failed(), ERROR),
                    count("skipped", s.skipped(), SKIP),
                    count("rescued", s.rescued(), OK),
                    count("ignored", s.ignored(), WARN)), null);
        }
        display("", null);
        out.flush();
    }

    private String count(String label, int n, String colour) {
        String s = String.format("%s=%-4s", label, n);
        return n != 0 ? paint(s, colour) : s;
    }

    @Override
    public void playbookEnd(int exitCode) {
        out.flush();
    }

    private void showDiffs(List<Result.Diff> diffs) {
        StringBuilder text = new StringBuilder();
        for (Result.Diff d : diffs) {
            List<String> before = linesForDiff(d.before());
            List<String> after = linesForDiff(d.after());
            String path = d.path();
            String fromFile = d.before() == null || path == null ? "before" : "before: " + path;
            String toFile = d.after() == null || path == null ? "after" : "after: " + path;
            List<String> lines = UnifiedDiff.diff(before, after, fromFile, toFile, DIFF_CONTEXT);
            for (String line : lines) {
                if (line.startsWith("+")) {
                    line = paint(line, DIFF_ADD);
                } else if (line.startsWith("-")) {
                    line = paint(line, DIFF_REMOVE);
                } else if (line.startsWith("@@")) {
                    line = paint(line, DIFF_LINES);
                }
                text.append(line);
            }
            if (!lines.isEmpty()) {
                text.append('\n');
            }
        }
        if (!text.isEmpty()) {
            display(text.toString(), null);
        }
    }

    /** Ansible marks a missing final newline inside the last line, so it shows up in the diff. */
    private static List<String> linesForDiff(String content) {
        List<String> lines = UnifiedDiff.splitLinesKeepEnds(content == null ? "" : content);
        if (!lines.isEmpty()) {
            int last = lines.size() - 1;
            if (!lines.get(last).endsWith("\n")) {
                lines.set(last, lines.get(last) + "\n\\ No newline at end of file\n");
            }
        }
        return lines;
    }

    /** "\nMSG ****" to COLUMNS wide, at least three stars. */
    private void banner(String msg) {
        msg = msg.strip();
        int stars = Math.max(3, COLUMNS - msg.codePointCount(0, msg.length()));
        display("\n" + msg + " " + "*".repeat(stars), null);
    }

    /** Ansible's Display.display: one trailing newline is kept out of the colour, each line coloured separately. */
    private void display(String msg, String colour) {
        String body = msg.endsWith("\n") ? msg.substring(0, msg.length() - 1) : msg;
        if (colour != null) {
            body = paint(body, colour);
        }
        out.print(body);
        out.print('\n');
    }

    private String paint(String text, String colour) {
        if (!color) {
            return text;
        }
        StringBuilder sb = new StringBuilder();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (i > 0) {
                sb.append('\n');
            }
            sb.append("\033[").append(colour).append('m').append(lines[i]).append("\033[0m");
        }
        return sb.toString();
    }

    /** Greedy word wrap at spaces (Python's textwrap.wrap for ordinary text). */
    static List<String> wrap(String text, int width) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split("\\s+")) {
            if (word.isEmpty()) {
                continue;
            }
            while (word.length() > width) {
                if (!line.isEmpty()) {
                    lines.add(line.toString());
                    line.setLength(0);
                }
                lines.add(word.substring(0, width));
                word = word.substring(width);
            }
            if (line.isEmpty()) {
                line.append(word);
            } else if (line.length() + 1 + word.length() <= width) {
                line.append(' ').append(word);
            } else {
                lines.add(line.toString());
                line.setLength(0);
                line.append(word);
            }
        }
        if (!line.isEmpty()) {
            lines.add(line.toString());
        }
        return lines;
    }
}
