package io.budgetctl.engine.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.budgetctl.engine.connection.Connection;
import io.budgetctl.engine.connection.ExecRequest;
import io.budgetctl.engine.connection.UnreachableException;
import io.budgetctl.engine.connection.UnreachableException.Kind;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real connection attempts that fail without any sshd: closed ports, unresolvable names, silent servers. */
class FailuresTest {
    @TempDir
    Path dir;

    private Map<String, Object> vars(String host, int port) throws Exception {
        Path key = dir.resolve("id_ed25519");
        if (!Files.exists(key)) {
            new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key.toString()).start().waitFor();
        }
        Map<String, Object> v = new HashMap<>();
        v.put("ansible_host", host);
        v.put("ansible_port", port);
        v.put("ansible_user", "deploy");
        v.put("ansible_ssh_private_key_file", key.toString());
        v.put("ansible_ssh_common_args", "-o ConnectTimeout=1 -o ConnectionAttempts=1");
        return v;
    }

    private UnreachableException fail(Map<String, Object> vars) {
        try (SshConnectionFactory f = new SshConnectionFactory(); Connection c = f.open("h1", vars)) {
            Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> c.exec(ExecRequest.of("true")));
            assertThat(t).isInstanceOf(UnreachableException.class);
            return (UnreachableException) t;
        }
    }

    @Test
    void a_closed_port_is_refused() throws Exception {
        // given: a port that was just free
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }

        // when
        UnreachableException e = fail(vars("127.0.0.1", port));

        // then
        assertThat(e.kind()).isEqualTo(Kind.REFUSED);
        assertThat(e.getMessage()).isEqualTo("connection refused by deploy@127.0.0.1:" + port
                + ": no sshd listens there; check ansible_port and that sshd runs");
    }

    @Test
    void an_unresolvable_name_is_a_dns_failure() throws Exception {
        // when
        UnreachableException e = fail(vars("nonexistent.invalid", 22));

        // then
        assertThat(e.kind()).isEqualTo(Kind.DNS);
        assertThat(e.getMessage()).startsWith("cannot resolve host name 'nonexistent.invalid'");
    }

    @Test
    void a_server_that_accepts_but_never_speaks_times_out() throws Exception {
        // given: a listener that never sends an ssh banner
        try (ServerSocket silent = new ServerSocket(0)) {
            // when
            long start = System.nanoTime();
            UnreachableException e = fail(vars("127.0.0.1", silent.getLocalPort()));

            // then
            assertThat(e.kind()).isEqualTo(Kind.TIMEOUT);
            assertThat(e.getMessage()).contains("within 1s (ConnectTimeout)");
            assertThat((System.nanoTime() - start) / 1_000_000_000).isLessThan(35);
        }
    }

    @Test
    void a_missing_key_file_is_an_auth_failure_naming_the_file_before_connecting() throws Exception {
        // given
        Map<String, Object> v = vars("127.0.0.1", 1);
        v.put("ansible_ssh_private_key_file", "/nonexistent/key");

        // when / then
        assertThatThrownBy(() -> {
            try (SshConnectionFactory f = new SshConnectionFactory(); Connection c = f.open("h1", v)) {
                c.exec(ExecRequest.of("true"));
            }
        }).isInstanceOfSatisfying(UnreachableException.class, e -> {
            assertThat(e.kind()).isEqualTo(Kind.AUTH);
            assertThat(e.getMessage()).isEqualTo("private key /nonexistent/key for deploy@127.0.0.1:1 does not"
                    + " exist or is not readable: check ansible_ssh_private_key_file");
        });
    }
}
