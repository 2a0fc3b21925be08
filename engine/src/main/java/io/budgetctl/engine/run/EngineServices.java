package io.budgetctl.engine.run;

import io.budgetctl.engine.api.EngineException;
import io.budgetctl.engine.api.SourceLocation;
import io.budgetctl.engine.exec.ConnectionFactory;
import io.budgetctl.engine.exec.FactSource;
import io.budgetctl.engine.exec.HostInventory;
import io.budgetctl.engine.exec.ImplicitLocalhost;
import io.budgetctl.engine.module.ModuleRegistry;
import io.budgetctl.engine.template.Templater;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * The pluggable parts of a run: templater, modules, inventory loading, -e parsing, fact gathering, connections and
 * the environment (for role search paths). {@link #defaults()} wires the production parts; tests pass their own.
 */
public record EngineServices(Templater templater, ModuleRegistry modules, InventoryLoader inventory,
                             ExtraVarsParser extraVars, FactSource facts, ConnectionFactory connections,
                             Map<String, String> env) {

    /** Loads the inventory sources given with -i (empty: the implicit localhost). */
    @FunctionalInterface
    public interface InventoryLoader {
        HostInventory load(List<Path> sources);
    }

    /** Parses -e values (k=v, JSON/YAML, @file) in order into one mapping. */
    @FunctionalInterface
    public interface ExtraVarsParser {
        Map<String, Object> parse(List<String> raw, Path baseDir);
    }

    public EngineServices {
        env = env == null ? Map.of() : env;
    }

    public EngineServices withConnections(ConnectionFactory c) {
        return new EngineServices(templater, modules, inventory, extraVars, facts, c, env);
    }

    public EngineServices withFacts(FactSource f) {
        return new EngineServices(templater, modules, inventory, extraVars, f, connections, env);
    }

    public EngineServices withInventory(InventoryLoader i) {
        return new EngineServices(templater, modules, inventory, extraVars, facts, connections, i == null ? env : env)
                .withInventoryLoader(i);
    }

    private EngineServices withInventoryLoader(InventoryLoader i) {
        return new EngineServices(templater, modules, i, extraVars, facts, connections, env);
    }

    /** Production wiring: modules via ServiceLoader, local connections, implicit localhost without -i. */
    public static EngineServices defaults() {
        Templater t = ServiceLoader.load(Templater.class).findFirst().orElse(null);
        return new EngineServices(t, ModuleRegistry.load(), EngineServices::implicitOnly, SimpleExtraVars::parse,
                FactSource.none(), ConnectionFactory.localOnly(), System.getenv());
    }

    static HostInventory implicitOnly(List<Path> sources) {
        if (sources.isEmpty()) {
            return new ImplicitLocalhost();
        }
        throw new EngineException(SourceLocation.of(sources.get(0).toString()),
                "inventory files are not supported by this build yet", "run without -i to target localhost");
    }
}
