package io.budgetctl.engine.exec;

import io.budgetctl.engine.event.Status;
import io.budgetctl.engine.module.Result;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One execution of a task on a host: the whole task when it has no loop, else one item. A record of its own because
 * the runner, its loop ({@link ItemLoop}) and its include actions ({@link Includes}) all produce one.
 */
record Execution(Status status, Map<String, Object> result, List<Result.Diff> diffs, String msg) {

    /** A task or item whose when: does not hold: Ansible's skipped result. */
    static Execution skipped() {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("changed", false);
        r.put("skip_reason", "Conditional result was False");
        r.put("skipped", true);
        return new Execution(Status.SKIPPED, r, List.of(), null);
    }
}
