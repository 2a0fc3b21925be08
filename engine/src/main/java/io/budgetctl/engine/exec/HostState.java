package io.budgetctl.engine.exec;

import io.budgetctl.engine.connection.Connection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the run remembers about one host across plays: facts, set_fact/register results (Ansible's non-persistent
 * fact cache, which lives for the whole run), include_vars, the open connection, and per play: vars_files (what a
 * host was notified of is the play's {@link Handlers}'). Only the coordinating thread writes here, between tasks.
 */
final class HostState {
    final String name;
    final Map<String, Object> facts = new LinkedHashMap<>();
    final Map<String, Object> setFacts = new LinkedHashMap<>();
    final Map<String, Object> includeVars = new LinkedHashMap<>();
    Map<String, Object> varsFiles = new LinkedHashMap<>();
    Connection connection;
    Connection delegated;

    HostState(String name) {
        this.name = name;
    }
}
