package io.budgetctl.engine.exec;

import io.budgetctl.engine.api.EngineException;
import io.budgetctl.engine.api.SourceLocation;
import io.budgetctl.engine.api.Unsafe;
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
import io.budgetctl.engine.playbook.Role;
import io.budgetctl.engine.playbook.Task;
import io.budgetctl.engine.template.LazyVars;
import io.budgetctl.engine.template.Truth;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs one task on one host (on a worker thread): variables, when, loop ({@link LoopItems}, {@link ItemLoop}),
 * until/retries, templated arguments ({@link TaskArgs}), the module (or an engine action: include_tasks,
 * include_role, include_vars ({@link Includes}), setup), changed_when/failed_when ({@link Conditions}), and builds
 * the registered result dict. Never throws for task problems: they become a failed {@link HostOutcome}; a lost host
 * becomes UNREACHABLE.
 */
final class TaskRunner {
    static final String NO_LOG = "the output has been hidden due to the fact that 'no_log: true' was specified for "
            + "this result";

    private static final Set<String> SET_FACT = Set.of("set_fact", "ansible.builtin.set_fact",
            "ansible.legacy.set_fact");

    private final RunnerContext play;
    private final TaskRef ref;
    private final Task task;
    private final SourceLocation at;
    private final Conditions conditions;
    private final HostSettings settings;
    /**
     * What the task warned of on this host, each text once: Ansible's worker (one per task and host) does not repeat
     * a warning, for loop items and until retries too.
     */
    private final Set<String> warnings = new LinkedHashSet<>();
    private String delegatedTo;

    TaskRunner(RunnerContext play, TaskRef ref) {
        this.play = play;
        this.ref = ref;
        this.task = ref.task();
        this.at = ref.task().location();
        this.conditions = new Conditions(play.templater(), at, warnings::add);
        this.settings = new HostSettings(ref.scope(), task, play.templater());
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
            noLog = Truth.of(settings.keyword("no_log", vars));
            LoopItems.Items items = LoopItems.of(task.kw(), vars, play.templater(), at);
            if (items == null) {
                Execution s = when(vars) ? once(vars, null, facts, incVars, includes) : Execution.skipped();
                return finish(s, List.of(), facts, incVars, includes, noLog, start);
            }
            ItemLoop.Outcome looped = new ItemLoop(play.templater(), at).run(task.kw().get("loop_control"), items,
                    vars, facts, (iv, itemParams) -> when(iv) ? once(iv, itemParams, facts, incVars, includes)
                            : Execution.skipped());
            return finish(looped.total(), looped.items(), facts, incVars, includes, noLog, start);
        } catch (UnreachableException e) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("changed", false);
            r.put("msg", e.getMessage());
            r.put("unreachable", true);
            return finish(new Execution(Status.UNREACHABLE, r, List.of(), e.getMessage()), List.of(), facts, incVars,
                    includes, noLog, start);
        } catch (EngineException e) {
            return finish(failed(e.oneLine() + (e.hint() == null ? "" : " (" + e.hint() + ")")), List.of(), facts,
                    incVars, includes, noLog, start);
        } catch (RuntimeException e) {
            return finish(failed("internal error in task '" + task.displayName() + "' at " + at + ": " + e),
                    List.of(), facts, incVars, includes, noLog, start);
        }
    }

    private static Execution failed(String msg) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("changed", false);
        r.put("failed", true);
        r.put("msg", msg);
        return new Execution(Status.FAILED, r, List.of(), msg);
    }

    private HostOutcome finish(Execution e, List<HostOutcome.Item> items, Map<String, Object> facts,
                               Map<String, Object> incVars, List<HostOutcome.Included> includes, boolean noLog,
                               long start) {
        boolean ignored = false;
        if (e.status() == Status.FAILED) {
            ignored = Truth.of(safeRender(ref.scope().keyword(task, "ignore_errors")));
        }
        if (e.status() == Status.UNREACHABLE
                && Truth.of(safeRender(ref.scope().keyword(task, "ignore_unreachable")))) {
            ignored = true;
        }
        return new HostOutcome(play.host(), e.status(), e.result(), items, e.diffs(), e.msg(), ignored, facts,
                incVars, includes, delegatedTo, noLog, Duration.ofNanos(System.nanoTime() - start),
                play.secretLedger().maskValues(), List.copyOf(warnings));
    }

    private Object safeRender(Object v) {
        try {
            return render(v, play.vars(ref.scope(), task));
        } catch (RuntimeException e) {
            return v;
        }
    }

    private boolean when(Map<String, Object> vars) {
        return conditions.when(ref.scope().whens(), task.kw().get("when"), vars);
    }

    // ------------------------------------------------------------------ one execution

    private Execution once(Map<String, Object> vars, Map<String, Object> itemParams, Map<String, Object> facts,
                           Map<String, Object> incVars, List<HostOutcome.Included> includes) {
        String action = task.action();
        switch (action) {
            case Actions.INCLUDE_TASKS -> {
                Map<String, Object> args = renderArgs(vars).args();
                return includes().tasks(args, TaskArgs.includeParams(task.kw().get("vars"), itemParams),
                        play.loader(), includes);
            }
            case Actions.INCLUDE_ROLE -> {
                Map<String, Object> args = renderArgs(vars).args();
                return includes().role(args, TaskArgs.includeParams(task.kw().get("vars"), itemParams),
                        play.loader(), play.roles(), includes);
            }
            case Actions.INCLUDE_VARS -> {
                return includes().vars(renderArgs(vars).args(), play.baseDir(), incVars);
            }
            case Actions.SETUP, Actions.GATHER_FACTS -> {
                Map<String, Object> f = play.gatherFacts(connection(vars));
                f.forEach((k, v) -> facts.put(k, Unsafe.of(v))); // the host's own account of itself: data
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("ansible_facts", f);
                r.put("changed", false);
                return new Execution(Status.OK, r, List.of(), null);
            }
            default -> {
                return module(vars, facts);
            }
        }
    }

    /** The role the task runs in: its scope's (an include's), else its own; null outside roles. */
    private Role role() {
        return ref.scope().role != null ? ref.scope().role : task.role();
    }

    private Includes includes() {
        return new Includes(role(), at);
    }

    private TaskArgs.Rendered renderArgs(Map<String, Object> vars) {
        return TaskArgs.render(task.args(), vars, play.templater(), at);
    }

    private Execution module(Map<String, Object> vars, Map<String, Object> facts) {
        Module mod = play.modules().find(task.action()).orElseThrow(() -> new EngineException(at,
                "couldn't resolve module/action '" + task.action() + "'", null));
        boolean check = play.checkMode();
        Object cm = settings.keyword("check_mode", vars);
        if (cm != null) {
            check = Truth.of(cm);
        }
        boolean diff = play.diffMode();
        Object dk = settings.keyword("diff", vars);
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
            return new Execution(Status.SKIPPED, r, List.of(), (String) r.get("msg"));
        }
        TaskArgs.Rendered rendered = renderArgs(vars);
        Map<String, Object> args = rendered.args();
        ArgSpec spec = mod.spec();
        String bad = spec.failure(mod.name(), args);
        if (bad != null) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("changed", false);
            r.put("failed", true);
            r.put("msg", bad);
            return new Execution(Status.FAILED, r, List.of(), (String) r.get("msg"));
        }
        args = TaskArgs.forModule(mod.name(), spec.normalise(args));
        Connection conn = connection(vars);
        List<Path> search = new ArrayList<>();
        Role role = role();
        if (role != null) {
            search.add(role.path());
        }
        search.add(play.baseDir());
        ModuleContext ctx = TaskModuleContext.of(new SimpleModuleContext(play.host(), conn, check, diff,
                settings.become(vars), settings.environment(vars), vars, play.templater(), at, search),
                rendered.dataArgs(), task.args(), warnings::add);
        String register = task.register();
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
            conditions.applyResultConditions(dict, task.kw(), register, vars);
            if (until.isEmpty()) {
                done = true;
                break;
            }
            dict.put("attempts", attempt);
            Map<String, Object> uv = register == null ? vars
                    : LazyVars.with(vars, Map.of(register, Registered.of(dict)));
            if (conditions.all(until, uv)) {
                done = true;
                break;
            }
            if (attempt < retries) {
                ItemLoop.sleep(delay);
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
            Set<String> dataArgs = rendered.dataArgs();
            af.forEach((k, v) -> facts.put(String.valueOf(k), setFact && !dataArgs.contains(String.valueOf(k)) ? v
                    : Unsafe.of(v)));
        }
        Status st = statusOf(dict);
        String msg = dict.get("msg") == null ? null : String.valueOf(dict.get("msg"));
        return new Execution(st, dict, res.diffs(), msg);
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

    private Object render(Object v, Map<String, Object> vars) {
        if (v == null) {
            return null;
        }
        return play.templater().render(v, vars, at);
    }

    private Connection connection(Map<String, Object> vars) {
        String target = settings.delegateTo(play.host(), vars);
        if (target != null) {
            delegatedTo = target;
            if (target.equals("localhost") || target.equals("127.0.0.1")) {
                return new LocalConnection(target);
            }
            return play.connectionFor(target, null);
        }
        return play.connectionFor(play.host(), vars);
    }
}
