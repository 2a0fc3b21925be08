package io.budgetctl.engine.exec;

import io.budgetctl.engine.api.EngineException;
import io.budgetctl.engine.api.SourceLocation;
import io.budgetctl.engine.connection.Connection;
import io.budgetctl.engine.connection.LocalConnection;
import java.util.Map;

/**
 * Opens the connection to one host from its variables ({@code ansible_connection}, {@code ansible_host},
 * {@code ansible_user}, ...). Called once per host per run; the executor closes what it opened. May throw
 * {@link io.budgetctl.engine.connection.UnreachableException}.
 */
@FunctionalInterface
public interface ConnectionFactory extends AutoCloseable {
    Connection open(String host, Map<String, Object> hostVars);

    /**
     * Checks, before the run contacts any host, what the connection to {@code host} needs from the controller
     * alone (e.g. a private key held in a secret: resolved and parsed), so a problem stops the run before any host
     * is touched. Called once per host the run may reach, with its inventory and extra variables (not templated).
     * Nothing to check by default.
     *
     * @throws EngineException (one line and a hint) when the connection could not work
     */
    default void check(String host, Map<String, Object> hostVars) {
    }

    /** Releases what the factory holds beyond single connections (e.g. SSH bastions); called at the end of a run. */
    @Override
    default void close() {
    }

    /**
     * Local connections only: {@code ansible_connection=local} (the implicit localhost has it). Anything else is an
     * {@link EngineException} until an SSH factory is plugged in.
     */
    static ConnectionFactory localOnly() {
        return (host, vars) -> {
            Object c = vars.get("ansible_connection");
            if ("local".equals(String.valueOf(c))) {
                return new LocalConnection(host);
            }
            throw new EngineException(SourceLocation.UNKNOWN, "ssh connection not available (host " + host
                    + ", ansible_connection=" + (c == null ? "ssh" : c) + ")",
                    "set ansible_connection=local for this host, or use a build with SSH support");
        };
    }
}
