package io.budgetctl.engine.exec;

import io.budgetctl.engine.connection.Connection;
import io.budgetctl.engine.playbook.Task;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What the run remembers about one host across plays: facts, set_fact/register results (Ansible's non-persistent
 * fact cache, which lives for the whole run), include_vars, the open connection, and per play: vars_files and
 * notified handlers. Only the coordinating thread writes here, between tasks.
 */
final class HostState {
    final String name;
    final Map<String, Object> facts = new LinkedHashMap<>();
    final Map<String, Object> setFacts = new LinkedHashMap<>();
    final Map<String, Object> includeVars = new LinkedHashMap<>();
    Map<String, Object> varsFiles = new LinkedHashMap<>();
    /** By identity: each include_role's copy of a role's handlers is notified and run on its own. */
    final Set<Task> notified = Collections.newSetFromMap(new IdentityHashMap<>());
    Connection connection;
    Connection delegated;

    HostState(String name) {
        this.name = name;
    }
}
