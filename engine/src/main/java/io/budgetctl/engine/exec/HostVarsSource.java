package io.budgetctl.engine.exec;

import java.util.List;
import java.util.Map;

/**
 * What {@code hostvars} needs of the run, and all that {@link Variables} needs of it: the hosts the run knows and
 * each one's host-level variables as a template sees them. {@link Executor} answers from its host states; a test can
 * answer from a map.
 */
interface HostVarsSource {
    /** Every host the run knows, in the order hostvars lists them (the inventory's). */
    List<String> hostNames();

    /** Whether the run knows {@code host} (hostvars also has the play's hosts, known or not). */
    boolean knows(String host);

    /**
     * {@code host}'s variables as {@code hostvars[host]} shows them to a template of play {@code pc}: inventory,
     * facts, include_vars, set_fact/register and extra vars, no play, role or task levels (Ansible 2.14).
     */
    Map<String, Object> hostLevelVars(String host, PlayCtx pc);
}
