package io.budgetctl.engine.exec;

import static org.assertj.core.api.Assertions.assertThat;

import io.budgetctl.engine.connection.Become;
import io.budgetctl.engine.connection.Connection;
import io.budgetctl.engine.connection.ExecRequest;
import io.budgetctl.engine.connection.ExecResult;
import io.budgetctl.engine.connection.FileStat;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@link OpenConnections}: a host's connection is opened once, with the variables of the first caller (the
 * inventory's when it gives none), and shared after that; closing the run closes every one, and one that fails to
 * close is a warning that does not keep the others open.
 */
class OpenConnectionsTest {
    private final HostInventory inventory = ExecFixtures.inventory(
            Map.of("h1", Map.of("ansible_host", "10.0.0.1"), "h2", Map.of("ansible_host", "10.0.0.2")), Map.of());
    /** Each open: the host and the ansible_host it was opened with. */
    private final List<String> opened = new ArrayList<>();
    private final List<String> closed = new ArrayList<>();

    private final OpenConnections connections = new OpenConnections((host, vars) -> {
        opened.add(host + " " + vars.get("ansible_host"));
        return new Fake(host);
    }, inventory);

    @Test
    void aHostsConnectionIsOpenedOnceWithTheFirstCallersVariablesOrTheInventorys() {
        // when
        Connection first = connections.forHost("h1", Map.of("ansible_host", "delegated"));
        Connection again = connections.forHost("h1", null);
        connections.forHost("h2", null);

        // then
        assertThat(again).isSameAs(first);
        assertThat(opened).containsExactly("h1 delegated", "h2 10.0.0.2");
    }

    @Test
    void closingClosesEveryConnectionAndWarnsOfOneThatFails() {
        // given
        connections.forHost("h1", null);
        connections.forHost("broken", Map.of());
        connections.forHost("h2", null);
        List<String> warnings = new ArrayList<>();

        // when
        connections.closeAll(warnings::add);

        // then
        assertThat(closed).containsExactlyInAnyOrder("h1", "h2");
        assertThat(warnings).containsExactly("closing connection to broken failed: socket gone");

        // and a later use opens anew
        connections.forHost("h1", null);
        assertThat(opened).hasSize(4);
    }

    private final class Fake implements Connection {
        private final String host;

        Fake(String host) {
            this.host = host;
        }

        @Override
        public String host() {
            return host;
        }

        @Override
        public ExecResult exec(ExecRequest request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean write(String path, byte[] content, String mode, String owner, String group, Become become) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<byte[]> read(String path, Become become) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<FileStat> stat(String path, Become become) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void close() {
            if (host.equals("broken")) {
                throw new IllegalStateException("socket gone");
            }
            closed.add(host);
        }
    }
}
