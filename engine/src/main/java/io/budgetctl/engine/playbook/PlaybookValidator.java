package io.budgetctl.engine.playbook;

import io.budgetctl.engine.api.EngineException;
import io.budgetctl.engine.api.SourceLocation;
import io.budgetctl.engine.module.ArgSpec;
import io.budgetctl.engine.module.Levenshtein;
import io.budgetctl.engine.module.Module;
import io.budgetctl.engine.module.ModuleRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The rules a playbook must follow once its YAML has the right shape: known and supported keywords at each level
 * (play, {@code import_playbook}, block, task, {@code loop_control}, role entry), {@code hosts} and
 * {@code strategy} of a play, exactly one action per task and one that exists, the kind of value {@code register},
 * {@code loop_control}, {@code vars} and loops take, meta actions, module arguments ({@link ArgSpec#validate} on
 * the values written literally), include_role/import_role parameters, and notify targets that a handler of the
 * play answers to. Every problem is an {@link EngineException} at the file:line:column of the offending key.
 *
 * <p>{@link PlaybookLoader} turns YAML into plays, blocks and tasks and calls these checks on each piece as soon as
 * it has read it: a mapping's keywords before its content, a task's action before its arguments are split (how
 * they split depends on the module), its keyword values before an import is followed, a play's notify targets once
 * the play and its roles' handlers are loaded. Loading stops at the first problem, so checking piece by piece
 * rather than walking the finished playbook keeps the first problem in the files the one reported, even when a
 * later piece would not load at all. Nothing is templated: values written as templates are checked at run time.
 */
final class PlaybookValidator {
    /** include_role/import_role parameters; variables are passed with vars:. */
    private static final Set<String> ROLE_CALL_PARAMS = Set.of("name", "tasks_from", "vars_from", "defaults_from",
            "handlers_from", "public", "allow_duplicates", "apply", "rolespec_validate");

    /** The with_* loops the executor implements; any other with_* is refused at load rather than ignored. */
    private static final Set<String> WITH_LOOPS = Set.of("with_items", "with_list", "with_dict",
            "with_indexed_items", "with_flattened", "with_together", "with_sequence", "with_nested", "with_fileglob",
            "with_first_found", "with_lines", "with_subelements");

    private final ModuleRegistry modules;

    PlaybookValidator(ModuleRegistry modules) {
        this.modules = modules;
    }

    // ---------------------------------------------------------------- playbook and play

    /** An {@code import_playbook} entry takes only name, vars, tags and when beside the import itself. */
    void importPlaybook(YamlMap m, String key) {
        Set<String> known = Set.of(key, "name", "vars", "tags", "when");
        for (String k : m.keySet()) {
            if (!known.contains(k)) {
                throw unknownKeyword(m, k, known, "import_playbook");
            }
        }
    }

    /** A play's own keywords, checked before any of its sections is read. */
    void play(YamlMap m) {
        for (String k : m.keySet()) {
            if (!Keywords.PLAY.contains(k)) {
                throw unknownKeyword(m, k, Keywords.PLAY, "Play");
            }
            refuseUnsupported(m, k);
        }
        Object hosts = m.get("hosts");
        if (hosts == null || (hosts instanceof String s && s.isBlank())) {
            throw new EngineException(m.location(), "the field 'hosts' is required but was not set",
                    "add 'hosts: all' (or a group or host pattern) to the play");
        }
        Object s = m.get("strategy");
        if (s != null && !"linear".equals(String.valueOf(s))) {
            throw new EngineException(m.locationOf("strategy"), "strategy '" + s + "' is not supported",
                    "budgetctl runs the linear strategy only; remove 'strategy:'");
        }
    }

    /**
     * Every notify of the loaded play names one of its handlers (by name, "role : name" or listen topic). Run on the
     * whole play because the handlers are defined after the tasks that notify them, and roles bring their own.
     */
    void notifyTargets(Play play) {
        Set<String> known = new LinkedHashSet<>();
        for (Task h : play.handlers()) {
            if (h.name() != null) {
                known.add(h.name());
                if (h.role() != null) {
                    known.add(h.role().name() + " : " + h.name());
                }
            }
            known.addAll(h.listen());
        }
        boolean templatedHandler = play.handlers().stream().anyMatch(h -> h.name() != null && h.name().contains("{{"));
        List<Node> all = new ArrayList<>();
        all.addAll(play.preTasks());
        all.addAll(play.roles());
        all.addAll(play.tasks());
        all.addAll(play.postTasks());
        all.addAll(play.handlers());
        for (Node n : all) {
            notifyTargets(n, known, templatedHandler);
        }
    }

    private static void notifyTargets(Node n, Set<String> known, boolean templatedHandler) {
        if (n instanceof Block b) {
            for (List<Node> part : List.of(b.block(), b.rescue(), b.always())) {
                for (Node c : part) {
                    notifyTargets(c, known, templatedHandler);
                }
            }
        }
        for (String target : Keywords.stringList(n.kw().get("notify"))) {
            if (target.contains("{{") || templatedHandler || known.contains(target)) {
                continue;
            }
            SourceLocation at = n.kw() instanceof YamlMap ym ? ym.locationOf("notify") : n.location();
            throw new EngineException(at, "the requested handler '" + target + "' was not found in this play",
                    known.isEmpty() ? "the play defines no handlers; add one under 'handlers:'"
                            : "defined handlers and listen topics: " + String.join(", ", known));
        }
    }

    // ---------------------------------------------------------------- blocks and tasks

    /** A block's keywords and their values, checked before its block/rescue/always tasks are read. */
    void block(YamlMap m) {
        for (String k : m.keySet()) {
            if (!Keywords.BLOCK.contains(k)) {
                throw unknownKeyword(m, k, Keywords.BLOCK, "Block");
            }
            refuseUnsupported(m, k);
        }
        keywordValues(m);
    }

    /**
     * A task's keys, before its action is read: supported keywords, listen only on handlers, and exactly one
     * action (every key that is not a keyword is taken for a module, so a misspelled keyword shows up here).
     */
    void taskKeys(YamlMap m, boolean handler) {
        for (String k : m.keySet()) {
            if (Keywords.TASK.contains(k) || Keywords.isLoopKeyword(k)) {
                refuseUnsupported(m, k);
            }
        }
        if (!handler && m.containsKey("listen")) {
            throw unknownKeyword(m, "listen", Keywords.TASK, "Task");
        }
        List<String> actions = Keywords.actionKeys(m);
        String key = Keywords.actionKeyword(m);
        if (key != null) {
            if (!actions.isEmpty()) {
                throw new EngineException(m.locationOf(actions.get(0)), "conflicting action statements: " + key
                        + ", " + actions.get(0), "a task runs exactly one module; split it into two tasks");
            }
            return;
        }
        if (actions.size() > 1) {
            String message = "conflicting action statements: " + String.join(", ", actions);
            for (String a : actions) {
                if (!isKnownAction(a)) {
                    // a key that is no module is more likely a misspelled keyword than a second module
                    throw new EngineException(m.locationOf(a), message, "'" + a + "' is neither a module nor a "
                            + "keyword; did you mean: " + String.join(", ", Keywords.nearest(a, Keywords.TASK, 3))
                            + "?");
                }
            }
            throw new EngineException(m.locationOf(actions.get(1)), message,
                    "a task runs exactly one module; split it into two tasks");
        }
        if (actions.isEmpty()) {
            throw new EngineException(m.location(), "no module/action detected in task",
                    "add a module, e.g. 'command: /bin/true'; known keywords here: name, when, loop, register, ...");
        }
    }

    /** The task's action (canonical name) is a module or an engine action; checked before its arguments split. */
    void knownAction(String action, SourceLocation at) {
        if (isKnownAction(action)) {
            return;
        }
        List<String> near = new ArrayList<>(modules.nearest(action, 3));
        List<String> kwNear = Keywords.nearest(action, Keywords.TASK, 1);
        String hint = "did you mean: " + String.join(", ", near) + "?";
        if (!kwNear.isEmpty() && Levenshtein.distance(action, kwNear.get(0)) <= 2) {
            hint += " (or the keyword '" + kwNear.get(0) + "')";
        }
        throw new EngineException(at, "couldn't resolve module/action '" + action + "'", hint);
    }

    private boolean isKnownAction(String a) {
        return Actions.isInternal(a) || modules.contains(a);
    }

    /**
     * Light type checks on the keyword values of a task or block, so mistakes fail at load time, not halfway
     * through a run.
     */
    void keywordValues(YamlMap m) {
        for (String k : List.of("register")) {
            Object v = m.get(k);
            if (v != null && !(v instanceof String s && s.matches("[A-Za-z_][A-Za-z0-9_]*"))) {
                throw new EngineException(m.locationOf(k), "'register' must be a variable name, got '" + v + "'",
                        "use letters, digits and underscores, starting with a letter");
            }
        }
        Object lc = m.get("loop_control");
        if (lc != null) {
            if (!(lc instanceof YamlMap lm)) {
                throw new EngineException(m.locationOf("loop_control"), "'loop_control' must be a mapping",
                        "write loop_control:\\n  loop_var: item");
            }
            Set<String> known = Set.of("loop_var", "index_var", "label", "pause", "extended", "extended_allitems");
            for (String k : lm.keySet()) {
                if (!known.contains(k)) {
                    throw unknownKeyword(lm, k, known, "loop_control");
                }
            }
        }
        for (String k : List.of("vars")) {
            Object v = m.get(k);
            if (v != null && !(v instanceof Map<?, ?>)) {
                throw new EngineException(m.locationOf(k), "'vars' must be a mapping, got "
                        + PlaybookLoader.describe(v), "write vars:\\n  name: value");
            }
        }
        for (String k : m.keySet()) {
            if (Keywords.isLoopKeyword(k) && !WITH_LOOPS.contains(k)) {
                throw new EngineException(m.locationOf(k), "loop keyword '" + k + "' is not supported",
                        "use loop: with a filter (e.g. loop: \"{{ x | dict2items }}\") or with_items");
            }
        }
        if (m.containsKey("loop") && m.keySet().stream().anyMatch(Keywords::isLoopKeyword)) {
            throw new EngineException(m.locationOf("loop"), "a task can have only one loop (loop or with_*)",
                    "remove one of them");
        }
    }

    /**
     * The arguments of a task that stays a task (imports are expanded instead): a meta action budgetctl runs, and
     * for a module the arguments its {@link ArgSpec} accepts.
     */
    void taskArgs(String action, Map<String, Object> args, SourceLocation at) {
        if (action.equals(Actions.META)) {
            metaAction(args, at);
        }
        Optional<Module> mod = modules.find(action);
        if (mod.isEmpty() || args.containsKey("_variable_params")) {
            return;
        }
        ArgSpec spec = mod.get().spec();
        Map<String, Object> check = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : args.entrySet()) {
            Object v = e.getValue();
            // values written as templates are checked after templating, at run time
            check.put(e.getKey(), v instanceof String s && s.contains("{{") ? null : v);
        }
        List<String> problems = new ArrayList<>();
        for (String p : spec.validate(check)) {
            if (p.startsWith("missing required argument")) {
                String arg = p.substring(p.indexOf('\'') + 1, p.lastIndexOf('\''));
                if (args.containsKey(arg) || spec.args().get(arg).aliases().stream().anyMatch(args::containsKey)) {
                    continue;
                }
            }
            problems.add(p);
        }
        if (args.containsKey("_raw_params") && spec.freeForm() == null) {
            problems.add(0, "'" + action + "' takes no free-form text; got '" + args.get("_raw_params") + "'");
        }
        if (!problems.isEmpty()) {
            String first = problems.get(0);
            String hint = null;
            if (first.startsWith("unsupported parameter '")) {
                String bad = first.substring(first.indexOf('\'') + 1, first.indexOf('\'', first.indexOf('\'') + 1));
                hint = "did you mean: " + String.join(", ", Keywords.nearest(bad, spec.args().keySet(), 3)) + "?";
                first = "unsupported parameter '" + bad + "' for module '" + action + "'";
            } else if (first.startsWith("'" + action + "' takes no free-form")) {
                hint = "write arguments as key=value or as a mapping";
            }
            if (problems.size() > 1) {
                first += " (and " + (problems.size() - 1) + " more: " + String.join("; ",
                        problems.subList(1, problems.size())) + ")";
            }
            throw new EngineException(at, first, hint);
        }
    }

    private static void metaAction(Map<String, Object> args, SourceLocation at) {
        Object what = args.get("_raw_params");
        if (what == null || !Actions.META_ACTIONS.contains(String.valueOf(what).strip())) {
            throw new EngineException(at, "invalid meta action '" + what + "'",
                    "use one of: flush_handlers, end_play, end_host, noop");
        }
        String w = String.valueOf(what).strip();
        if (!Set.of("flush_handlers", "end_play", "end_host", "noop", "end_batch").contains(w)) {
            throw new EngineException(at, "meta: " + w + " is not supported",
                    "use one of: flush_handlers, end_play, end_host, noop, end_batch");
        }
    }

    // ---------------------------------------------------------------- roles

    /**
     * include_role/import_role arguments: known parameters and a name. Static because include_role is checked at
     * run time, after templating, through {@link PlaybookLoader#roleCall}.
     */
    static void roleCall(Map<String, Object> args, SourceLocation at, String action) {
        for (String k : args.keySet()) {
            if (!ROLE_CALL_PARAMS.contains(k)) {
                throw new EngineException(at, "unsupported parameter '" + k + "' for " + action,
                        "known: " + String.join(", ", new TreeSet<>(ROLE_CALL_PARAMS))
                                + "; pass variables with vars:");
            }
        }
        if (args.get("name") == null) {
            throw new EngineException(at, action + " needs 'name'", "write " + action + ":\\n  name: myrole");
        }
    }

    // ---------------------------------------------------------------- shared

    /**
     * Refuses an Ansible keyword budgetctl does not implement. Also called key by key while a role entry is read,
     * where the keywords and the role's parameters share one mapping.
     */
    static void refuseUnsupported(YamlMap m, String k) {
        if (Keywords.UNSUPPORTED.contains(k)) {
            throw new EngineException(m.locationOf(k), "keyword '" + k + "' is not supported by budgetctl",
                    "see docs/playbooks.md for the supported keywords and alternatives");
        }
    }

    private static EngineException unknownKeyword(YamlMap m, String k, Set<String> known, String what) {
        return new EngineException(m.locationOf(k), "'" + k + "' is not a valid attribute for a " + what,
                "did you mean: " + String.join(", ", Keywords.nearest(k, known, 3)) + "?");
    }
}
