package io.budgetctl.engine.exec;

import io.budgetctl.engine.playbook.Task;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which tasks the run's options let through: --tags and --skip-tags as Ansible evaluates a task's tags (with
 * {@code always}, {@code never}, {@code tagged}, {@code untagged} and {@code all}), and --start-at-task, which holds
 * back every task until the first one whose name matches and then none, for the rest of the run. Apart from the
 * executor so that the selection rules can be checked without running a play.
 */
final class TaskSelection {
    private final List<String> tags;
    private final List<String> skipTags;
    private final String startAtTask;
    private boolean started;

    /** {@code startAtTask} null or blank: every task is past the start. */
    TaskSelection(List<String> tags, List<String> skipTags, String startAtTask) {
        this.tags = List.copyOf(tags);
        this.skipTags = List.copyOf(skipTags);
        this.startAtTask = startAtTask;
        this.started = startAtTask == null || startAtTask.isBlank();
    }

    /**
     * Whether the run has reached --start-at-task with {@code task}, the next task it meets: false until a task
     * matches, true for that one and every later one.
     */
    boolean started(Task task) {
        if (!started && matchesStart(startAtTask, task)) {
            started = true;
        }
        return started;
    }

    /** Ansible's tag selection: --tags (default all) then --skip-tags; always/never/tagged/untagged. */
    boolean tagsAllow(Set<String> taskTags) {
        Set<String> t = taskTags.isEmpty() ? Set.of("untagged") : taskTags;
        List<String> only = tags.isEmpty() ? List.of("all") : tags;
        boolean run = false;
        if (t.contains("always")) {
            run = true;
        } else if (only.contains("all") && !t.contains("never")) {
            run = true;
        } else if (t.stream().anyMatch(only::contains)) {
            run = true;
        } else if (only.contains("tagged") && !taskTags.isEmpty() && !t.contains("never")) {
            run = true;
        }
        if (run && !skipTags.isEmpty()) {
            if (skipTags.contains("all")) {
                if (!t.contains("always") || skipTags.contains("always")) {
                    run = false;
                }
            } else if (t.stream().anyMatch(skipTags::contains)) {
                run = false;
            } else if (skipTags.contains("tagged") && !taskTags.isEmpty()) {
                run = false;
            }
        }
        return run;
    }

    /** --start-at-task {@code want} against the task's name or its display name ("role : name"), exact or a glob. */
    static boolean matchesStart(String want, Task task) {
        String name = task.name() == null ? "" : task.name();
        return name.equals(want) || task.displayName().equals(want) || glob(want, name)
                || glob(want, task.displayName());
    }

    /** The whole of {@code s} against {@code pattern}, where {@code *} is any text and {@code ?} any character. */
    static boolean glob(String pattern, String s) {
        StringBuilder re = new StringBuilder();
        for (char ch : pattern.toCharArray()) {
            switch (ch) {
                case '*' -> re.append(".*");
                case '?' -> re.append('.');
                default -> re.append(Pattern.quote(String.valueOf(ch)));
            }
        }
        return s.matches(re.toString());
    }
}
