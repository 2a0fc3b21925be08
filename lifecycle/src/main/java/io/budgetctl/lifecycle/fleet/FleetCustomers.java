package io.budgetctl.lifecycle.fleet;

import io.budgetctl.engine.api.EngineException;
import io.budgetctl.engine.api.SourceLocation;
import io.budgetctl.engine.inventory.Inventory;
import io.budgetctl.lifecycle.repo.DeploymentsRepository;
import io.budgetctl.lifecycle.ValidatedRepository;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Reads every customer of a deployments repository as {@link FleetCustomer}s. The repository is validated first
 * (as every lifecycle command does), then each customer's merged configuration (environment defaults under the
 * client file) gives its tags, window and version, and the repository inventory gives the SSH endpoints of its
 * hosts ({@code ansible_host}:{@code ansible_port}), so what counts as "the same server" is what the deploy connects to.
 */
public final class FleetCustomers {
    private FleetCustomers() {
    }

    /**
     * @throws EngineException when the repository does not validate, or a maintenance window is not usable
     *                         (file and pointer in the message)
     */
    public static List<FleetCustomer> load(DeploymentsRepository repo) {
        Inventory inventory = ValidatedRepository.open(repo.root()).inventory();
        List<FleetCustomer> out = new ArrayList<>();
        for (String id : repo.clientIds()) {
            Map<String, Object> client = repo.mergedClient(id);
            String file = repo.root().resolve("clients").resolve(id + ".yaml").toString();
            if (!java.nio.file.Files.exists(java.nio.file.Path.of(file))) {
                file = repo.root().resolve("clients").resolve(id + ".yml").toString();
            }
            Map<String, String> tags = new LinkedHashMap<>();
            if (client.get("tags") instanceof Map<?, ?> t) {
                t.forEach((k, v) -> tags.put(String.valueOf(k), String.valueOf(v)));
            }
            out.add(new FleetCustomer(id, String.valueOf(client.get("environment")), tags,
                    servers(inventory, id, client), window(client, file),
                    client.get("version") == null ? null : String.valueOf(client.get("version")), file));
        }
        return out;
    }

    /**
     * The {@code fleet.parallel} default of the chosen customers' environments: the smallest value among the
     * environments that set one (a selection across environments goes at the pace of its most careful one), empty
     * when none does.
     */
    public static OptionalInt parallel(DeploymentsRepository repo, Collection<FleetCustomer> chosen) {
        OptionalInt min = OptionalInt.empty();
        Set<String> seen = new HashSet<>();
        for (FleetCustomer c : chosen) {
            if (c.environment() == null || !seen.add(c.environment())) {
                continue;
            }
            if (repo.environment(c.environment()).get("fleet") instanceof Map<?, ?> fleet
                    && fleet.get("parallel") instanceof Number n && n.intValue() >= 1) {
                if (min.isEmpty() || n.intValue() < min.getAsInt()) {
                    min = OptionalInt.of(n.intValue());
                }
            }
        }
        return min;
    }

    private static List<String> servers(Inventory inventory, String id, Map<String, Object> client) {
        List<String> out = new ArrayList<>();
        if (client.get("target") instanceof Map<?, ?> target && "helm".equals(target.get("type"))) {
            out.add("helm:" + target.get("kubeconfig") + "#" + target.get("namespace"));
            return out;
        }
        String pattern = inventory.hostNames().contains(id) ? id : id.replace('-', '_');
        for (String host : inventory.select(pattern)) {
            Map<String, Object> vars = inventory.hostVars(host);
            String key = vars.get("ansible_host") + ":" + vars.get("ansible_port");
            if (!out.contains(key)) {
                out.add(key);
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static MaintenanceWindow window(Map<String, Object> client, String file) {
        if (!(client.get("maintenance") instanceof Map<?, ?> m)) {
            return null;
        }
        try {
            List<String> days = new ArrayList<>();
            for (Object d : (List<Object>) m.get("days")) {
                days.add(String.valueOf(d));
            }
            return MaintenanceWindow.of(days, String.valueOf(m.get("start")), String.valueOf(m.get("end")),
                    m.get("timezone") == null ? null : String.valueOf(m.get("timezone")));
        } catch (IllegalArgumentException | ClassCastException | NullPointerException e) {
            throw new EngineException(SourceLocation.of(file), "/maintenance: " + e.getMessage(),
                    "fix the client's (or its environment's) maintenance window; see docs/configuration.md");
        }
    }
}
