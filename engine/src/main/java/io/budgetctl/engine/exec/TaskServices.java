package io.budgetctl.engine.exec;

import io.budgetctl.engine.connection.Connection;
import io.budgetctl.engine.module.ModuleRegistry;
import io.budgetctl.engine.playbook.PlaybookLoader;
import io.budgetctl.engine.playbook.Task;
import io.budgetctl.engine.template.Templater;
import java.util.Map;

/**
 * What running one task on one host needs from the run around it, and nothing more: {@link TaskRunner} sees the run
 * through this (the executor implements it), not the executor's strategy, batches, handlers or host bookkeeping.
 */
interface TaskServices {
    /** Every secret value the run has seen, for masking. */
    SecretLedger secretLedger();

    Templater templater();

    ModuleRegistry modules();

    ExecOptions options();

    /** The task's variables on the host, in precedence order, lazily templated ({@link Variables}). */
    Map<String, Object> vars(HostState hs, Executor.PlayCtx pc, Scope scope, Task task);

    /** Facts of the host behind {@code c} (gather_facts / setup). */
    Map<String, Object> gatherFacts(Connection c);

    /** A loader for files included at run time (include_tasks, include_role), relative to the play. */
    PlaybookLoader loader(Executor.PlayCtx pc);

    /** The (shared, opened once) connection to {@code host}; {@code vars} may be null to use the inventory's. */
    Connection connectionFor(String host, Map<String, Object> vars);
}
