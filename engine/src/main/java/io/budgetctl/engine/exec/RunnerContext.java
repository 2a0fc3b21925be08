package io.budgetctl.engine.exec;

import io.budgetctl.engine.connection.Connection;
import io.budgetctl.engine.module.ModuleRegistry;
import io.budgetctl.engine.playbook.PlaybookLoader;
import io.budgetctl.engine.playbook.Role;
import io.budgetctl.engine.playbook.Task;
import io.budgetctl.engine.template.Templater;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What one {@link TaskRunner} (one task on one host, on a worker thread) may ask of the play around it: the host's
 * variables for the task, the templater and the run's secret ledger, a module and the run's --check/--diff, the
 * host's facts and a connection, and what include_tasks/include_role/include_vars resolve against (a loader, the
 * play's directory and roles). The executor hands each runner one, bound to the play and the host.
 *
 * <p>It is narrow because runners run in parallel while the coordinating thread owns the run's state: through this a
 * runner reaches neither the executor nor the play's active hosts, handlers and end flags, nor any host's state,
 * stats or the event listener. So all it can do is compute its {@link HostOutcome}; applying it (register, facts,
 * notify, stats, events) stays the executor's, between tasks.
 */
interface RunnerContext {
    /** The inventory name of the host the task runs on. */
    String host();

    /** The task's variables on the host, in precedence order, lazily templated ({@link Variables}). */
    Map<String, Object> vars(Scope scope, Task task);

    /** Every secret value the run has seen, for masking. */
    SecretLedger secretLedger();

    Templater templater();

    ModuleRegistry modules();

    /** The run's --check; a task's check_mode keyword overrides it for that task only. */
    boolean checkMode();

    /** The run's --diff; a task's diff keyword overrides it for that task only. */
    boolean diffMode();

    /** Facts of the host behind {@code c} (gather_facts / setup). */
    Map<String, Object> gatherFacts(Connection c);

    /** The (shared, opened once) connection to {@code host}; {@code vars} may be null to use the inventory's. */
    Connection connectionFor(String host, Map<String, Object> vars);

    /** A loader for files included at run time (include_tasks, include_role), relative to the play. */
    PlaybookLoader loader();

    /** The play's directory: include_vars and a module's files are looked for there last. */
    Path baseDir();

    /** The play's roles, read only: a dependency of an included role that one of them already is does not run again. */
    List<Role> roles();
}
