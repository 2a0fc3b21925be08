package io.budgetctl.engine.exec;

import io.budgetctl.engine.event.RunListener;
import io.budgetctl.engine.event.TaskEvent;
import io.budgetctl.engine.playbook.Actions;
import io.budgetctl.engine.playbook.Task;
import io.budgetctl.engine.template.Templater;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * {@code meta:} tasks, which act on the play instead of running on hosts: flush_handlers, end_play, end_batch,
 * end_host and noop (the loader refuses the others). Such a task applies to the hosts whose {@code when:} (its own
 * and its blocks') holds; it shows its header and nothing per host. Apart from the executor because what it changes
 * is the play's state alone: its handlers, end flags and active hosts, and the ended hosts' cursors.
 */
final class MetaActions {
    private final Templater templater;
    private final RunListener events;
    private final Consumer<String> warnings;

    /**
     * {@code warnings} gets what the conditions warn of: a meta task's conditions are evaluated by the controller (as
     * in Ansible), so its warnings are the run's, not a host's.
     */
    MetaActions(Templater templater, RunListener events, Consumer<String> warnings) {
        this.templater = templater;
        this.events = events;
        this.warnings = warnings;
    }

    /**
     * Runs the meta task {@code ref} for {@code hosts}: {@code vars} gives a host's variables for the task (for its
     * conditions), {@code cursors} each host's place in the play's section (end_host ends it there).
     */
    void run(PlayCtx pc, TaskRef ref, List<String> hosts, Map<String, HostCursor> cursors,
             Function<String, Map<String, Object>> vars) {
        Task task = ref.task();
        String what = String.valueOf(task.args().get("_raw_params")).strip();
        List<String> selected = new ArrayList<>();
        Set<String> warned = new LinkedHashSet<>();
        for (String h : hosts) {
            if (conditionsHold(ref, vars.apply(h), warned)) {
                selected.add(h);
            }
        }
        events.taskStart(new TaskEvent(task.displayName(), Actions.META, TaskNames.roleName(task),
                TaskEvent.Kind.META, task.location()));
        warned.forEach(warnings); // under the task's header, as ansible-playbook prints them
        switch (what) {
            case "flush_handlers" -> pc.handlers.flush(pc, selected);
            case "end_play" -> {
                if (!selected.isEmpty()) {
                    pc.endPlay = true;
                }
            }
            case "end_batch" -> {
                if (!selected.isEmpty()) {
                    pc.endBatch = true;
                }
            }
            case "end_host" -> {
                for (String h : selected) {
                    HostCursor c = cursors.get(h);
                    if (c != null) {
                        c.end();
                    }
                    pc.active.remove(h);
                }
            }
            default -> {
            }
        }
    }

    /**
     * The blocks' and the task's when: conditions in {@code vars}, by the same rules as any task's ({@link Conditions}:
     * {{ }} conditions, first false stops); what they warn of is added to {@code warned}.
     */
    private boolean conditionsHold(TaskRef ref, Map<String, Object> vars, Set<String> warned) {
        Task task = ref.task();
        return new Conditions(templater, task.location(), warned::add).when(ref.scope().whens(),
                task.kw().get("when"), vars);
    }
}
