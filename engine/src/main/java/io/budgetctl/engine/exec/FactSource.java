package io.budgetctl.engine.exec;

import io.budgetctl.engine.connection.Connection;
import java.util.Map;

/** Gathers a host's facts ({@code ansible_*} keys) for {@code gather_facts}/{@code setup}. */
@FunctionalInterface
public interface FactSource {
    Map<String, Object> gather(Connection connection);

    /** No facts beyond what the engine knows itself; used until a real fact gatherer is plugged in. */
    static FactSource none() {
        return c -> Map.of();
    }
}
