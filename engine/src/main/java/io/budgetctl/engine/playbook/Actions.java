package io.budgetctl.engine.playbook;

import java.util.Set;

/** Actions the engine itself implements (not modules): includes, imports, meta, include_vars, setup. */
public final class Actions {
    public static final String INCLUDE_TASKS = "include_tasks";
    public static final String IMPORT_TASKS = "import_tasks";
    public static final String INCLUDE_ROLE = "include_role";
    public static final String IMPORT_ROLE = "import_role";
    public static final String META = "meta";
    public static final String INCLUDE_VARS = "include_vars";
    public static final String SETUP = "setup";
    public static final String GATHER_FACTS = "gather_facts";

    static final Set<String> INTERNAL = Set.of(INCLUDE_TASKS, IMPORT_TASKS, INCLUDE_ROLE, IMPORT_ROLE, META,
            INCLUDE_VARS, SETUP, GATHER_FACTS);

    public static final Set<String> META_ACTIONS = Set.of("flush_handlers", "end_play", "end_host", "noop",
            "clear_facts", "clear_host_errors", "end_batch", "refresh_inventory", "reset_connection");

    private Actions() {
    }

    /** "ansible.builtin.include_tasks" -> "include_tasks" for internal actions; others unchanged. */
    public static String canonical(String action) {
        for (String prefix : new String[] {"ansible.builtin.", "ansible.legacy."}) {
            if (action.startsWith(prefix) && INTERNAL.contains(action.substring(prefix.length()))) {
                return action.substring(prefix.length());
            }
        }
        return action;
    }

    public static boolean isInternal(String action) {
        return INTERNAL.contains(canonical(action));
    }
}
