package io.budgetctl.engine.exec;

import io.budgetctl.engine.api.EngineException;
import io.budgetctl.engine.api.SourceLocation;
import io.budgetctl.engine.api.Unsafe;
import io.budgetctl.engine.event.HostResultEvent;
import io.budgetctl.engine.event.HostStats;
import io.budgetctl.engine.event.PlayEvent;
import io.budgetctl.engine.event.RunListener;
import io.budgetctl.engine.event.Status;
import io.budgetctl.engine.event.TaskEvent;
import io.budgetctl.engine.module.ModuleRegistry;
import io.budgetctl.engine.playbook.Actions;
import io.budgetctl.engine.playbook.Block;
import io.budgetctl.engine.playbook.LoadOptions;
import io.budgetctl.engine.playbook.Node;
import io.budgetctl.engine.playbook.Play;
import io.budgetctl.engine.playbook.Playbook;
import io.budgetctl.engine.playbook.Task;
import io.budgetctl.engine.template.LazyVars;
import io.budgetctl.engine.template.Templater;
import io.budgetctl.engine.template.Truth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Executes loaded playbooks with Ansible's linear strategy: each task runs on all hosts of the batch in parallel
 * (at most {@code forks} at a time), then the next task. Hosts that fail (unrescued) or become unreachable leave
 * the play; handlers run at the end of pre_tasks, roles+tasks, post_tasks and on {@code meta: flush_handlers}.
 * Everything observable goes to the {@link RunListener}, from this (the coordinating) thread only.
 */
public final class Executor implements AutoCloseable {
    private final HostInventory inventory;
    private final Templater templater;
    private final ConnectionFactory connections;
    private final ExecOptions options;
    private final RunListener events;
    private final ExecutorService pool;
    /** The label of a loop item under no_log: Ansible censors the item result, its label included. */
    static final String NO_LOG_ITEM = "None";

    private final Stats stats = new Stats();
    private final Map<String, HostState> hosts = new LinkedHashMap<>();
    private final Set<String> failedHosts = new LinkedHashSet<>();
    private final Set<String> unreachableHosts = new LinkedHashSet<>();
    private final OpenConnections open;
    private final SecretLedger secretLedger = new SecretLedger();
    private final String omit = "__omit_place_holder__" + UUID.randomUUID().toString().replace("-", "");
    private final Variables variables;
    private final TaskSelection selection;
    private final TaskNames taskNames;
    private final MetaActions metaActions;
    private final PlayVarsFiles varsFiles;
    private final RunnerView.Services runnerServices;

    public Executor(HostInventory inventory, Templater templater, ModuleRegistry modules, ConnectionFactory connections,
                    FactSource factSource, LoadOptions loadOptions, ExecOptions options, RunListener events) {
        this.inventory = inventory;
        this.templater = templater;
        this.connections = connections;
        this.options = options;
        this.events = events;
        this.pool = Executors.newFixedThreadPool(Math.max(1, options.forks()), r -> {
            Thread t = new Thread(r, "budgetctl-worker");
            t.setDaemon(true);
            return t;
        });
        this.selection = new TaskSelection(options.tags(), options.skipTags(), options.startAtTask());
        this.taskNames = new TaskNames(templater, secretLedger);
        this.metaActions = new MetaActions(templater, events, this::warn);
        this.varsFiles = new PlayVarsFiles(inventory, templater, options.extraVars());
        this.variables = new Variables(new RunHosts(), inventory, templater, options, omit, failedHosts,
                unreachableHosts);
        this.open = new OpenConnections(connections, inventory);
        this.runnerServices = new RunnerView.Services(variables, secretLedger, templater, modules, options.check(),
                options.diff(), factSource, open, loadOptions);
        for (String h : inventory.hostNames()) {
            hosts.put(h, new HostState(h));
            secretLedger.addAll(Masking.secretObjectsIn(inventory.hostVars(h))); // hostvars['other'] secrets too
        }
        secretLedger.addAll(Masking.secretObjectsIn(options.extraVars()));
    }

    /** PLAY RECAP counts, hosts in inventory order. */
    public Map<String, HostStats> recap() {
        return stats.snapshot(inventory.hostNames());
    }

    /**
     * 4 if any host was unreachable, else 2 if any failed, else 0: ansible-playbook 2.14 checks unreachable hosts
     * first (one unreachable and one failed host exit 4 there, checked by hand against ansible-core 2.14.18).
     */
    public int exitCode() {
        if (!unreachableHosts.isEmpty()) {
            return 4;
        }
        return failedHosts.isEmpty() ? 0 : 2;
    }

    @Override
    public void close() {
        pool.shutdownNow();
        open.closeAll(events::warning);
    }

    /**
     * A warning of the run itself (Ansible's controller: printed once per run), masked as results are: a meta task's
     * condition written with {{ }}.
     */
    private void warn(String message) {
        events.warning(Masking.text(message, secretLedger.maskValues()));
    }

    /**
     * Lets the connection factory check every host these playbooks can reach (each play's pattern and --limit)
     * before any play starts ({@link ConnectionFactory#check}): e.g. the SSH key a deployments repository holds in a
     * secret is resolved and parsed here, so a missing or broken one stops the run before any host is touched.
     *
     * @throws io.budgetctl.engine.api.EngineException from the factory's check
     */
    public void checkConnections(List<Playbook> playbooks) {
        Set<String> targets = new LinkedHashSet<>();
        for (Playbook pb : playbooks) {
            for (Play play : pb.plays()) {
                try {
                    targets.addAll(playHosts(play));
                } catch (RuntimeException e) {
                    // a pattern that does not select is reported when its play runs
                }
            }
        }
        for (String host : targets) {
            Map<String, Object> vars = new LinkedHashMap<>(inventory.hostVars(host));
            vars.putAll(options.extraVars());
            connections.check(host, vars);
        }
    }

    /** Runs all plays of a playbook. Returns false when the run must stop (a play broke: all hosts failed, ...). */
    public boolean runPlaybook(Playbook pb) {
        for (Play play : pb.plays()) {
            if (!runPlay(play)) {
                return false;
            }
        }
        return true;
    }

    // ======================================================================== plays

    /** The run's --tags, --skip-tags and --start-at-task. */
    TaskSelection selection() {
        return selection;
    }

    List<String> playHosts(Play play) {
        List<String> selected = new ArrayList<>(inventory.select(play.hosts()));
        if (options.limit() != null && !options.limit().isBlank()) {
            Set<String> lim = new LinkedHashSet<>(inventory.select(options.limit()));
            selected.removeIf(h -> !lim.contains(h));
        }
        return selected;
    }

    private boolean runPlay(Play play) {
        List<String> matched = List.copyOf(playHosts(play));
        List<String> all = new ArrayList<>(matched);
        all.removeIf(h -> failedHosts.contains(h) || unreachableHosts.contains(h));
        PlayCtx pc = new PlayCtx(play, matched, all, new Handlers(play.handlerBlocks(), events, stats, failedHosts,
                (p, handler, scope, on) -> runTask(p, handler, scope, on, Map.of(), TaskEvent.Kind.HANDLER)));
        for (String h : all) {
            hosts.computeIfAbsent(h, HostState::new);
        }
        if (all.isEmpty()) {
            events.playStart(new PlayEvent(play.displayName(), play.hosts(), List.of(), options.check(),
                    play.location()));
            events.warning("skipping: no hosts matched");
            return true;
        }
        // Ansible cuts the batches from every host the play matches (hosts failed in earlier plays take their place
        // in a batch but do not run), ansible 2.14 PlaybookExecutor._get_serialized_batches
        List<String> inBatches = new ArrayList<>(matched);
        inBatches.removeIf(unreachableHosts::contains);
        for (List<String> batch : Batches.of(play, inBatches, templater, options.extraVars())) {
            pc.batch = batch;
            pc.active.clear();
            pc.active.addAll(batch);
            pc.active.removeIf(h -> failedHosts.contains(h) || unreachableHosts.contains(h));
            pc.failedBeforeBatch = new LinkedHashSet<>(failedHosts);
            pc.endBatch = false;
            if (pc.active.isEmpty()) {
                continue;
            }
            events.playStart(new PlayEvent(play.displayName(), play.hosts(), List.copyOf(pc.active), options.check(),
                    play.location()));
            int failedBefore = Batches.countFailed(batch, failedHosts, unreachableHosts);
            runBatch(pc);
            int failedAfter = Batches.countFailed(batch, failedHosts, unreachableHosts);
            if (pc.breakPlay || failedAfter - failedBefore >= batch.size() && failedAfter > 0) {
                return false;
            }
            if (pc.endPlay) {
                break;
            }
        }
        // ansible-playbook 2.14 goes on with the play's later batches after max_fail_percentage broke one, then stops
        return !pc.maxFailBreak;
    }

    private void runBatch(PlayCtx pc) {
        for (String h : pc.batch) {
            stats.touch(h);
            HostState hs = hosts.get(h);
            pc.handlers.forget(h);
            try {
                hs.varsFiles = varsFiles.load(pc.play, h, hs.setFacts);
            } catch (EngineException e) {
                TaskEvent te = new TaskEvent("vars_files", "vars_files", null, TaskEvent.Kind.TASK, e.location());
                events.taskStart(te);
                failHostEvent(pc, hs, te, e.oneLine());
                pc.active.remove(h);
                failedHosts.add(h);
                stats.add(h, Stats.Kind.FAILED);
            }
        }
        Object gf = pc.play.kw().get("gather_facts");
        if (gf == null || Truth.of(templater.render(gf, new LazyVars(templater, Variables.playVarsRaw(pc.play),
                pc.play.location()), pc.play.location()))) {
            gather(pc);
        }
        Scope root = Scope.play(pc.play.kw());
        List<List<Node>> sections = new ArrayList<>();
        sections.add(pc.play.preTasks());
        List<Node> main = new ArrayList<>(pc.play.roles());
        main.addAll(pc.play.tasks());
        sections.add(main);
        sections.add(pc.play.postTasks());
        for (int s = 0; s < sections.size(); s++) {
            if (pc.endPlay || pc.endBatch || pc.breakPlay || pc.active.isEmpty()) {
                break;
            }
            Block rootBlock = new Block(pc.play.location(), null, sections.get(s), null, null, Map.of(), null, true);
            Map<String, HostCursor> cursors = new LinkedHashMap<>();
            for (String h : pc.active) {
                cursors.put(h, new HostCursor(rootBlock, root, List.of(s)));
            }
            linear(pc, cursors);
            if (!pc.breakPlay && !pc.endPlay) {
                pc.handlers.flush(pc, new ArrayList<>(pc.active));
            }
        }
    }

    private void failHostEvent(PlayCtx pc, HostState hs, TaskEvent te, String msg) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("changed", false);
        d.put("failed", true);
        d.put("msg", msg);
        events.hostResult(new HostResultEvent(hs.name, te, Status.FAILED, null, msg, d, List.of(), false, null,
                java.time.Duration.ZERO));
    }

    private void gather(PlayCtx pc) {
        Task t = new Task(pc.play.location(), "Gathering Facts", Actions.GATHER_FACTS, Map.of(),
                Map.of(), null, false);
        if (!selection.tagsAllow(Set.of("always"))) {
            return;
        }
        runTask(pc, t, Scope.play(pc.play.kw()), new ArrayList<>(pc.active), Map.of(), TaskEvent.Kind.TASK);
    }

    // ======================================================================== linear strategy

    private void linear(PlayCtx pc, Map<String, HostCursor> cursors) {
        while (!pc.endPlay && !pc.endBatch && !pc.breakPlay) {
            TaskRef min = null;
            Map<String, TaskRef> next = new LinkedHashMap<>();
            for (String h : new ArrayList<>(pc.active)) {
                HostCursor c = cursors.get(h);
                if (c == null) {
                    continue;
                }
                TaskRef r = c.peek();
                if (r == null) {
                    continue;
                }
                next.put(h, r);
                if (min == null || r.compareTo(min) < 0) {
                    min = r;
                }
            }
            if (min == null) {
                return;
            }
            Map<Task, List<String>> groups = new LinkedHashMap<>();
            Map<String, TaskRef> refs = new LinkedHashMap<>();
            for (Map.Entry<String, TaskRef> e : next.entrySet()) {
                if (e.getValue().compareTo(min) == 0) {
                    groups.computeIfAbsent(e.getValue().task(), k -> new ArrayList<>()).add(e.getKey());
                    refs.put(e.getKey(), cursors.get(e.getKey()).advance());
                }
            }
            for (Map.Entry<Task, List<String>> g : groups.entrySet()) {
                runGroup(pc, g.getKey(), g.getValue(), refs, cursors);
                if (pc.endPlay || pc.endBatch || pc.breakPlay) {
                    return;
                }
            }
        }
    }

    private void runGroup(PlayCtx pc, Task task, List<String> groupHosts, Map<String, TaskRef> refs,
                          Map<String, HostCursor> cursors) {
        TaskRef first = refs.get(groupHosts.get(0));
        if (!selection.started(task) || !selection.tagsAllow(first.scope().tags(task))) {
            return;
        }
        if (task.action().equals(Actions.META)) {
            metaActions.run(pc, first, groupHosts, cursors, h -> vars(hosts.get(h), pc, first.scope(), task));
            return;
        }
        Map<String, HostOutcome> outcomes = runTask(pc, task, first.scope(), groupHosts, refs, TaskEvent.Kind.TASK);
        Map<List<Object>, HostOutcome.Included> roleCopies = new HashMap<>();
        for (Map.Entry<String, HostOutcome> e : outcomes.entrySet()) {
            String h = e.getKey();
            HostOutcome o = e.getValue();
            HostCursor c = cursors.get(h);
            if (c == null) {
                continue;
            }
            if (o.status() == Status.UNREACHABLE && !o.ignored()) {
                c.end();
                continue;
            }
            if (!o.includes().isEmpty() && !o.failed()) {
                List<Block> blocks = new ArrayList<>();
                List<Scope> scopes = new ArrayList<>();
                TaskRef r = refs.get(h);
                for (HostOutcome.Included own : o.includes()) {
                    HostOutcome.Included inc = own;
                    if (task.action().equals(Actions.INCLUDE_ROLE) && own.role() != null) {
                        // Ansible loads a role once per distinct include (hosts with the same arguments and loop
                        // item share it: their tasks run together) and adds a copy of its handlers for each
                        inc = roleCopies.computeIfAbsent(java.util.Arrays.asList(own.role().path(), own.args(),
                                own.params(), own.applyKw()), k -> {
                            pc.handlers.addIncluded(k, own.role().handlerBlocks());
                            return own;
                        });
                    }
                    blocks.add(inc.block());
                    scopes.add(r.scope().include(inc.params(), inc.role(), inc.applyKw()));
                }
                c.include(blocks, scopes);
            }
            if (o.failed()) {
                boolean rescued = c.fail();
                HostState hs = hosts.get(h);
                if (rescued) {
                    stats.add(h, Stats.Kind.RESCUED);
                    Map<String, Object> ft = new LinkedHashMap<>();
                    Scope failedIn = refs.get(h) == null ? first.scope() : refs.get(h).scope();
                    ft.put("name", taskNames.failed(task, () -> vars(hs, pc, failedIn, task)));
                    ft.put("action", task.action());
                    ft.put("args", task.args());
                    // the task as written: its args are template text of the failed task's scope (role vars ...),
                    // so it is data here, never rendered in the rescue's scope
                    hs.setFacts.put("ansible_failed_task", Unsafe.of(ft));
                    hs.setFacts.put("ansible_failed_result", Registered.of(o.result()));
                } else {
                    stats.add(h, Stats.Kind.FAILED);
                }
            }
        }
        for (String h : groupHosts) {
            HostCursor c = cursors.get(h);
            if (c != null && c.hostFailed()) {
                pc.active.remove(h);
                failedHosts.add(h);
            }
        }
        boolean anyFailed = outcomes.values().stream().anyMatch(o -> (o.failed() || o.status() == Status.UNREACHABLE
                && !o.ignored()) && (failedHosts.contains(o.host()) || unreachableHosts.contains(o.host())));
        Object aef = first.scope().keyword(task, "any_errors_fatal");
        if (anyFailed && Truth.of(aef)) {
            for (String h : pc.active) {
                failedHosts.add(h);
            }
            pc.active.clear();
            pc.breakPlay = true;
            return;
        }
        if (Batches.maxFailExceeded(pc.play.kw().get("max_fail_percentage"), pc.batch, pc.failedBeforeBatch,
                failedHosts, pc.play.location())) {
            // the batch's other hosts are marked failed (not counted in the recap) and stop here
            failedHosts.addAll(pc.active);
            pc.active.clear();
            pc.endBatch = true;
            pc.maxFailBreak = true;
        }
    }

    // ======================================================================== one task on many hosts

    /**
     * Runs {@code task} on {@code on} in parallel, emits events and applies results (stats, register, facts,
     * notify). Failure handling is left to the caller: block-aware in runGroup, {@link Handlers#flush} for handlers.
     */
    private Map<String, HostOutcome> runTask(PlayCtx pc, Task task, Scope scope, List<String> on,
                                             Map<String, TaskRef> refs, TaskEvent.Kind kind) {
        List<String> targets = new ArrayList<>(on);
        Object runOnce = scope.keyword(task, "run_once");
        boolean once = Truth.of(runOnce);
        if ((once || bypassesHostLoop(task.action())) && targets.size() > 1) {
            // a bypass-host-loop action runs like run_once on the first host, but (not being run_once) its result
            // is neither registered on nor counted for the other hosts (ansible 2.14 strategy/linear.py)
            targets = List.of(targets.get(0));
        }
        HostState shownFor = hosts.get(targets.get(0));
        TaskEvent te = new TaskEvent(taskNames.header(task, () -> vars(shownFor, pc, scope, task)), task.action(),
                TaskNames.roleName(task), kind, task.location(), task.register());
        events.taskStart(te);
        ExecutorCompletionService<HostOutcome> ecs = new ExecutorCompletionService<>(pool);
        Map<Future<HostOutcome>, String> futures = new LinkedHashMap<>();
        for (String h : targets) {
            TaskRef ref = refs.getOrDefault(h, new TaskRef(task, scope, List.of()));
            TaskRunner runner = new TaskRunner(new RunnerView(runnerServices, pc, hosts.get(h)), ref);
            futures.put(ecs.submit(runner::run), h);
        }
        Map<String, HostOutcome> out = new LinkedHashMap<>();
        for (int i = 0; i < futures.size(); i++) {
            HostOutcome o;
            try {
                o = ecs.take().get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new EngineException(SourceLocation.UNKNOWN, "interrupted", null);
            } catch (ExecutionException e) {
                throw new IllegalStateException("task runner crashed", e.getCause());
            }
            out.put(o.host(), o);
            apply(pc, task, te, o);
        }
        if (once && on.size() > 1) {
            HostOutcome o = out.get(targets.get(0));
            String reg = task.register();
            for (String h : on.subList(1, on.size())) {
                HostState hs = hosts.get(h);
                if (reg != null) {
                    hs.setFacts.put(reg, Registered.of(o.result()));
                }
                hs.setFacts.putAll(o.facts());
                if (o.failed()) {
                    out.put(h, new HostOutcome(h, o.status(), o.result(), o.items(), o.diffs(), o.msg(), false,
                            Map.of(), Map.of(), List.of(), null, o.noLog(), o.duration(), o.secrets(), List.of()));
                }
                if (o.status() != Status.FAILED && !o.includes().isEmpty()) {
                    out.put(h, new HostOutcome(h, o.status(), o.result(), o.items(), o.diffs(), o.msg(), o.ignored(),
                            Map.of(), Map.of(), o.includes(), null, o.noLog(), o.duration(), o.secrets(),
                            List.of()));
                }
            }
        }
        // keep results in host order for the caller
        Map<String, HostOutcome> ordered = new LinkedHashMap<>();
        for (String h : on) {
            if (out.containsKey(h)) {
                ordered.put(h, out.get(h));
            }
        }
        return ordered;
    }

    /** Ansible's action plugins with BYPASS_HOST_LOOP = True: they run once per batch, on its first host. */
    private static final Set<String> BYPASS_HOST_LOOP = Set.of("pause", "add_host");

    static boolean bypassesHostLoop(String action) {
        String a = action;
        for (String prefix : new String[] {"ansible.builtin.", "ansible.legacy."}) {
            if (a.startsWith(prefix)) {
                a = a.substring(prefix.length());
            }
        }
        return BYPASS_HOST_LOOP.contains(a);
    }

    private void apply(PlayCtx pc, Task task, TaskEvent te, HostOutcome o) {
        HostState hs = hosts.get(o.host());
        boolean silent = task.action().equals(Actions.INCLUDE_ROLE)
                && (o.status() == Status.OK || o.status() == Status.CHANGED);
        for (String w : o.warnings()) {
            // before the host's results, where ansible-playbook prints what its worker warned of
            events.hostWarning(o.host(), Masking.text(w, o.secrets()));
        }
        for (HostOutcome.Item item : silent ? List.<HostOutcome.Item>of() : o.items()) {
            // no_log censors the item's result, its label included: Ansible prints "(item=None)"
            events.hostResult(new HostResultEvent(o.host(), te, item.status(),
                    o.noLog() ? NO_LOG_ITEM : Masking.text(item.label(), o.secrets()),
                    o.noLog() ? null : Masking.text(item.msg(), o.secrets()),
                    Masking.mask(item.result(), o.noLog(), o.secrets()),
                    o.noLog() ? List.of() : Masking.diffs(item.diffs(), o.secrets()),
                    item.status() == Status.FAILED && o.ignored(), o.delegatedTo(), o.duration()));
        }
        if (!silent) {
            events.hostResult(new HostResultEvent(o.host(), te, o.status(), null,
                    o.noLog() ? null : Masking.text(o.msg(), o.secrets()), Masking.mask(o.result(), o.noLog(),
                    o.secrets()), o.noLog() ? List.of() : Masking.diffs(o.diffs(), o.secrets()), o.ignored(),
                    o.delegatedTo(), o.duration()));
        }
        if (stats.count(task.action(), o)) {
            unreachableHosts.add(o.host());
            pc.active.remove(o.host());
        }
        String reg = task.register();
        if (reg != null && o.status() != Status.UNREACHABLE) {
            hs.setFacts.put(reg, Registered.of(o.result())); // what the host answered is data
        }
        if (task.action().equals(Actions.GATHER_FACTS) || task.action().equals(Actions.SETUP)) {
            hs.facts.putAll(o.facts());
        } else {
            hs.setFacts.putAll(o.facts());
        }
        hs.includeVars.putAll(o.includeVars());
        // only a change notifies: a failure that was ignored does not, even when it reports changed (as Ansible)
        if (o.status() == Status.CHANGED) {
            pc.handlers.notifyBy(task, o.host());
        }
    }

    // ======================================================================== variables

    /**
     * All variables for {@code task} on host {@code hs}, merged in Ansible's precedence order (lowest first) and
     * templated. See docs/playbooks.md "Variable precedence".
     */
    Map<String, Object> vars(HostState hs, PlayCtx pc, Scope scope, Task task) {
        return variables.forTask(hs, pc, scope, task);
    }

    /** hostvars' view of the run: the hosts' states kept here, their host-level variables from {@link Variables}. */
    private final class RunHosts implements HostVarsSource {
        @Override
        public List<String> hostNames() {
            return new ArrayList<>(hosts.keySet());
        }

        @Override
        public boolean knows(String host) {
            return hosts.containsKey(host);
        }

        @Override
        public Map<String, Object> hostLevelVars(String host, PlayCtx pc) {
            return variables.forHost(hosts.computeIfAbsent(host, HostState::new), pc);
        }
    }

}
