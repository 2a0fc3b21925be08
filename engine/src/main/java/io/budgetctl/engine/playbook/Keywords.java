package io.budgetctl.engine.playbook;

import io.budgetctl.engine.module.Levenshtein;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The keywords budgetctl knows at each level, as in Ansible 2.14. {@code UNSUPPORTED} ones are Ansible keywords
 * budgetctl refuses with a clear message rather than ignoring silently.
 */
public final class Keywords {
    static final Set<String> COMMON = Set.of("any_errors_fatal", "become", "become_user", "become_method",
            "become_flags", "become_exe", "check_mode", "diff", "environment", "ignore_errors", "ignore_unreachable",
            "name", "no_log", "run_once", "tags", "vars", "when", "collections", "connection", "remote_user", "port",
            "throttle", "timeout", "debugger", "delegate_to", "delegate_facts", "module_defaults");

    public static final Set<String> TASK = union(COMMON, Set.of("action", "args", "changed_when", "delay",
            "failed_when", "local_action", "loop", "loop_control", "notify", "register", "retries", "until",
            "async", "poll", "listen"));

    public static final Set<String> BLOCK = union(COMMON, Set.of("block", "rescue", "always", "notify"));

    public static final Set<String> PLAY = union(COMMON, Set.of("hosts", "gather_facts", "gather_subset",
            "gather_timeout", "fact_path", "handlers", "max_fail_percentage", "post_tasks", "pre_tasks", "roles",
            "serial", "strategy", "tasks", "vars_files", "vars_prompt", "force_handlers", "order"));

    /** Keywords a {@code roles:} entry may carry besides role:/name: (everything else is a role parameter). */
    public static final Set<String> ROLE_ENTRY = union(COMMON, Set.of("role"));

    /** Known to Ansible but not implemented: refused at load time. */
    public static final Set<String> UNSUPPORTED = Set.of("async", "poll", "vars_prompt", "module_defaults",
            "debugger", "delegate_facts", "force_handlers");

    private Keywords() {
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> s = new TreeSet<>(a);
        s.addAll(b);
        return Set.copyOf(s);
    }

    /** The known keywords closest to {@code word}. */
    public static List<String> nearest(String word, Collection<String> known, int max) {
        List<String> all = new ArrayList<>(new TreeSet<>(known));
        all.sort(Comparator.comparingInt(k -> Levenshtein.distance(word, k)));
        return all.subList(0, Math.min(max, all.size()));
    }

    /** A string or list of strings as a list (null -> empty), as for tags, notify, listen. */
    public static List<String> stringList(Object v) {
        if (v == null) {
            return List.of();
        }
        if (v instanceof Collection<?> c) {
            return c.stream().map(String::valueOf).toList();
        }
        String s = String.valueOf(v);
        return List.of(s);
    }

    /** Tags may also be written "a,b": split on commas like Ansible. */
    public static List<String> tags(Object v) {
        List<String> out = new ArrayList<>();
        for (String s : stringList(v)) {
            for (String t : s.split(",")) {
                if (!t.isBlank()) {
                    out.add(t.strip());
                }
            }
        }
        return out;
    }

    /** A {@code with_*} loop keyword (which ones run is the validator's business). */
    public static boolean isLoopKeyword(String k) {
        return k.startsWith("with_");
    }

    /**
     * The keys of a task mapping that are neither keywords nor with_* loops: its module, when the task is right.
     * Shared by the loader, which reads the action from them, and the validator, which wants exactly one.
     */
    static List<String> actionKeys(Map<String, Object> task) {
        List<String> out = new ArrayList<>();
        for (String k : task.keySet()) {
            if (!TASK.contains(k) && !isLoopKeyword(k)) {
                out.add(k);
            }
        }
        return out;
    }

    /** {@code action} or {@code local_action} when the task names its module that way (action wins), else null. */
    static String actionKeyword(Map<String, Object> task) {
        return task.containsKey("action") ? "action" : task.containsKey("local_action") ? "local_action" : null;
    }
}
