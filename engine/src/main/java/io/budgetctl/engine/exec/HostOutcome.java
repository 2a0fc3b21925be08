package io.budgetctl.engine.exec;

import io.budgetctl.engine.event.Status;
import io.budgetctl.engine.module.Result;
import io.budgetctl.engine.playbook.Block;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What one task did on one host: the registered result dict, the status the recap counts, per-item results of a
 * loop, side effects the coordinator applies between tasks (facts, include_vars, included blocks), and the warnings
 * the task raised on the host, each once, unmasked (the coordinator masks them with {@code secrets} and emits them).
 */
record HostOutcome(String host, Status status, Map<String, Object> result, List<Item> items,
                   List<Result.Diff> diffs, String msg, boolean ignored, Map<String, Object> facts,
                   Map<String, Object> includeVars, List<Included> includes, String delegatedTo, boolean noLog,
                   Duration duration, java.util.Set<String> secrets, List<String> warnings) {

    record Item(String label, Status status, Map<String, Object> result, List<Result.Diff> diffs, String msg) {
    }

    /**
     * Content an include_tasks/include_role produced, with the scope its tasks run in; {@code args} are the
     * include's rendered arguments (with params, what tells one include_role's copy of the handlers from another).
     */
    record Included(Block block, Map<String, Object> params, io.budgetctl.engine.playbook.Role role,
                    Map<String, Object> applyKw, Map<String, Object> args) {
    }

    boolean failed() {
        return status == Status.FAILED && !ignored;
    }

    boolean changed() {
        return Boolean.TRUE.equals(result.get("changed"));
    }
}
