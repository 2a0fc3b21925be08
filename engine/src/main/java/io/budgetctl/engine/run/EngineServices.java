package io.budgetctl.engine.run;

import io.budgetctl.engine.api.EngineException;
import io.budgetctl.engine.api.SourceLocation;
import io.budgetctl.engine.exec.ConnectionFactory;
import io.budgetctl.engine.exec.FactSource;
import io.budgetctl.engine.exec.HostInventory;
import io.budgetctl.engine.exec.ImplicitLocalhost;
import io.budgetctl.engine.inventory.ExtraVars;
import io.budgetctl.engine.inventory.Facts;
import io.budgetctl.engine.inventory.Inventory;
import io.budgetctl.engine.inventory.InventoryPlugin;
import io.budgetctl.engine.ssh.SshConnectionFactory;
import io.budgetctl.engine.template.JinjavaTemplater;
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
        return new EngineServices(templater, modules, i, extraVars, facts, connections, env);
    }

    /**
     * An inventory built in memory (e.g. the lifecycle's repository inventory) instead of loading {@code -i} files;
     * the request's inventory list is ignored.
     */
    public EngineServices withFixedInventory(Inventory inventory) {
        InventoryAdapter adapter = new InventoryAdapter(inventory);
        return withInventory(sources -> adapter);
    }

    /**
     * Production wiring: the Jinjava templater, modules via ServiceLoader, the YAML inventory (implicit localhost
     * without -i), ExtraVars for -e, Facts for gather_facts, local connections for ansible_connection=local and SSH
     * (sshj) for everything else.
     */
    public static EngineServices defaults() {
        return new EngineServices(new JinjavaTemplater(), ModuleRegistry.load(),
                EngineServices::loadInventory, ExtraVars::parse, Facts::gather,
                new LocalOrSsh(), System.getenv());
    }

    /**
     * One source that an {@link InventoryPlugin} accepts (e.g. the product's deployments repository) is read by that
     * plugin; anything else is an Ansible inventory.
     */
    static HostInventory loadInventory(List<Path> sources) {
        if (sources.size() == 1) {
            for (InventoryPlugin plugin : ServiceLoader.load(InventoryPlugin.class)) {
                if (plugin.accepts(sources.get(0))) {
                    return new InventoryAdapter(plugin.load(sources.get(0)));
                }
            }
        }
        return new InventoryAdapter(Inventory.load(sources));
    }

    /** Local for ansible_connection=local, SSH otherwise; one SSH factory (bastions, start limit) per run. */
    static final class LocalOrSsh implements ConnectionFactory {
        private SshConnectionFactory ssh;

        @Override
        public io.budgetctl.engine.connection.Connection open(String host, Map<String, Object> hostVars) {
            if ("local".equals(String.valueOf(hostVars.get("ansible_connection")))) {
                return new io.budgetctl.engine.connection.LocalConnection(host);
            }
            return ssh().open(host, hostVars);
        }

        @Override
        public void check(String host, Map<String, Object> hostVars) {
            if ("local".equals(String.valueOf(hostVars.get("ansible_connection")))) {
                return;
            }
            ssh().check(host, hostVars);
        }

        private synchronized SshConnectionFactory ssh() {
            if (ssh == null) {
                ssh = new SshConnectionFactory();
            }
            return ssh;
        }

        @Override
        public synchronized void close() {
            if (ssh != null) {
                ssh.close();
            }
        }
    }

    /** Tests and embedders without an inventory file: only the implicit localhost. */
    public static HostInventory implicitOnly(List<Path> sources) {
        if (sources.isEmpty()) {
            return new ImplicitLocalhost();
        }
        throw new EngineException(SourceLocation.of(sources.get(0).toString()),
                "inventory files are not supported here", "run without -i to target localhost");
    }
}
