package io.budgetctl.engine.exec;

import io.budgetctl.engine.connection.Connection;
import io.budgetctl.engine.module.ModuleRegistry;
import io.budgetctl.engine.playbook.LoadOptions;
import io.budgetctl.engine.playbook.PlaybookLoader;
import io.budgetctl.engine.playbook.Role;
import io.budgetctl.engine.playbook.Task;
import io.budgetctl.engine.template.Templater;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@link RunnerContext} of one task on one host: the run's services plus this play and this host, bound here
 * so that the runner never holds the play's or the host's mutable state, only answers computed from them.
 */
final class RunnerView implements RunnerContext {
    /** What every runner of the run shares; each part is safe to use from several workers at once. */
    record Services(Variables variables, SecretLedger secretLedger, Templater templater, ModuleRegistry modules,
                    boolean checkMode, boolean diffMode, FactSource factSource, OpenConnections connections,
                    LoadOptions loadOptions) {
    }

    private final Services services;
    private final PlayCtx pc;
    private final HostState hs;

    RunnerView(Services services, PlayCtx pc, HostState hs) {
        this.services = services;
        this.pc = pc;
        this.hs = hs;
    }

    @Override
    public String host() {
        return hs.name;
    }

    @Override
    public Map<String, Object> vars(Scope scope, Task task) {
        return services.variables().forTask(hs, pc, scope, task);
    }

    @Override
    public SecretLedger secretLedger() {
        return services.secretLedger();
    }

    @Override
    public Templater templater() {
        return services.templater();
    }

    @Override
    public ModuleRegistry modules() {
        return services.modules();
    }

    @Override
    public boolean checkMode() {
        return services.checkMode();
    }

    @Override
    public boolean diffMode() {
        return services.diffMode();
    }

    @Override
    public Map<String, Object> gatherFacts(Connection c) {
        return new LinkedHashMap<>(services.factSource().gather(c));
    }

    @Override
    public Connection connectionFor(String host, Map<String, Object> vars) {
        // the run's one OpenConnections, not a copy: it is synchronized, and all runners share it
        return services.connections().forHost(host, vars);
    }

    @Override
    public PlaybookLoader loader() {
        return new PlaybookLoader(services.loadOptions(), pc.play.baseDir());
    }

    @Override
    public Path baseDir() {
        return pc.play.baseDir();
    }

    @Override
    public List<Role> roles() {
        return Collections.unmodifiableList(pc.roles);
    }
}
