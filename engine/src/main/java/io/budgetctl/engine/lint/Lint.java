package io.budgetctl.engine.lint;

import io.budgetctl.engine.api.EngineException;
import io.budgetctl.engine.api.SourceLocation;
import io.budgetctl.engine.playbook.Keywords;
import io.budgetctl.engine.yaml.YamlLoader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * {@code budgetctl lint}: checks playbooks, task files and vars files on their raw YAML (so it works on files the
 * loader would reject) against a few rules, see docs/lint.md. A finding is silenced by {@code # noqa: rule-id}
 * (or a bare {@code # noqa}) on the task's first line or on the finding's own line.
 */
public final class Lint {
    public static final String UNNAMED_TASK = "unnamed-task";
    public static final String NO_CHANGED_WHEN = "no-changed-when";
    public static final String COMMAND_INSTEAD_OF_SHELL = "command-instead-of-shell";
    public static final String PACKAGE_LATEST = "package-latest";
    public static final String WORLD_WRITABLE = "world-writable";
    public static final String NO_PLAIN_PASSWORD = "no-plain-password";
    public static final String SYNTAX_ERROR = "syntax-error";
    /** Strict only: a template expression in a shell command that is not passed through {@code quote}. */
    public static final String SHELL_UNQUOTED_VAR = "shell-unquoted-var";

    private static final Set<String> TASK_LISTS = Set.of("tasks", "pre_tasks", "post_tasks", "handlers");
    private static final Set<String> BLOCK_LISTS = Set.of("block", "rescue", "always");
    private static final Set<String> COMMANDS = Set.of("command", "shell", "raw");
    private static final Set<String> PACKAGES = Set.of("apt", "yum", "dnf", "package", "pip", "zypper", "apk",
            "pacman", "homebrew", "gem", "npm");
    private static final Pattern NOQA = Pattern.compile("#\\s*noqa\\b(?::?\\s*([A-Za-z0-9_\\-,\\s]+))?");
    private static final Pattern SECRET_NAME = Pattern.compile("(?i).*(password|passwd|secret|token).*");
    /** What only a shell does: pipes, redirects, globs, variables, lists, tests, or more than one line. */
    private static final Pattern SHELL_ONLY = Pattern.compile("[|<>;*?$`~&\\n]|\\[\\[");
    private static final Pattern SYMBOLIC_WRITE = Pattern.compile("^([ugoa]*)[+=][rwxXst]*w");
    private static final Pattern EXPRESSION = Pattern.compile("\\{\\{-?(.*?)-?}}", Pattern.DOTALL);
    /**
     * The last filter makes the value one shell word ({@code quote}), a number ({@code int}, {@code float}), or
     * words each quoted ({@code map('quote') | join(' ')}).
     */
    private static final Pattern SHELL_SAFE = Pattern.compile("(?s).*\\|\\s*(quote|int|float"
            + "|map\\(\\s*['\"]quote['\"]\\s*\\)\\s*\\|\\s*join\\(\\s*['\"] ['\"]\\s*\\))\\s*");

    private Lint() {
    }

    /** Checks every {@code .yml}/{@code .yaml} file in {@code paths} (directories recursively). */
    public static List<Finding> check(List<Path> paths) {
        return check(paths, false);
    }

    /**
     * As {@link #check(List)}; {@code strict} adds the rules for code that runs on customers' hosts
     * ({@link #SHELL_UNQUOTED_VAR}).
     */
    public static List<Finding> check(List<Path> paths, boolean strict) {
        List<Finding> out = new ArrayList<>();
        for (Path p : paths) {
            for (Path f : files(p)) {
                out.addAll(checkFile(f, strict));
            }
        }
        out.sort(Comparator.comparing((Finding f) -> f.location().file()).thenComparingInt(f -> f.location().line())
                .thenComparingInt(f -> f.location().column()).thenComparing(Finding::ruleId));
        return out;
    }

    private static List<Path> files(Path p) {
        if (!Files.exists(p)) {
            throw new EngineException(SourceLocation.of(p.toString()), "path not found",
                    "pass playbook files or directories to lint");
        }
        if (!Files.isDirectory(p)) {
            return List.of(p);
        }
        try (Stream<Path> s = Files.walk(p)) {
            return s.filter(Files::isRegularFile).filter(f -> {
                String n = f.getFileName().toString();
                return n.endsWith(".yml") || n.endsWith(".yaml");
            }).filter(f -> !hidden(p.relativize(f))).sorted().toList();
        } catch (IOException e) {
            throw new EngineException(SourceLocation.of(p.toString()), "cannot list: " + e.getMessage(),
                    "check that the directory is readable", e);
        }
    }

    private static boolean hidden(Path rel) {
        for (Path part : rel) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    static List<Finding> checkFile(Path file, boolean strict) {
        List<Node> docs;
        try {
            docs = YamlLoader.composeAll(file);
        } catch (EngineException e) {
            return List.of(new Finding(SYNTAX_ERROR, e.location(), e.getMessage()));
        }
        Checker c = new Checker(noqa(file), strict ? lines(file) : null);
        for (Node doc : docs) {
            if (doc instanceof SequenceNode seq) {
                for (Node item : seq.getValue()) {
                    if (item instanceof MappingNode m) {
                        if (YamlLoader.get(m, "hosts").isPresent() || YamlLoader.get(m, "import_playbook").isPresent()) {
                            c.play(m);
                        } else {
                            c.task(m);
                        }
                    }
                }
            } else if (doc instanceof MappingNode m) {
                c.vars(m, null); // a vars file (group_vars, defaults, vars)
            }
        }
        return c.findings;
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return List.of();
        }
    }

    /** Line number (1-based) to the rule ids silenced there; an empty set means every rule. */
    private static Map<Integer, Set<String>> noqa(Path file) {
        Map<Integer, Set<String>> out = new HashMap<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return out;
        }
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = NOQA.matcher(lines.get(i));
            if (m.find()) {
                Set<String> ids = new HashSet<>();
                if (m.group(1) != null) {
                    for (String id : m.group(1).split("[,\\s]+")) {
                        if (!id.isBlank()) {
                            ids.add(id.strip());
                        }
                    }
                }
                out.put(i + 1, ids);
            }
        }
        return out;
    }

    private static final class Checker {
        final Map<Integer, Set<String>> noqa;
        /** The file's lines when strict rules apply, else null. */
        final List<String> strictLines;
        final List<Finding> findings = new ArrayList<>();

        Checker(Map<Integer, Set<String>> noqa, List<String> strictLines) {
            this.noqa = noqa;
            this.strictLines = strictLines;
        }

        void play(MappingNode play) {
            YamlLoader.get(play, "vars").ifPresent(v -> vars(v, null));
            for (NodeTuple t : play.getValue()) {
                String key = YamlLoader.text(t.getKeyNode());
                if (key != null && TASK_LISTS.contains(key) && t.getValueNode() instanceof SequenceNode s) {
                    for (Node n : s.getValue()) {
                        if (n instanceof MappingNode m) {
                            task(m);
                        }
                    }
                }
            }
        }

        void task(MappingNode task) {
            List<NodeTuple> entries = task.getValue();
            boolean block = false;
            for (NodeTuple t : entries) {
                String key = YamlLoader.text(t.getKeyNode());
                if (key != null && BLOCK_LISTS.contains(key) && t.getValueNode() instanceof SequenceNode s) {
                    block = true;
                    for (Node n : s.getValue()) {
                        if (n instanceof MappingNode m) {
                            task(m);
                        }
                    }
                }
            }
            YamlLoader.get(task, "vars").ifPresent(v -> vars(v, task));
            if (block) {
                return;
            }
            if (YamlLoader.get(task, "name").isEmpty()) {
                report(UNNAMED_TASK, task, task, "task has no name",
                        "name every task so the run output and the audit log say what happened");
            }
            NodeTuple module = module(task);
            if (module == null) {
                return;
            }
            String name = shortName(YamlLoader.text(module.getKeyNode()));
            Node args = module.getValueNode();
            Node extra = YamlLoader.get(task, "args").orElse(null);
            if (COMMANDS.contains(name)) {
                boolean guarded = YamlLoader.get(task, "changed_when").isPresent() || hasArg(args, extra, "creates")
                        || hasArg(args, extra, "removes");
                if (!guarded) {
                    report(NO_CHANGED_WHEN, task, task, name + " task always reports changed",
                            "add changed_when: (or creates:/removes:) so re-runs show what really changed");
                }
            }
            if (name.equals("shell") && !hasArg(args, extra, "executable")) {
                String cmd = commandText(args);
                if (cmd != null && !SHELL_ONLY.matcher(cmd.replaceAll("\\{\\{.*?}}|\\{%.*?%}", "").strip()).find()) {
                    report(COMMAND_INSTEAD_OF_SHELL, task, module.getKeyNode(),
                            "shell used where command would do (no pipes, redirects, globs, variables or &&)",
                            "use command: it does not go through a shell, so nothing is interpreted by accident");
                }
            }
            if (strictLines != null && (name.equals("shell") || name.equals("raw"))) {
                unquoted(task, name, args);
            }
            if (PACKAGES.contains(name)) {
                Node state = arg(args, extra, "state");
                if (state != null && "latest".equals(YamlLoader.text(state))) {
                    report(PACKAGE_LATEST, task, state, name + " with state: latest installs whatever is newest",
                            "pin a version or use state: present so deployments are repeatable");
                }
            }
            Node mode = arg(args, extra, "mode");
            if (mode instanceof ScalarNode ms && worldWritable(ms)) {
                report(WORLD_WRITABLE, task, ms, "mode " + ms.getValue() + " makes the file writable by everyone",
                        "drop the o+w bit, e.g. 0644 for files or 0755 for directories");
            }
        }

        void vars(Node vars, MappingNode task) {
            if (!(vars instanceof MappingNode m)) {
                return;
            }
            for (NodeTuple t : m.getValue()) {
                String key = YamlLoader.text(t.getKeyNode());
                if (key == null || !SECRET_NAME.matcher(key).matches() || key.matches("(?i).*_(file|path|dir)$")) {
                    continue;
                }
                if (t.getValueNode() instanceof ScalarNode v && Tag.STR.equals(v.getTag()) && !v.getValue().isEmpty()
                        && !v.getValue().contains("{{")) {
                    report(NO_PLAIN_PASSWORD, task, t.getKeyNode(), "'" + key + "' holds a literal secret",
                            "reference the secret instead, e.g. \"{{ lookup('env', 'DB_PASSWORD') }}\" or a secrets"
                                    + " file outside the repository");
                }
            }
        }

        /** {@link #SHELL_UNQUOTED_VAR}: each {@code {{ }}} in the command whose last filter is not quote/int/float. */
        private void unquoted(MappingNode task, String module, Node args) {
            Node cmd = args instanceof MappingNode m ? YamlLoader.get(m, "cmd").orElse(null) : args;
            if (!(cmd instanceof ScalarNode scalar)) {
                return;
            }
            Map<String, Integer> seen = new HashMap<>();
            Matcher m = EXPRESSION.matcher(scalar.getValue());
            while (m.find()) {
                if (SHELL_SAFE.matcher(m.group(1)).matches()) {
                    continue;
                }
                int nth = seen.merge(m.group(), 1, Integer::sum);
                report(SHELL_UNQUOTED_VAR, task, where(scalar, m.group(), nth),
                        module + " command uses " + m.group().replaceAll("\\s+", " ") + " unquoted",
                        "end it with | quote so the shell reads the value as one word (| int for numbers); a value"
                                + " with $(...), ; or a space would otherwise run as shell code on the host");
            }
        }

        /** Where the {@code nth} {@code expr} of {@code scalar} is in the file (the scalar's start if not found). */
        private SourceLocation where(ScalarNode scalar, String expr, int nth) {
            SourceLocation start = YamlLoader.location(scalar);
            int count = 0;
            for (int i = Math.max(0, start.line() - 1); i < strictLines.size(); i++) {
                String line = strictLines.get(i);
                for (int at = line.indexOf(expr); at >= 0; at = line.indexOf(expr, at + 1)) {
                    if (++count == nth) {
                        return new SourceLocation(start.file(), i + 1, at + 1);
                    }
                }
            }
            return start;
        }

        private void report(String rule, MappingNode task, SourceLocation loc, String message, String hint) {
            if (silenced(rule, loc.line()) || (task != null && silenced(rule, taskLine(task)))) {
                return;
            }
            findings.add(new Finding(rule, loc, message + " (" + hint + ")"));
        }

        private void report(String rule, MappingNode task, Node at, String message, String hint) {
            SourceLocation loc = YamlLoader.location(at);
            if (silenced(rule, loc.line()) || (task != null && silenced(rule, taskLine(task)))) {
                return;
            }
            findings.add(new Finding(rule, loc, message + " (" + hint + ")"));
        }

        private boolean silenced(String rule, int line) {
            Set<String> ids = noqa.get(line);
            return ids != null && (ids.isEmpty() || ids.contains(rule));
        }

        private static int taskLine(MappingNode task) {
            return YamlLoader.location(task).line();
        }
    }

    /**
     * The task's module entry: the first key that is neither a task keyword nor a with_* loop, by the loader's own
     * lists ({@link Keywords}), so lint and the loader cannot disagree on what a task's module is.
     */
    static NodeTuple module(MappingNode task) {
        for (NodeTuple t : task.getValue()) {
            String key = YamlLoader.text(t.getKeyNode());
            if (key != null && !Keywords.TASK.contains(key) && !Keywords.isLoopKeyword(key)
                    && !BLOCK_LISTS.contains(key)) {
                return t;
            }
        }
        return null;
    }

    static String shortName(String module) {
        String m = module.toLowerCase(Locale.ROOT);
        for (String prefix : List.of("ansible.builtin.", "ansible.legacy.", "community.general.")) {
            if (m.startsWith(prefix)) {
                return m.substring(prefix.length());
            }
        }
        return m;
    }

    private static boolean hasArg(Node args, Node extra, String name) {
        if (arg(args, extra, name) != null) {
            return true;
        }
        String text = commandText(args);
        return text != null && Pattern.compile("(^|\\s)" + name + "=").matcher(text).find();
    }

    private static Node arg(Node args, Node extra, String name) {
        if (args instanceof MappingNode m && YamlLoader.get(m, name).isPresent()) {
            return YamlLoader.get(m, name).get();
        }
        if (extra instanceof MappingNode m && YamlLoader.get(m, name).isPresent()) {
            return YamlLoader.get(m, name).get();
        }
        if (args instanceof ScalarNode s) {
            Matcher kv = Pattern.compile("(?:^|\\s)" + name + "=(\\S+)").matcher(s.getValue());
            if (kv.find() && !name.equals("creates") && !name.equals("removes")) {
                return new ScalarNode(Tag.STR, true, kv.group(1), s.getScalarStyle(), s.getStartMark(),
                        s.getEndMark());
            }
        }
        return null;
    }

    private static String commandText(Node args) {
        if (args instanceof ScalarNode s) {
            return s.getValue();
        }
        if (args instanceof MappingNode m) {
            return YamlLoader.get(m, "cmd").map(YamlLoader::text).orElse(null);
        }
        return null;
    }

    /** True when the mode gives write permission to others (octal number, octal string or symbolic). */
    static boolean worldWritable(ScalarNode mode) {
        String text = mode.getValue().strip();
        if (Tag.INT.equals(mode.getTag())) {
            Object v = YamlLoader.toJava(mode);
            return v instanceof Number n && (n.longValue() & 02) != 0;
        }
        if (text.matches("0?[0-7]{3,4}")) {
            return (Integer.parseInt(text, 8) & 02) != 0;
        }
        for (String clause : text.split(",")) {
            Matcher m = SYMBOLIC_WRITE.matcher(clause.strip());
            if (m.find()) {
                String who = m.group(1);
                if (who.isEmpty() || who.contains("o") || who.contains("a")) {
                    return true;
                }
            }
        }
        return false;
    }
}
