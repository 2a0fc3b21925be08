package io.budgetctl.engine.exec;

import io.budgetctl.engine.playbook.Task;
import java.util.List;

/**
 * A task as one host meets it: the task, its parent {@link Scope} and its position in the play (a path of
 * indexes; lexicographic order is execution order, so the linear strategy can run the lowest position first).
 */
record TaskRef(Task task, Scope scope, List<Integer> position) implements Comparable<TaskRef> {
    @Override
    public int compareTo(TaskRef o) {
        for (int i = 0; i < Math.min(position.size(), o.position.size()); i++) {
            int c = Integer.compare(position.get(i), o.position.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(position.size(), o.position.size());
    }
}
