package io.budgetctl.lifecycle.fleet;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One customer as the fleet sees it, read from the deployments repository.
 *
 * @param id          the client id
 * @param environment its environment (production, pilot ...)
 * @param tags        its {@code tags} (region, ring ...) as text
 * @param servers     the endpoints its operations touch, {@code host:port} of each server's SSH
 *                    ({@code ansible_host}/{@code ansible_port}); a helm customer's cluster as {@code helm:<kubeconfig>}.
 *                    Two customers sharing one never run at the same time
 * @param window      its maintenance window, or null when it has none (always open)
 * @param version     the version its client file (or environment) pins, or null
 * @param file        its client file, for messages
 */
public record FleetCustomer(String id, String environment, Map<String, String> tags, List<String> servers,
                            MaintenanceWindow window, String version, String file) {
    public FleetCustomer {
        Objects.requireNonNull(id, "id");
        tags = Map.copyOf(tags);
        servers = List.copyOf(servers);
    }

    /** A customer with only an id and servers: for tests and callers that do not read a repository. */
    public static FleetCustomer of(String id, String... servers) {
        return new FleetCustomer(id, "production", Map.of(), List.of(servers), null, null, "clients/" + id + ".yaml");
    }

    public FleetCustomer withTags(Map<String, String> newTags) {
        return new FleetCustomer(id, environment, newTags, servers, window, version, file);
    }

    public FleetCustomer withWindow(MaintenanceWindow newWindow) {
        return new FleetCustomer(id, environment, tags, servers, newWindow, version, file);
    }

    public FleetCustomer withEnvironment(String env) {
        return new FleetCustomer(id, env, tags, servers, window, version, file);
    }
}
