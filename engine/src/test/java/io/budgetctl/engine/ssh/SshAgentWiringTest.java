package io.budgetctl.engine.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.budgetctl.engine.connection.Connection;
import io.budgetctl.engine.connection.ExecRequest;
import io.budgetctl.engine.connection.UnreachableException;
import io.budgetctl.engine.ssh.agent.TestAgent;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which authentication methods a connection offers with and without an ssh-agent, seen through the errors raised
 * before any network traffic (no key file, no password: nothing to offer). A real ssh-agent, no sshd.
 */
class SshAgentWiringTest {
    @TempDir
    Path dir;

    /** Variables of a host nobody listens for; the tests fail before contacting it. */
    private static Map<String, Object> vars(String extraArgs) {
        Map<String, Object> v = new HashMap<>();
        v.put("ansible_host", "127.0.0.1");
        v.put("ansible_port", 1);
        v.put("ansible_user", "deploy");
        if (extraArgs != null) {
            v.put("ansible_ssh_extra_args", extraArgs);
        }
        return v;
    }

    private static Throwable connect(SshConnectionFactory f, String host, Map<String, Object> vars) {
        try (Connection c = f.open(host, vars)) {
            return catchThrowable(() -> c.exec(ExecRequest.of("true")));
        }
    }

    @Test
    void a_dead_ssh_auth_sock_is_one_warning_per_run_and_named_when_nothing_else_can_authenticate() {
        // given: SSH_AUTH_SOCK names a socket nobody listens on; no key file in the (empty) home
        Path nothing = dir.resolve("gone.sock");
        try (CapturedLog log = new CapturedLog(SshConnectionFactory.class);
             SshConnectionFactory f = new SshConnectionFactory(2, dir, "deploy",
                     Map.of("SSH_AUTH_SOCK", nothing.toString()))) {

            // when: two hosts
            Throwable first = connect(f, "web1", vars(null));
            Throwable second = connect(f, "web2", vars(null));

            // then
            for (Throwable t : new Throwable[] {first, second}) {
                assertThat(t).isInstanceOfSatisfying(UnreachableException.class, e -> {
                    assertThat(e.kind()).isEqualTo(UnreachableException.Kind.AUTH);
                    assertThat(e.getMessage()).startsWith("no way to authenticate to deploy@127.0.0.1:1 (the"
                            + " ssh-agent at SSH_AUTH_SOCK=" + nothing + " cannot be used: cannot connect to the"
                            + " ssh-agent at " + nothing + ": ");
                });
            }
            assertThat(log.lines()).hasSize(1);
            assertThat(log.lines().get(0)).startsWith("WARN SSH_AUTH_SOCK is set but the ssh-agent cannot be used: "
                    + "cannot connect to the ssh-agent at " + nothing);
        }
    }

    @Test
    void an_agent_without_keys_is_named_when_nothing_else_can_authenticate() throws Exception {
        // given
        try (TestAgent agent = TestAgent.start(dir);
             SshConnectionFactory f = new SshConnectionFactory(1, dir, "deploy",
                     Map.of("SSH_AUTH_SOCK", agent.socket().toString()))) {

            // when
            Throwable t = connect(f, "web1", vars(null));

            // then
            assertThat(t).isInstanceOf(UnreachableException.class).hasMessageStartingWith(
                    "no way to authenticate to deploy@127.0.0.1:1 (the ssh-agent at SSH_AUTH_SOCK="
                            + agent.socket() + " holds no keys): ");
        }
    }

    @Test
    void identities_only_and_the_inventory_switch_leave_a_live_agent_with_keys_out() throws Exception {
        // given: an agent holding a key, so only the switches can explain "no way to authenticate"
        try (TestAgent agent = TestAgent.start(dir);
             SshConnectionFactory f = new SshConnectionFactory(1, dir, "deploy",
                     Map.of("SSH_AUTH_SOCK", agent.socket().toString()))) {
            agent.add(TestAgent.keygen(dir, "ed25519", "held"));
            Map<String, Object> switchedOff = vars(null);
            switchedOff.put("budgetctl_ssh_agent", false);

            // when
            Throwable identitiesOnly = connect(f, "web1", vars("-o IdentitiesOnly=yes"));
            Throwable inventory = connect(f, "web2", switchedOff);
            Throwable none = connect(f, "web3", vars("-o IdentityAgent=none"));

            // then
            for (Throwable t : new Throwable[] {identitiesOnly, inventory, none}) {
                assertThat(t).isInstanceOf(UnreachableException.class)
                        .hasMessageStartingWith("no way to authenticate to deploy@127.0.0.1:1: set");
            }
        }
    }

    @Test
    void without_ssh_auth_sock_no_agent_is_asked_and_nothing_is_logged() {
        // given
        try (CapturedLog log = new CapturedLog(SshConnectionFactory.class);
             SshConnectionFactory f = new SshConnectionFactory(1, dir, "deploy", Map.of())) {

            // when
            Throwable t = connect(f, "web1", vars(null));

            // then
            assertThat(t).hasMessageStartingWith("no way to authenticate to deploy@127.0.0.1:1: set");
            assertThat(log.lines()).isEmpty();
        }
    }
}
