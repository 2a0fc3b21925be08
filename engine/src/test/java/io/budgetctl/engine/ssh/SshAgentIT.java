package io.budgetctl.engine.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.budgetctl.engine.connection.Connection;
import io.budgetctl.engine.connection.ExecRequest;
import io.budgetctl.engine.connection.UnreachableException;
import io.budgetctl.engine.connection.UnreachableException.Kind;
import io.budgetctl.engine.ssh.agent.AgentAuthMethod;
import io.budgetctl.engine.ssh.agent.TestAgent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Logging in with keys held by a real OpenSSH ssh-agent, against real sshd test hosts: every key type, a wrong
 * key, a dead SSH_AUTH_SOCK, IdentitiesOnly, and bastion chains whose hops log in through the agent as their own
 * users. The factories get an empty home directory, so no ~/.ssh/id_* key can stand in for the agent.
 */
class SshAgentIT {

    @RegisterExtension
    static final TestHostsExtension HOSTS = new TestHostsExtension(3);

    @TempDir
    Path dir;

    private SshConnectionFactory factory(Path socket) {
        return new SshConnectionFactory(4, dir, "nobody", Map.of("SSH_AUTH_SOCK", socket.toString()));
    }

    /** The test host's variables without a key file: only the agent can log in. */
    private static Map<String, Object> agentOnly(int index) {
        Map<String, Object> vars = HOSTS.vars(index);
        vars.remove("ansible_ssh_private_key_file");
        return vars;
    }

    private static String run(Connection c, String command) {
        return c.exec(ExecRequest.shell(command)).stdout().strip();
    }

    @Test
    void with_no_key_file_a_key_in_the_agent_logs_in_for_every_key_type() throws Exception {
        for (Path key : List.of(HOSTS.ed25519Key(), HOSTS.rsaKey(), HOSTS.ecdsaKey())) {
            // given: the agent holds only this key
            try (TestAgent agent = TestAgent.start(Files.createTempDirectory(dir, "a"));
                 CapturedLog agentLog = new CapturedLog(AgentAuthMethod.class)) {
                agent.add(key);

                // when
                try (SshConnectionFactory f = factory(agent.socket()); Connection c = f.open("h1", agentOnly(0))) {

                    // then: logged in, and the agent signed as asked the first time (rsa-sha2-512 for rsa)
                    assertThat(run(c, "id -un; hostname")).as(key.toString())
                            .isEqualTo("deploy\n" + HOSTS.host(0).container());
                    assertThat(agentLog.lines()).as(key.toString()).isEmpty();
                }
            }
        }
    }

    @Test
    void the_agent_is_tried_after_a_key_file_the_host_refuses() throws Exception {
        // given: a configured key file the host does not know, and the right key in the agent
        Path stranger = TestAgent.keygen(dir, "ed25519", "stranger");
        try (TestAgent agent = TestAgent.start(Files.createTempDirectory(dir, "a"))) {
            agent.add(HOSTS.ed25519Key());
            Map<String, Object> vars = HOSTS.vars(0);
            vars.put("ansible_ssh_private_key_file", stranger.toString());

            // when / then
            try (SshConnectionFactory f = factory(agent.socket()); Connection c = f.open("h1", vars)) {
                assertThat(run(c, "hostname")).isEqualTo(HOSTS.host(0).container());
            }
        }
    }

    @Test
    void an_encrypted_key_file_the_agent_holds_is_signed_by_the_agent_without_its_passphrase() throws Exception {
        // given: the host's key file, encrypted, with no passphrase anywhere (no variable, no console);
        // the same key, unencrypted, in the agent
        Path encrypted = dir.resolve("id_encrypted");
        Files.copy(HOSTS.ed25519Key(), encrypted);
        Files.copy(HOSTS.ed25519Key().resolveSibling("id_ed25519.pub"), dir.resolve("id_encrypted.pub"));
        Process p = new ProcessBuilder("ssh-keygen", "-q", "-p", "-P", "", "-N", "not-given-to-budgetctl",
                "-f", encrypted.toString()).redirectErrorStream(true).start();
        assertThat(p.waitFor()).isZero();
        Map<String, Object> vars = HOSTS.vars(0);
        vars.put("ansible_ssh_private_key_file", encrypted.toString());
        try (SshConnectionFactory noAgent = new SshConnectionFactory(1, dir, "nobody", Map.of());
             Connection c = noAgent.open("h1", vars)) {
            assertThat(catchThrowable(() -> c.exec(ExecRequest.of("true"))))
                    .as("without the agent the file is unusable").hasMessageStartingWith("cannot use private key");
        }
        try (TestAgent agent = TestAgent.start(Files.createTempDirectory(dir, "a"))) {
            agent.add(HOSTS.ed25519Key());

            // when / then
            try (SshConnectionFactory f = factory(agent.socket()); Connection c = f.open("h1", vars)) {
                assertThat(run(c, "hostname")).isEqualTo(HOSTS.host(0).container());
            }
        }
    }

    @Test
    void a_wrong_key_in_the_agent_fails_as_auth_and_says_the_agent_was_tried() throws Exception {
        // given
        try (TestAgent agent = TestAgent.start(Files.createTempDirectory(dir, "a"))) {
            agent.add(TestAgent.keygen(dir, "ed25519", "wrong1"));
            agent.add(TestAgent.keygen(dir, "rsa", "wrong2"));

            // when
            Throwable t;
            try (SshConnectionFactory f = factory(agent.socket()); Connection c = f.open("h1", agentOnly(0))) {
                t = catchThrowable(() -> c.exec(ExecRequest.of("true")));
            }

            // then
            assertThat(t).isInstanceOfSatisfying(UnreachableException.class, e -> {
                assertThat(e.kind()).isEqualTo(Kind.AUTH);
                assertThat(e.getMessage()).isEqualTo("authentication failed for deploy@127.0.0.1:"
                        + HOSTS.host(0).port() + " (tried ssh-agent (2 keys)): check ansible_user and that the key"
                        + " is in the user's authorized_keys");
            });
        }
    }

    @Test
    void more_refused_agent_keys_than_max_auth_tries_is_auth_with_a_hint_to_identities_only()
            throws Exception {
        // given: 8 keys the host does not know; sshd's MaxAuthTries is 6
        try (TestAgent agent = TestAgent.start(Files.createTempDirectory(dir, "a"))) {
            for (int i = 0; i < 8; i++) {
                agent.add(TestAgent.keygen(dir, "ed25519", "wrong" + i));
            }

            // when
            Throwable t;
            try (SshConnectionFactory f = factory(agent.socket()); Connection c = f.open("h1", agentOnly(0))) {
                t = catchThrowable(() -> c.exec(ExecRequest.of("true")));
            }

            // then
            assertThat(t).isInstanceOfSatisfying(UnreachableException.class, e -> {
                assertThat(e.kind()).isEqualTo(Kind.AUTH);
                assertThat(e.getMessage()).startsWith("authentication failed for deploy@127.0.0.1:"
                        + HOSTS.host(0).port() + " (tried ssh-agent (8 keys))").contains("MaxAuthTries")
                        .contains("IdentitiesOnly=yes");
            });
        }
    }

    @Test
    void a_dead_ssh_auth_sock_is_a_warning_and_the_key_file_still_logs_in() {
        // given
        Path nothing = dir.resolve("no-agent.sock");
        try (CapturedLog log = new CapturedLog(SshConnectionFactory.class);
             SshConnectionFactory f = factory(nothing); Connection c = f.open("h1", HOSTS.vars(0))) {

            // when
            String name = run(c, "hostname");

            // then
            assertThat(name).isEqualTo(HOSTS.host(0).container());
            assertThat(log.lines()).singleElement().asString()
                    .startsWith("WARN SSH_AUTH_SOCK is set but the ssh-agent cannot be used: cannot connect to the"
                            + " ssh-agent at " + nothing);
        }
    }

    @Test
    void when_the_key_file_is_refused_too_the_auth_message_says_the_agent_could_not_be_used() throws Exception {
        // given
        Path stranger = TestAgent.keygen(dir, "ed25519", "stranger");
        Path nothing = dir.resolve("no-agent.sock");
        Map<String, Object> vars = HOSTS.vars(0);
        vars.put("ansible_ssh_private_key_file", stranger.toString());

        // when
        Throwable t;
        try (SshConnectionFactory f = factory(nothing); Connection c = f.open("h1", vars)) {
            t = catchThrowable(() -> c.exec(ExecRequest.of("true")));
        }

        // then
        assertThat(t).isInstanceOfSatisfying(UnreachableException.class, e -> {
            assertThat(e.kind()).isEqualTo(Kind.AUTH);
            assertThat(e.getMessage()).startsWith("authentication failed for deploy@127.0.0.1:" + HOSTS.host(0).port()
                    + " (tried publickey " + stranger + ", no ssh-agent (SSH_AUTH_SOCK=" + nothing
                    + " cannot be used)): ");
        });
    }

    @Test
    void identities_only_keeps_the_agent_out_of_the_attempts() throws Exception {
        // given: the right key in the agent, a wrong key file, IdentitiesOnly=yes
        Path stranger = TestAgent.keygen(dir, "ed25519", "stranger");
        try (TestAgent agent = TestAgent.start(Files.createTempDirectory(dir, "a"))) {
            agent.add(HOSTS.ed25519Key());
            Map<String, Object> vars = HOSTS.vars(0);
            vars.put("ansible_ssh_private_key_file", stranger.toString());
            vars.put("ansible_ssh_extra_args", "-o IdentitiesOnly=yes");

            // when
            Throwable t;
            try (SshConnectionFactory f = factory(agent.socket()); Connection c = f.open("h1", vars)) {
                t = catchThrowable(() -> c.exec(ExecRequest.of("true")));
            }

            // then
            assertThat(t).isInstanceOfSatisfying(UnreachableException.class, e -> {
                assertThat(e.kind()).isEqualTo(Kind.AUTH);
                assertThat(e.getMessage()).contains("(tried publickey " + stranger + "):");
            });
        }
    }

    @Test
    void each_bastion_hop_logs_in_through_the_agent_as_its_own_user_on_its_own_port() throws Exception {
        // given: target deploy@host3, -J root@127.0.0.1:<host1 port>,deploypw@host2 (port 22 on the test network)
        try (TestAgent agent = TestAgent.start(Files.createTempDirectory(dir, "a"))) {
            agent.add(HOSTS.ecdsaKey());
            Map<String, Object> vars = agentOnly(2);
            vars.put("ansible_host", HOSTS.host(2).container());
            vars.put("ansible_port", 22);
            vars.put("ansible_ssh_common_args", "-o UserKnownHostsFile=" + HOSTS.knownHosts() + " -J root@127.0.0.1:"
                    + HOSTS.host(0).port() + ",deploypw@" + HOSTS.host(1).container());

            try (SshConnectionFactory f = factory(agent.socket()); Connection target = f.open("h3", vars);
                 Connection bastion1 = f.open("h1", agentOnly(0)); Connection bastion2 = f.open("h2", agentOnly(1))) {

                // when
                String who = run(target, "id -un; hostname; echo $SSH_CLIENT");
                String sshd1 = sshdSessions(bastion1);
                String sshd2 = sshdSessions(bastion2);

                // then
                assertThat(who).startsWith("deploy\n" + HOSTS.host(2).container() + "\n" + HOSTS.host(1).ip() + " ");
                assertThat(sshd1).as("hop 1 sessions").contains("sshd: root").doesNotContain("sshd: deploypw");
                assertThat(sshd2).as("hop 2 sessions").contains("sshd: deploypw").doesNotContain("sshd: root");
            }
        }
    }

    /** The titles sshd gives its per-session processes on a host ("sshd: USER@notty", "sshd: USER [priv]"). */
    private static String sshdSessions(Connection c) {
        return run(c, "for f in /proc/[0-9]*/cmdline; do tr '\\0' ' ' <\"$f\"; echo; done 2>/dev/null"
                + " | grep '^sshd: ' || true");
    }
}
