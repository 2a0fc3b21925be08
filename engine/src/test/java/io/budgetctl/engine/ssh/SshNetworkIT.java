package io.budgetctl.engine.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.budgetctl.engine.connection.Connection;
import io.budgetctl.engine.connection.ExecRequest;
import io.budgetctl.engine.connection.ExecResult;
import io.budgetctl.engine.connection.UnreachableException;
import io.budgetctl.engine.connection.UnreachableException.Kind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Host keys, key types, bastions and lost hosts against real sshd test hosts. */
class SshNetworkIT {

    @RegisterExtension
    static final TestHostsExtension HOSTS = new TestHostsExtension(3);

    @TempDir
    Path dir;

    private static String hostname(Connection c) {
        return c.exec(ExecRequest.of("hostname")).stdout().strip();
    }

    @Test
    void rsa_and_ecdsa_keys_authenticate_too() {
        for (Path key : List.of(HOSTS.rsaKey(), HOSTS.ecdsaKey())) {
            // given
            Map<String, Object> vars = HOSTS.vars(0);
            vars.put("ansible_ssh_private_key_file", key.toString());

            // when / then
            try (SshConnectionFactory f = new SshConnectionFactory(); Connection c = f.open("testhost-1", vars)) {
                assertThat(hostname(c)).isEqualTo(HOSTS.host(0).container());
            }
        }
    }

    @Test
    void password_login_works_only_when_configured() throws Exception {
        // given
        Map<String, Object> vars = HOSTS.vars(0);
        vars.put("ansible_user", "deploypw");
        vars.put("ansible_ssh_private_key_file", dir.resolve("none").toString());
        vars.remove("ansible_ssh_private_key_file");
        vars.put("ansible_ssh_pass", HOSTS.deployPwPassword());

        // when / then
        try (SshConnectionFactory f = new SshConnectionFactory(1, dir, "nobody", Map.of());
             Connection c = f.open("testhost-1", vars)) {
            assertThat(c.exec(ExecRequest.of("id", "-un")).stdout().strip()).isEqualTo("deploypw");
        }
    }

    @Test
    void accept_new_records_the_key_and_the_next_run_trusts_it() throws Exception {
        // given
        Path kh = dir.resolve("known_hosts");
        Map<String, Object> vars = HOSTS.vars(1);
        vars.put("ansible_ssh_common_args", "-o UserKnownHostsFile=" + kh + " -o StrictHostKeyChecking=accept-new");

        // when
        try (SshConnectionFactory f = new SshConnectionFactory(); Connection c = f.open("testhost-2", vars)) {
            assertThat(hostname(c)).isEqualTo(HOSTS.host(1).container());
        }

        // then
        String recorded = Files.readString(kh);
        assertThat(recorded).startsWith("[127.0.0.1]:" + HOSTS.host(1).port() + " ");
        assertThat(Files.readString(HOSTS.knownHosts())).contains(recorded.strip());
        vars.put("ansible_ssh_common_args", "-o UserKnownHostsFile=" + kh + " -o StrictHostKeyChecking=yes");
        try (SshConnectionFactory f = new SshConnectionFactory(); Connection c = f.open("testhost-2", vars)) {
            assertThat(hostname(c)).isEqualTo(HOSTS.host(1).container());
        }
    }

    @Test
    void an_unknown_key_is_refused_by_default_naming_the_file_to_fix() {
        // given
        Path kh = dir.resolve("empty_known_hosts");
        Map<String, Object> vars = HOSTS.vars(0);
        vars.put("ansible_ssh_common_args", "-o UserKnownHostsFile=" + kh);

        // when
        Throwable t;
        try (SshConnectionFactory f = new SshConnectionFactory(); Connection c = f.open("testhost-1", vars)) {
            t = catchThrowable(() -> c.exec(ExecRequest.of("true")));
        }

        // then
        assertThat(t).isInstanceOfSatisfying(UnreachableException.class, e -> {
            assertThat(e.kind()).isEqualTo(Kind.HOST_KEY);
            assertThat(e.getMessage()).startsWith("host key of [127.0.0.1]:" + HOSTS.host(0).port()
                    + " is unknown (SHA256:").contains(kh.toString());
        });
    }

    @Test
    void a_changed_host_key_stops_the_host_with_the_offered_fingerprint_and_file() throws Exception {
        // given: known_hosts where host 1's address carries host 2's keys (as after a reinstall)
        int port = HOSTS.host(0).port();
        String other = "[127.0.0.1]:" + HOSTS.host(1).port() + " ";
        List<String> lines = new ArrayList<>();
        for (String l : Files.readAllLines(HOSTS.knownHosts())) {
            if (l.startsWith(other)) {
                lines.add("[127.0.0.1]:" + port + " " + l.substring(other.length()));
            }
        }
        Path kh = dir.resolve("known_hosts");
        Files.write(kh, lines);
        Map<String, Object> vars = HOSTS.vars(0);
        vars.put("ansible_ssh_common_args", "-o UserKnownHostsFile=" + kh + " -o StrictHostKeyChecking=accept-new");
        String offered = fingerprintOf(HOSTS.host(0).port());

        // when
        Throwable t;
        try (SshConnectionFactory f = new SshConnectionFactory(); Connection c = f.open("testhost-1", vars)) {
            t = catchThrowable(() -> c.exec(ExecRequest.of("true")));
        }

        // then
        assertThat(t).isInstanceOfSatisfying(UnreachableException.class, e -> {
            assertThat(e.kind()).isEqualTo(Kind.HOST_KEY);
            assertThat(e.getMessage()).startsWith("host key of [127.0.0.1]:" + port + " has CHANGED: the host offered "
                    + offered + " but " + kh + " has a different");
        });
    }

    /** The ed25519 fingerprint ssh-keygen computes from the test hosts' known_hosts (our fixture, not our code). */
    private String fingerprintOf(int port) throws Exception {
        Path one = dir.resolve("one");
        for (String l : Files.readAllLines(HOSTS.knownHosts())) {
            if (l.startsWith("[127.0.0.1]:" + port + " ssh-ed25519 ")) {
                Files.writeString(one, l + "\n");
            }
        }
        Process p = new ProcessBuilder("ssh-keygen", "-l", "-E", "sha256", "-f", one.toString()).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        return out.split(" ")[1];
    }

    @Test
    void proxy_jump_reaches_a_host_only_the_bastion_can_see() {
        // given: host 3 by its container name (resolvable only on the test network), through host 1
        Map<String, Object> vars = HOSTS.vars(2);
        vars.put("ansible_host", HOSTS.host(2).container());
        vars.put("ansible_port", 22);
        vars.put("ansible_ssh_common_args", "-o UserKnownHostsFile=" + HOSTS.knownHosts()
                + " -o ProxyJump=deploy@127.0.0.1:" + HOSTS.host(0).port());
        Map<String, Object> twoHops = HOSTS.vars(2);
        twoHops.put("ansible_host", HOSTS.host(2).ip());
        twoHops.put("ansible_port", 22);
        twoHops.put("ansible_ssh_common_args", "-o UserKnownHostsFile=" + HOSTS.knownHosts()
                + " -J 127.0.0.1:" + HOSTS.host(0).port() + "," + HOSTS.host(1).container());

        // when / then
        try (SshConnectionFactory f = new SshConnectionFactory()) {
            try (Connection c = f.open("testhost-3", vars); Connection c2 = f.open("testhost-3b", twoHops)) {
                assertThat(hostname(c)).isEqualTo(HOSTS.host(2).container());
                assertThat(hostname(c2)).isEqualTo(HOSTS.host(2).container());
                assertThat(c2.exec(ExecRequest.shell("echo $SSH_CLIENT")).stdout())
                        .as("the last hop (host 2) made the connection").startsWith(HOSTS.host(1).ip() + " ");
            }
        }
    }

    @Test
    void a_target_the_bastion_cannot_reach_is_refused_and_says_so() {
        // given
        Map<String, Object> vars = HOSTS.vars(2);
        vars.put("ansible_host", HOSTS.host(2).container());
        vars.put("ansible_port", 2999);
        vars.put("ansible_ssh_common_args", "-o UserKnownHostsFile=" + HOSTS.knownHosts()
                + " -o ConnectionAttempts=1 -o ProxyJump=deploy@127.0.0.1:" + HOSTS.host(0).port());

        // when
        Throwable t;
        try (SshConnectionFactory f = new SshConnectionFactory(); Connection c = f.open("testhost-3", vars)) {
            t = catchThrowable(() -> c.exec(ExecRequest.of("true")));
        }

        // then
        assertThat(t).isInstanceOfSatisfying(UnreachableException.class, e -> {
            assertThat(e.kind()).isEqualTo(Kind.REFUSED);
            assertThat(e.getMessage()).startsWith("the bastion could not connect on to deploy@"
                    + HOSTS.host(2).container() + ":2999");
        });
    }

    @Test
    void a_host_killed_during_a_long_command_is_lost() throws Exception {
        // given: host 3 runs with a connection in use (the last test of this class to touch it)
        Map<String, Object> vars = HOSTS.vars(2);
        try (SshConnectionFactory f = new SshConnectionFactory(); Connection c = f.open("testhost-3", vars)) {
            assertThat(hostname(c)).isEqualTo(HOSTS.host(2).container());
            CompletableFuture<ExecResult> running = CompletableFuture.supplyAsync(
                    () -> c.exec(ExecRequest.of("sleep", "60")));
            Thread.sleep(1000);

            // when
            HOSTS.docker("kill", HOSTS.host(2).container());

            // then
            Throwable t = catchThrowable(() -> running.get(40, TimeUnit.SECONDS));
            assertThat(t).hasCauseInstanceOf(UnreachableException.class);
            UnreachableException e = (UnreachableException) t.getCause();
            assertThat(e.kind()).isEqualTo(Kind.LOST);
            assertThat(e.getMessage()).startsWith("connection to deploy@127.0.0.1:" + HOSTS.host(2).port()
                    + " lost during a command");
        } finally {
            HOSTS.docker("start", HOSTS.host(2).container());
        }
    }

    @Test
    void many_hosts_start_in_parallel_under_the_start_cap() {
        // given
        try (SshConnectionFactory f = new SshConnectionFactory(2)) {
            List<Connection> conns = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                for (int copy = 0; copy < 4; copy++) {
                    conns.add(f.open("testhost-" + (i + 1), HOSTS.vars(i)));
                }
            }

            // when
            List<String> names = conns.parallelStream().map(SshNetworkIT::hostname).toList();

            // then: every connection started and answered, none lost to the cap (speed is for bench/, not tests)
            assertThat(names).hasSize(8).allMatch(n -> n.startsWith("bth-"));
            conns.forEach(Connection::close);
        }
    }
}
