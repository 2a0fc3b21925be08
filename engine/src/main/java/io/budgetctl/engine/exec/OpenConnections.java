package io.budgetctl.engine.exec;

import io.budgetctl.engine.connection.Connection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The run's connections: one per host, opened by the first runner that needs it and then shared by every task on
 * that host for the rest of the run (so opening is synchronized: runners run in parallel), all closed at its end.
 */
final class OpenConnections {
    private final ConnectionFactory factory;
    private final HostInventory inventory;
    private final Map<String, Connection> open = new ConcurrentHashMap<>();

    OpenConnections(ConnectionFactory factory, HostInventory inventory) {
        this.factory = factory;
        this.inventory = inventory;
    }

    /** The connection to {@code host}, opened with {@code vars} (null: its inventory variables) the first time. */
    synchronized Connection forHost(String host, Map<String, Object> vars) {
        Connection c = open.get(host);
        if (c != null) {
            return c;
        }
        Map<String, Object> hv = vars != null ? vars : new LinkedHashMap<>(inventory.hostVars(host));
        c = factory.open(host, hv);
        open.put(host, c);
        return c;
    }

    /** Closes every connection; one that fails to close is reported to {@code warning}, the others still close. */
    void closeAll(Consumer<String> warning) {
        for (Connection c : open.values()) {
            try {
                c.close();
            } catch (RuntimeException e) {
                warning.accept("closing connection to " + c.host() + " failed: " + e.getMessage());
            }
        }
        open.clear();
    }
}
