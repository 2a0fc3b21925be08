package io.budgetctl.engine.exec;

import io.budgetctl.engine.api.EngineException;
import io.budgetctl.engine.api.Secret;
import io.budgetctl.engine.api.SourceLocation;
import io.budgetctl.engine.api.Unsafe;
import io.budgetctl.engine.connection.Become;
import io.budgetctl.engine.connection.Connection;
import io.budgetctl.engine.connection.LocalConnection;
import io.budgetctl.engine.connection.UnreachableException;
import io.budgetctl.engine.event.Status;
import io.budgetctl.engine.module.ArgSpec;
import io.budgetctl.engine.module.Module;
import io.budgetctl.engine.module.ModuleContext;
import io.budgetctl.engine.module.Result;
import io.budgetctl.engine.module.SimpleModuleContext;
import io.budgetctl.engine.playbook.Actions;
import io.budgetctl.engine.playbook.Block;
import io.budgetctl.engine.playbook.Keywords;
import io.budgetctl.engine.playbook.PlaybookLoader;
import io.budgetctl.engine.playbook.Role;
import io.budgetctl.engine.playbook.Task;
import io.budgetctl.engine.playbook.YamlLoader;
import io.budgetctl.engine.template.LazyVars;
import io.budgetctl.engine.template.PyText;
import io.budgetctl.engine.template.Taint;
import io.budgetctl.engine.template.Truth;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs one task on one host (on a worker thread): variables, when, loop, until/retries, templated arguments,
 * the module (or an engine action: include_tasks, include_role, include_vars, setup), changed_when/failed_when, and
 * builds the registered result dict. Never throws for task problems: they become a failed {@link HostOutcome};
 * a lost host becomes UNREACHABLE.
 */
final class TaskRunner {
    static final String NO_LOG = "the output has been hidden due to the fact that 'no_log: true' was specified for "
            + "this result";

    private static final java.util.Set<String> SET_FACT = java.util.Set.of("set_fact", "ansible.builtin.set_fact",
            "ansible.legacy.set_fact");

    private final RunnerContext play;
    private final TaskRef ref;
    private final Task task;
    private final SourceLocation at;
    private String delegatedTo;
    /** The loop's items were computed from host data or a lookup: each item is data (docs/security.md). */
    private boolean itemsUnsafe;
    /** Arguments of the last renderArgs whose values were computed from host data or a lookup. */
    private java.util.Set<String> unsafeArgs = java.util.Set.of();

    TaskRunner(RunnerContext play, TaskRef ref) {
        this.play = play;
        this.ref = ref;
        this.task = ref.task();
        this.at = ref.task().location();
    }

    HostOutcome run() {
        // secrets the templates read and values they derive from them join the run's mask set
        return io.budgetctl.engine.template.SecretFlow.into(play.secretLedger(), this::runTracked);
    }

    private HostOutcome runTracked() {
        long start = System.nanoTime();
        Map<String, Object> facts = new LinkedHashMap<>();
        Map<String, Object> incVars = new LinkedHashMap<>();
        List<HostOutcome.Included> includes = new ArrayList<>();
        boolean noLog = false;
        try {
            Map<String, Object> vars = play.vars(ref.scope(), task);
            play.secretLedger().addAll(Masking.secretObjectsIn(LazyVars.raw(vars)));
            noLog = Truth.of(render(ref.scope().keyword(task, "no_log"), vars));
            LoopItems.Items loopItems = LoopItems.of(task.kw(), vars, play.templater(), at);
            if (loopItems == null) {
                if (!when(vars)) {
                    return finish(Status.SKIPPED, skippedDict(), List.of(), List.of(), null, facts, incVars, includes,
                            noLog, start);
                }
                Single s = once(vars, null, facts, incVars, includes);
                return finish(s.status, s.result, List.of(), s.diffs, s.msg, facts, incVars, includes, noLog, start);
            }
            itemsUnsafe = loopItems.unsafe();
            return loop(vars, loopItems.list(), facts, incVars, includes, noLog, start);
        } catch (UnreachableException e) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("changed", false);
            r.put("msg", e.getMessage());
            r.put("unreachable", true);
            return finish(Status.UNREACHABLE, r, List.of(), List.of(), e.getMessage(), facts, incVars, includes,
                    noLog, start);
        } catch (EngineException e) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("changed", false);
            r.put("failed", true);
            r.put("msg", e.oneLine() + (e.hint() == null ? "" : " (" + e.hint() + ")"));
            return finish(Status.FAILED, r, List.of(), List.of(), (String) r.get("msg"), facts, incVars, includes,
                    noLog, start);
        } catch (RuntimeException e) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("changed", false);
            r.put("failed", true);
            r.put("msg", "internal error in task '" + task.displayName() + "' at " + at + ": " + e);
            return finish(Status.FAILED, r, List.of(), List.of(), (String) r.get("msg"), facts, incVars, includes,
                    noLog, start);
        }
    }

    private HostOutcome finish(Status status, Map<String, Object> result, List<HostOutcome.Item> items,
                               List<Result.Diff> diffs, String msg, Map<String, Object> facts,
                               Map<String, Object> incVars, List<HostOutcome.Included> includes, boolean noLog,
                               long start) {
        boolean ignored = false;
        if (status == Status.FAILED) {
            ignored = Truth.of(safeRender(ref.scope().keyword(task, "ignore_errors")));
        }
        if (status == Status.UNREACHABLE && Truth.of(safeRender(ref.scope().keyword(task, "ignore_unreachable")))) {
            ignored = true;
        }
        return new HostOutcome(play.host(), status, result, items, diffs, msg, ignored, facts, incVars, includes,
                delegatedTo, noLog, Duration.ofNanos(System.nanoTime() - start), play.secretLedger().maskValues());
    }

    private Object safeRender(Object v) {
        try {
            return render(v, play.vars(ref.scope(), task));
        } catch (RuntimeException e) {
            return v;
        }
    }

    private record Single(Status status, Map<String, Object> result, List<Result.Diff> diffs, String msg) {
    }

    // ------------------------------------------------------------------ loops

    private HostOutcome loop(Map<String, Object> vars, List<Object> items, Map<String, Object> facts,
                             Map<String, Object> incVars, List<HostOutcome.Included> includes, boolean noLog,
                             long start) {
        Map<String, Object> lc = task.kw().get("loop_control") instanceof Map<?, ?> m
                ? PlaybookLoader.asMap(m) : Map.of();
        String loopVar = String.valueOf(lc.getOrDefault("loop_var", "item"));
        String indexVar = lc.get("index_var") == null ? null : String.valueOf(lc.get("index_var"));
        double pause = lc.get("pause") instanceof Number n ? n.doubleValue() : 0;
        List<HostOutcome.Item> out = new ArrayList<>();
        List<Object> results = new ArrayList<>();
        List<Result.Diff> diffs = new ArrayList<>();
        boolean anyChanged = false;
        boolean anyFailed = false;
        boolean allSkipped = true;
        for (int i = 0; i < items.size(); i++) {
            Object item = items.get(i);
            Object itemVar = itemsUnsafe ? Unsafe.of(item) : item;
            Map<String, Object> extra = new LinkedHashMap<>();
            extra.putAll(facts); // as Ansible: facts set by earlier items (set_fact accumulating a list) are seen by later ones
            extra.put(loopVar, itemVar);
            extra.put("ansible_loop_var", loopVar);
            if (indexVar != null) {
                extra.put(indexVar, i);
                extra.put("ansible_index_var", indexVar);
            }
            Map<String, Object> loopInfo = LoopInfo.extended(lc, items, i);
            if (loopInfo != null) {
                extra.put("ansible_loop", itemsUnsafe ? Unsafe.of(loopInfo) : loopInfo);
            }
            Map<String, Object> iv = LazyVars.with(vars, extra);
            String label = lc.get("label") != null ? String.valueOf(render(lc.get("label"), iv)) : label(item);
            Single s;
            if (!when(iv)) {
                s = new Single(Status.SKIPPED, skippedDict(), List.of(), null);
            } else {
                Map<String, Object> itemIncludeParams = new LinkedHashMap<>();
                itemIncludeParams.put(loopVar, itemVar);
                itemIncludeParams.put("ansible_loop_var", loopVar);
                if (indexVar != null) {
                    itemIncludeParams.put(indexVar, i);
                }
                s = once(iv, itemIncludeParams, facts, incVars, includes);
            }
            Map<String, Object> r = new LinkedHashMap<>(s.result);
            r.put(loopVar, item);
            r.put("ansible_loop_var", loopVar);
            if (indexVar != null) {
                r.put(indexVar, i);
                r.put("ansible_index_var", indexVar);
            }
            if (loopInfo != null) {
                r.put("ansible_loop", loopInfo);
            }
            results.add(r);
            out.add(new HostOutcome.Item(label, s.status, r, s.diffs, s.msg));
            diffs.addAll(s.diffs);
            anyChanged |= Boolean.TRUE.equals(r.get("changed"));
            anyFailed |= s.status == Status.FAILED;
            allSkipped &= s.status == Status.SKIPPED;
            if (pause > 0 && i < items.size() - 1) {
                sleep(pause);
            }
        }
        Map<String, Object> agg = new LinkedHashMap<>();
        agg.put("changed", anyChanged);
        if (anyFailed) {
            agg.put("failed", true);
            agg.put("msg", "One or more items failed");
        } else if (allSkipped) {
            agg.put("msg", items.isEmpty() ? "No items in the list" : "All items skipped");
            agg.put("skipped", true);
        } else {
            agg.put("msg", "All items completed");
        }
        agg.put("results", results);
        Status st = anyFailed ? Status.FAILED : allSkipped ? Status.SKIPPED : anyChanged ? Status.CHANGED : Status.OK;
        if (!anyFailed && !allSkipped) {
            agg.put("failed", false);
        }
        return finish(st, agg, out, diffs, (String) agg.get("msg"), facts, incVars, includes, noLog, start);
    }

    private static String label(Object item) {
        return PyText.label(item);
    }

    private static void sleep(double seconds) {
        try {
            Thread.sleep((long) (seconds * 1000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException(SourceLocation.UNKNOWN, "interrupted", null);
        }
    }

    // ------------------------------------------------------------------ one execution

    private Single once(Map<String, Object> vars, Map<String, Object> itemParams, Map<String, Object> facts,
                        Map<String, Object> incVars, List<HostOutcome.Included> includes) {
        String action = task.action();
        switch (action) {
            case Actions.INCLUDE_TASKS -> {
                return includeTasks(vars, itemParams, includes);
            }
            case Actions.INCLUDE_ROLE -> {
                return includeRole(vars, itemParams, includes);
            }
            case Actions.INCLUDE_VARS -> {
                return includeVars(vars, incVars);
            }
            case Actions.SETUP, Actions.GATHER_FACTS -> {
                Map<String, Object> f = play.gatherFacts(connection(vars));
                f.forEach((k, v) -> facts.put(k, Unsafe.of(v))); // the host's own account of itself: data
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("ansible_facts", f);
                r.put("changed", false);
                return new Single(Status.OK, r, List.of(), null);
            }
            default -> {
                return module(vars, facts);
            }
        }
    }

    private Single includeTasks(Map<String, Object> vars, Map<String, Object> itemParams,
                                List<HostOutcome.Included> includes) {
        Map<String, Object> args = renderArgs(task.args(), vars);
        Object f = args.containsKey("file") ? args.get("file") : args.get("_raw_params");
        if (f == null) {
            throw new EngineException(at, "include_tasks needs a file name", "write include_tasks: other.yml");
        }
        String target = String.valueOf(f).strip();
        Role role = ref.scope().role != null ? ref.scope().role : task.role();
        PlaybookLoader loader = play.loader();
        Path file = loader.resolveTaskFile(target, Path.of(at.file()), role).orElseThrow(() -> new EngineException(at,
                "Could not find or access '" + target + "'", "paths are relative to the including file, the role's "
                        + "tasks/ directory or the playbook directory"));
        Block b = new Block(at, null, loader.loadTaskFile(file, role, at), null, null, Map.of(), role, true);
        includes.add(new HostOutcome.Included(b, includeParams(itemParams), role, applyKw(args), args));
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("include", file.toString());
        r.put("include_args", args);
        r.put("changed", false);
        return new Single(Status.OK, r, List.of(), "included: " + file);
    }

    private Single includeRole(Map<String, Object> vars, Map<String, Object> itemParams,
                               List<HostOutcome.Included> includes) {
        Map<String, Object> args = renderArgs(task.args(), vars);
        PlaybookLoader.RoleCall call = PlaybookLoader.roleCall(args, at, Actions.INCLUDE_ROLE);
        Role parent = ref.scope().role != null ? ref.scope().role : task.role();
        PlaybookLoader loader = play.loader();
        java.util.Set<String> ran = new java.util.HashSet<>();
        for (Role r : play.roles()) {
            ran.add(r.name() + r.params());
        }
        Block b = loader.expandRole(call.name(), Map.of(), Map.of(), Map.of(), at, call, parent, ran, false);
        includes.add(new HostOutcome.Included(b, includeParams(itemParams), b.role(), applyKw(args), args));
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("include_role", call.name());
        r.put("changed", false);
        return new Single(Status.OK, r, List.of(), null);
    }

    private Map<String, Object> includeParams(Map<String, Object> itemParams) {
        Map<String, Object> p = new LinkedHashMap<>();
        if (task.kw().get("vars") instanceof Map<?, ?> m) {
            m.forEach((k, v) -> p.put(String.valueOf(k), v));
        }
        if (itemParams != null) {
            p.putAll(itemParams);
        }
        return p;
    }

    private static Map<String, Object> applyKw(Map<String, Object> args) {
        return args.get("apply") instanceof Map<?, ?> m ? PlaybookLoader.asMap(m) : Map.of();
    }

    private Single includeVars(Map<String, Object> vars, Map<String, Object> incVars) {
        Map<String, Object> args = renderArgs(task.args(), vars);
        Object f = args.containsKey("file") ? args.get("file") : args.get("_raw_params");
        if (f == null) {
            throw new EngineException(at, "include_vars needs a file name", "write include_vars: vars/x.yml");
        }
        Role role = ref.scope().role != null ? ref.scope().role : task.role();
        String name = String.valueOf(f).strip();
        List<Path> candidates = new ArrayList<>();
        Path p = Path.of(name);
        if (p.isAbsolute()) {
            candidates.add(p);
        } else {
            if (role != null) {
                candidates.add(role.path().resolve("vars").resolve(name));
                candidates.add(role.path().resolve(name));
            }
            candidates.add(Path.of(at.file()).toAbsolutePath().getParent().resolve("vars").resolve(name));
            candidates.add(Path.of(at.file()).toAbsolutePath().getParent().resolve(name));
            candidates.add(play.baseDir().resolve("vars").resolve(name));
            candidates.add(play.baseDir().resolve(name));
        }
        Optional<Path> found = candidates.stream().filter(Files::isRegularFile).findFirst();
        if (found.isEmpty()) {
            throw new EngineException(at, "Could not find or access '" + name + "'", "looked in: " + candidates);
        }
        Object data = YamlLoader.load(found.get());
        Map<String, Object> loaded = data == null ? new LinkedHashMap<>() : PlaybookLoader.asMap(data);
        if (args.get("name") != null) {
            incVars.put(String.valueOf(args.get("name")), loaded);
        } else {
            incVars.putAll(loaded);
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("ansible_facts", loaded);
        r.put("ansible_included_var_files", List.of(found.get().toString()));
        r.put("changed", false);
        return new Single(Status.OK, r, List.of(), null);
    }

    private Single module(Map<String, Object> vars, Map<String, Object> facts) {
        Module mod = play.modules().find(task.action()).orElseThrow(() -> new EngineException(at,
                "couldn't resolve module/action '" + task.action() + "'", null));
        boolean check = play.checkMode();
        Object cm = render(ref.scope().keyword(task, "check_mode"), vars);
        if (cm != null) {
            check = Truth.of(cm);
        }
        boolean diff = play.diffMode();
        Object dk = render(ref.scope().keyword(task, "diff"), vars);
        if (dk != null) {
            diff = Truth.of(dk);
        }
        // ansible_check_mode / ansible_diff_mode stay what the run's --check/--diff say (Variables.magic): Ansible
        // sets them from the command line options, a task's check_mode/diff keyword does not change them
        if (check && mod.checkMode() == Module.CheckMode.NONE) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("changed", false);
            r.put("msg", "remote module (" + mod.name() + ") does not support check mode");
            r.put("skipped", true);
            return new Single(Status.SKIPPED, r, List.of(), (String) r.get("msg"));
        }
        Map<String, Object> args = renderArgs(task.args(), vars);
        ArgSpec spec = mod.spec();
        String bad = spec.failure(mod.name(), args);
        if (bad != null) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("changed", false);
            r.put("failed", true);
            r.put("msg", bad);
            return new Single(Status.FAILED, r, List.of(), (String) r.get("msg"));
        }
        args = spec.normalise(args);
        if (!KEEPS_SECRETS.contains(mod.name())) {
            args = revealed(args); // the module hands the values to the host; a Secret's toString would be the mask
        }
        Connection conn = connection(vars);
        List<Path> search = new ArrayList<>();
        Role role = ref.scope().role != null ? ref.scope().role : task.role();
        if (role != null) {
            search.add(role.path());
        }
        search.add(play.baseDir());
        ModuleContext ctx = DataArgsContext.of(new SimpleModuleContext(play.host(), conn, check, diff, become(vars),
                environment(vars), vars, play.templater(), at, search), unsafeArgs);
        String register = task.kw().get("register") == null ? null : String.valueOf(task.kw().get("register"));
        List<Object> until = new ArrayList<>();
        Scope.addWhen(until, task.kw().get("until"));
        int retries;
        if (until.isEmpty()) {
            retries = 1;
        } else {
            Object rv = render(task.kw().get("retries"), vars);
            if (rv == null) {
                retries = 3;
            } else {
                int r = Integer.parseInt(String.valueOf(rv));
                retries = r <= 0 ? 1 : r + 1;
            }
        }
        Object dv = render(task.kw().get("delay"), vars);
        double delay = dv == null ? 5 : Double.parseDouble(String.valueOf(dv));
        Map<String, Object> dict = null;
        Result res = null;
        boolean done = false;
        for (int attempt = 1; attempt <= retries; attempt++) {
            res = mod.run(ctx, args);
            dict = toDict(res);
            applyChangedFailedWhen(dict, vars, register);
            if (until.isEmpty()) {
                done = true;
                break;
            }
            dict.put("attempts", attempt);
            Map<String, Object> uv = register == null ? vars
                    : LazyVars.with(vars, Map.of(register, Unsafe.of(dict)));
            if (conditions(until, uv)) {
                done = true;
                break;
            }
            if (attempt < retries) {
                sleep(delay);
            }
        }
        if (!done && retries > 1) {
            dict.put("attempts", retries - 1);
            dict.put("failed", true);
        }
        if (dict.get("ansible_facts") instanceof Map<?, ?> af) {
            // facts a module returns come from the host: data. set_fact's are what its arguments rendered to, data
            // only where an argument read data (Ansible: a set_fact of trusted text is templated again when used)
            boolean setFact = SET_FACT.contains(task.action());
            java.util.Set<String> dataArgs = unsafeArgs;
            af.forEach((k, v) -> facts.put(String.valueOf(k), setFact && !dataArgs.contains(String.valueOf(k)) ? v
                    : Unsafe.of(v)));
        }
        Status st = statusOf(dict);
        String msg = dict.get("msg") == null ? null : String.valueOf(dict.get("msg"));
        return new Single(st, dict, res.diffs(), msg);
    }

    /** Modules whose arguments stay Secret objects: set_fact stores them as facts, debug only shows them. */
    private static final java.util.Set<String> KEEPS_SECRETS = java.util.Set.of("set_fact", "debug");

    @SuppressWarnings("unchecked")
    private static <T> T revealed(T v) {
        if (v instanceof Secret s) {
            return (T) s.reveal();
        }
        if (v instanceof Map<?, ?> m) {
            Map<Object, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(k, revealed(x)));
            return (T) out;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            l.forEach(x -> out.add(revealed(x)));
            return (T) out;
        }
        return v;
    }

    private static Status statusOf(Map<String, Object> dict) {
        if (Truth.of(dict.get("failed"))) {
            return Status.FAILED;
        }
        if (Truth.of(dict.get("skipped"))) {
            return Status.SKIPPED;
        }
        return Truth.of(dict.get("changed")) ? Status.CHANGED : Status.OK;
    }

    static Map<String, Object> toDict(Result r) {
        Map<String, Object> d = new LinkedHashMap<>(r.data() == null ? Map.of() : r.data());
        // a Failed result may say it changed something (Ansible's command reports changed: true when it fails)
        d.put("changed", r instanceof Result.Changed || r instanceof Result.Failed && Truth.of(d.get("changed")));
        if (r instanceof Result.Failed) {
            d.put("failed", true);
        } else if (!d.containsKey("failed")) {
            d.put("failed", false);
        }
        if (r.msg() != null) {
            d.put("msg", r.msg());
        }
        if (r instanceof Result.Skipped) {
            d.put("skipped", true);
        }
        return d;
    }

    private void applyChangedFailedWhen(Map<String, Object> dict, Map<String, Object> vars, String register) {
        Map<String, Object> data = new LinkedHashMap<>();
        if (register != null) {
            data.put(register, Unsafe.of(dict));
        }
        dict.forEach((k, v) -> data.put(k, Unsafe.of(v)));
        Map<String, Object> cv = LazyVars.with(vars, data);
        List<Object> cw = new ArrayList<>();
        Scope.addWhen(cw, task.kw().get("changed_when"));
        if (task.kw().containsKey("changed_when") && !Truth.of(dict.get("skipped"))) {
            dict.put("changed", conditions(cw, cv));
        }
        List<Object> fw = new ArrayList<>();
        Scope.addWhen(fw, task.kw().get("failed_when"));
        if (task.kw().containsKey("failed_when") && !Truth.of(dict.get("skipped"))) {
            boolean f = conditions(fw, cv);
            dict.put("failed_when_result", f);
            dict.put("failed", f);
        }
    }

    // ------------------------------------------------------------------ helpers

    private boolean when(Map<String, Object> vars) {
        List<Object> conds = new ArrayList<>(ref.scope().whens());
        Scope.addWhen(conds, task.kw().get("when"));
        return conditions(conds, vars);
    }

    private boolean conditions(List<Object> conds, Map<String, Object> vars) {
        for (Object c : conds) {
            if (!condition(c, vars)) {
                return false;
            }
        }
        return true;
    }

    private boolean condition(Object c, Map<String, Object> vars) {
        if (c == null) {
            return false;
        }
        if (c instanceof Boolean b) {
            return b;
        }
        if (c instanceof Number n) {
            return Truth.of(n);
        }
        String s = String.valueOf(c).strip();
        if (s.contains("{{") || s.contains("{%")) {
            Taint.Tracked<Object> rendered = Taint.track(() -> play.templater().render(s, vars, at));
            Object v = rendered.value();
            if (v instanceof Secret secret) {
                v = secret.reveal(); // a condition's text, not shown
            }
            if (v instanceof String str) {
                String t = str.strip();
                if (t.equalsIgnoreCase("true") || t.equalsIgnoreCase("yes")) {
                    return true;
                }
                if (t.equalsIgnoreCase("false") || t.equalsIgnoreCase("no") || t.isEmpty()) {
                    return false;
                }
                if (rendered.tainted()) {
                    // text from a host or a lookup: Ansible evaluates it with lookups disabled; so do we
                    return Taint.withoutLookups(() -> play.templater().isTrue(t, vars, at));
                }
                return play.templater().isTrue(t, vars, at);
            }
            return Truth.of(v);
        }
        return play.templater().isTrue(s, vars, at);
    }

    private Map<String, Object> skippedDict() {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("changed", false);
        r.put("skip_reason", "Conditional result was False");
        r.put("skipped", true);
        return r;
    }

    private Object render(Object v, Map<String, Object> vars) {
        if (v == null) {
            return null;
        }
        return play.templater().render(v, vars, at);
    }

    /** The task's arguments, each rendered once; records in {@link #unsafeArgs} which ones read host data. */
    private Map<String, Object> renderArgs(Map<String, Object> raw, Map<String, Object> vars) {
        Map<String, Object> args = new LinkedHashMap<>();
        java.util.Set<String> data = new java.util.HashSet<>();
        Object variable = raw.get("_variable_params");
        if (variable != null) {
            Taint.Tracked<Object> t = Taint.track(() -> render(variable, vars));
            Object v = t.value();
            if (!(v instanceof Map<?, ?> m)) {
                throw new EngineException(at, "'args' must template to a mapping, got: " + v, null);
            }
            m.forEach((k, val) -> {
                args.put(String.valueOf(k), val);
                if (t.tainted()) {
                    data.add(String.valueOf(k));
                }
            });
        }
        String omit = String.valueOf(vars.get("omit"));
        for (Map.Entry<String, Object> e : raw.entrySet()) {
            if (e.getKey().equals("_variable_params")) {
                continue;
            }
            Taint.Tracked<Object> t = Taint.track(() -> e.getKey().equals("apply") ? e.getValue()
                    : render(e.getValue(), vars));
            Object v = t.value();
            if (v instanceof String s && s.equals(omit)) {
                continue;
            }
            args.put(e.getKey(), stripOmit(v, omit));
            if (t.tainted()) {
                data.add(e.getKey());
            } else {
                data.remove(e.getKey());
            }
        }
        unsafeArgs = java.util.Set.copyOf(data);
        return args;
    }

    private static Object stripOmit(Object v, String omit) {
        if (v instanceof Map<?, ?> m) {
            Map<Object, Object> out = new LinkedHashMap<>();
            m.forEach((k, val) -> {
                if (!(val instanceof String s && s.equals(omit))) {
                    out.put(k, stripOmit(val, omit));
                }
            });
            return out;
        }
        return v;
    }

    private Become become(Map<String, Object> vars) {
        Object b = render(ref.scope().keyword(task, "become"), vars);
        if (b == null) {
            b = vars.get("ansible_become");
        }
        if (!Truth.of(b)) {
            return Become.NONE;
        }
        Object user = render(ref.scope().keyword(task, "become_user"), vars);
        if (user == null) {
            user = vars.get("ansible_become_user");
        }
        Object method = render(ref.scope().keyword(task, "become_method"), vars);
        if (method == null) {
            method = vars.get("ansible_become_method");
        }
        Object pw = vars.containsKey("ansible_become_password") ? vars.get("ansible_become_password")
                : vars.get("ansible_become_pass");
        Secret password = pw == null ? null : pw instanceof Secret s ? s : Secret.of(String.valueOf(pw));
        try {
            return new Become(true, method == null ? null : String.valueOf(method), user == null ? null
                    : String.valueOf(user), password);
        } catch (IllegalArgumentException e) {
            throw new EngineException(at, e.getMessage(), "use become_method: sudo or su");
        }
    }

    private Map<String, String> environment(Map<String, Object> vars) {
        Map<String, String> env = new LinkedHashMap<>();
        for (Object e : ref.scope().environments(task)) {
            Object v = render(e, vars);
            List<Object> parts = v instanceof List<?> l ? new ArrayList<>(l) : List.of(v);
            for (Object p : parts) {
                if (!(p instanceof Map<?, ?> m)) {
                    throw new EngineException(at, "environment must be a mapping of NAME: value, got " + p, null);
                }
                m.forEach((k, val) -> env.put(String.valueOf(k), val instanceof Secret s ? s.reveal()
                        : PyText.str(val)));
            }
        }
        return env;
    }

    private Connection connection(Map<String, Object> vars) {
        Object d = render(ref.scope().keyword(task, "delegate_to"), vars);
        if (d != null && !String.valueOf(d).equals(play.host())) {
            String target = String.valueOf(d);
            delegatedTo = target;
            if (target.equals("localhost") || target.equals("127.0.0.1")) {
                return new LocalConnection(target);
            }
            return play.connectionFor(target, null);
        }
        return play.connectionFor(play.host(), vars);
    }
}
