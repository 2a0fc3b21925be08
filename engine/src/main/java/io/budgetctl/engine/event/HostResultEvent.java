package io.budgetctl.engine.event;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One host's result for one task (or one loop item: {@code item} is the label, else null). {@code ignored} is
 * true for a failure under ignore_errors; {@code status} is then FAILED and the console prints "...ignoring".
 * {@code data} is the masked result dict (what -v prints); {@code diffs} feed --diff output; {@code delegatedTo} is
 * the host the task ran on when delegated.
 */
public record HostResultEvent(String host, TaskEvent task, Status status, String item, String msg,
                              Map<String, Object> data, List<io.budgetctl.engine.module.Result.Diff> diffs,
                              boolean ignored, String delegatedTo, Duration duration) {
}
