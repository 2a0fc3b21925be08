package io.budgetctl.engine.exec;

import io.budgetctl.engine.event.RunListener;
import io.budgetctl.engine.playbook.Keywords;
import io.budgetctl.engine.playbook.Task;
import io.budgetctl.engine.template.Truth;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One play's handlers: the list (the roles' then the play's, plus a copy for each distinct include_role), what each
 * host has been notified of, and the flush that runs them. A handler runs as any task does, through the executor
 * ({@link Runner}); only the failure handling of handlers (no blocks, no rescue) is done here. Used from the
 * coordinating thread only, like the rest of the run's state.
 */
final class Handlers {
    /** Runs a handler on {@code hosts} as the executor runs any task and returns the outcomes in host order. */
    @FunctionalInterface
    interface Runner {
        Map<String, HostOutcome> run(PlayCtx pc, Task handler, Scope scope, List<String> hosts);
    }

    /**
     * The handler blocks, oldest first: the roles', the play's, then each include_role copy's. A notify by name
     * searches them from the newest back, each from its first handler (Ansible 2.14's search_handler_blocks_by_name).
     */
    private final List<List<Task>> blocks = new ArrayList<>();
    /** Every handler in list order, the order a flush runs them in. */
    private final List<Task> handlers = new ArrayList<>();
    /** By identity: each include_role's copy of a role's handlers is notified and run on its own. */
    private final Map<String, Set<Task>> notified = new HashMap<>();
    /** The keys of the include_role copies added (see {@link #addIncluded}). */
    private final Set<List<Object>> includedRoles = new HashSet<>();
    private final RunListener events;
    private final Stats stats;
    private final Set<String> failedHosts;
    private final Runner runner;

    Handlers(List<List<Task>> playHandlers, RunListener events, Stats stats, Set<String> failedHosts, Runner runner) {
        append(playHandlers);
        this.events = events;
        this.stats = stats;
        this.failedHosts = failedHosts;
        this.runner = runner;
    }

    /**
     * The handler blocks of a role include_role loaded (again), with {@code key}, the include's role, arguments and
     * parameters (its vars as written and its loop item): appended, so by name the newest copy is notified. Unless
     * this play has included the role with the same key before: Ansible 2.14 then reuses the role it loaded (its
     * ROLE_CACHE), so the handlers are the ones already here, and a listener among them runs once, not twice.
     */
    void addIncluded(List<Object> key, List<List<Task>> roleHandlers) {
        if (includedRoles.add(key)) {
            append(roleHandlers);
        }
    }

    private void append(List<List<Task>> more) {
        for (List<Task> block : more) {
            blocks.add(block);
            handlers.addAll(block);
        }
    }

    /**
     * Drops what {@code host} was notified of and not flushed (a host that ended or failed before a flush): a host
     * starts its batch with nothing pending. A new play starts with new {@code Handlers}, so this matters only for a
     * host listed in two batches of the play.
     */
    void forget(String host) {
        notified.remove(host);
    }

    /**
     * Notifies, for {@code host}, the handlers {@code task} names in {@code notify} (not {@code notify()}: that is
     * Object's), as Ansible's lookup does: by name, the first match in the block loaded last that has one (so the
     * play's handler over a role's, the newest include_role copy over older ones, but within one block the first of
     * two handlers of the same name); by {@code listen}, every handler listening to the topic.
     */
    void notifyBy(Task task, String host) {
        Set<Task> pending = notified.computeIfAbsent(host, k -> Collections.newSetFromMap(new IdentityHashMap<>()));
        for (String n : Keywords.stringList(task.kw().get("notify"))) {
            Task named = byName(n);
            boolean found = named != null;
            if (found) {
                pending.add(named);
            }
            // every listener, even two of the same name (ansible-core 2.15 keeps only the last of those; 2.14 not)
            for (Task h : handlers) {
                if (h.listen().contains(n)) {
                    pending.add(h);
                    found = true;
                }
            }
            if (!found) {
                events.warning("The requested handler '" + n + "' was not found in either the main handlers list "
                        + "nor in the listening handlers list (notified by " + task.location() + ")");
            }
        }
    }

    private Task byName(String n) {
        for (int b = blocks.size() - 1; b >= 0; b--) {
            for (Task h : blocks.get(b)) {
                if (h.name() != null && (h.name().equals(n)
                        || (h.role() != null && (h.role().name() + " : " + h.name()).equals(n)))) {
                    return h;
                }
            }
        }
        return null;
    }

    /**
     * Runs, in list order, each handler notified on any of {@code forHosts} that is still active, on those hosts.
     * A handler that fails fails its host (there is no rescue around a handler); with any_errors_fatal (its own, or
     * the play's when it has none) it ends the play for every host, and so the run.
     */
    void flush(PlayCtx pc, List<String> forHosts) {
        // a handler notified by one that runs here (it changed something) runs in this flush if it comes later
        for (int i = 0; i < handlers.size(); i++) {
            Task handler = handlers.get(i);
            List<String> run = new ArrayList<>();
            for (String h : forHosts) {
                Set<Task> pending = notified.get(h);
                if (pc.active.contains(h) && pending != null && pending.remove(handler)) {
                    run.add(h);
                }
            }
            if (run.isEmpty()) {
                continue;
            }
            Scope scope = Scope.play(pc.play.kw());
            Map<String, HostOutcome> outcomes = runner.run(pc, handler, scope, run);
            for (HostOutcome o : outcomes.values()) {
                if (o.failed()) {
                    stats.add(o.host(), Stats.Kind.FAILED);
                    failedHosts.add(o.host());
                    pc.active.remove(o.host());
                }
            }
            // the handler's own any_errors_fatal, else the play's, as for any task
            if (Truth.of(scope.keyword(handler, "any_errors_fatal")) && outcomes.values().stream()
                    .anyMatch(HostOutcome::failed)) {
                failedHosts.addAll(pc.active);
                pc.active.clear();
                pc.breakPlay = true;
                return;
            }
        }
    }
}
