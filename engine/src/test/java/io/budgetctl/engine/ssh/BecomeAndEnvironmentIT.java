package io.budgetctl.engine.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static io.budgetctl.engine.testkit.Polling.poll;

import io.budgetctl.engine.api.Secret;
import io.budgetctl.engine.connection.Become;
import io.budgetctl.engine.connection.Connection;
import io.budgetctl.engine.connection.ExecRequest;
import io.budgetctl.engine.connection.ExecResult;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Become with a configured password against real sudo (user {@code deploy} has a NOPASSWD rule, {@code deploypw}
 * is asked for its password), and task environments that must not show on any command line.
 */
class BecomeAndEnvironmentIT {

    @RegisterExtension
    static final TestHostsExtension HOSTS = new TestHostsExtension(1);

    static SshConnectionFactory factory;
    static Connection deploy;

    /** The hosts' factory and shared connection (opened and closed by the extension). */
    @BeforeAll
    static void connect() {
        factory = HOSTS.factory();
        deploy = HOSTS.ssh();
    }

    /** A become password configured for a host whose sudo does not ask for one (mixed fleets). */
    private static final Become ROOT_WITH_UNNEEDED_PASSWORD =
            new Become(true, "sudo", "root", Secret.of("fleet-wide-become-pw"));

    @Test
    void copy_content_arrives_intact_when_sudo_does_not_ask_for_the_configured_password() {
        // given
        String path = "/etc/budgetctl-nopasswd-" + System.nanoTime() + ".conf";
        byte[] content = "line one\nline two ✓\n".getBytes(StandardCharsets.UTF_8);

        // when written and read back as root with a password sudo never asks for
        boolean changed = deploy.write(path, content, "0640", "root", "root", ROOT_WITH_UNNEEDED_PASSWORD);
        Optional<byte[]> back = deploy.read(path, ROOT_WITH_UNNEEDED_PASSWORD);
        ExecResult cat = deploy.exec(ExecRequest.of("cat").withStdin(content).withBecome(ROOT_WITH_UNNEEDED_PASSWORD));

        // then the file and the piped content start with their first line, not with the password
        assertThat(changed).isTrue();
        assertThat(back).hasValueSatisfying(b -> assertThat(b).isEqualTo(content));
        assertThat(cat.exitCode()).as(cat.stderr()).isZero();
        assertThat(cat.stdout()).isEqualTo(new String(content, StandardCharsets.UTF_8));
        assertThat(cat.stdout() + cat.stderr()).doesNotContain("fleet-wide-become-pw").doesNotContain("BECOME-SUCCESS");
    }

    @Test
    void a_script_on_stdin_runs_as_written_and_the_password_is_never_executed() {
        // given a script for sh -s whose first line would otherwise be the password
        String marker = "/tmp/pw-ran-" + System.nanoTime();
        Become become = new Become(true, "sudo", "root", Secret.of("touch " + marker));
        byte[] script = "echo \"ran as $(id -un)\"\necho second\n".getBytes(StandardCharsets.UTF_8);

        // when
        ExecResult r = deploy.exec(ExecRequest.of("sh", "-s").withStdin(script).withBecome(become));

        // then
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout()).isEqualTo("ran as root\nsecond\n");
        assertThat(deploy.exec(ExecRequest.of("test", "-e", marker)).exitCode())
                .as("the password was not run as a command").isNotZero();
    }

    @Test
    void a_sudo_that_asks_gets_the_password_and_then_the_script() throws Exception {
        // given deploypw, whose sudo asks
        Map<String, Object> vars = HOSTS.vars(0);
        vars.put("ansible_user", "deploypw");
        try (Connection pw = factory.open("testhost-1", vars)) {
            Become become = new Become(true, "sudo", "root", Secret.of(HOSTS.deployPwPassword()));

            // when
            ExecResult r = pw.exec(ExecRequest.of("sh", "-s").withBecome(become)
                    .withStdin("id -un\necho \"$GREETING\"\n".getBytes(StandardCharsets.UTF_8))
                    .withEnv(Map.of("GREETING", "hello")));

            // then
            assertThat(r.exitCode()).as(r.stderr()).isZero();
            assertThat(r.stdout()).isEqualTo("root\nhello\n");
            assertThat(r.stderr()).doesNotContain("password:").doesNotContain(HOSTS.deployPwPassword());
        }
    }

    @Test
    void a_wrong_become_password_fails_with_a_clear_message_and_sends_nothing_else() {
        // given
        Map<String, Object> vars = HOSTS.vars(0);
        vars.put("ansible_user", "deploypw");
        String marker = "/tmp/content-ran-" + System.nanoTime();
        try (Connection pw = factory.open("testhost-1", vars)) {
            Become wrong = new Become(true, "sudo", "root", Secret.of("not-the-password"));

            // when
            long start = System.nanoTime();
            ExecResult r = pw.exec(ExecRequest.of("sh", "-s").withBecome(wrong)
                    .withStdin(("touch " + marker + "\n").getBytes(StandardCharsets.UTF_8))
                    .withTimeout(Duration.ofSeconds(60)));

            // then
            assertThat(r.exitCode()).isNotZero().isNotEqualTo(124);
            assertThat(r.stderr()).startsWith("sudo refused the become password (it asked again) for become_user"
                    + " root on testhost-1: check ansible_become_password").doesNotContain("not-the-password");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
            assertThat(deploy.exec(ExecRequest.of("test", "-e", marker)).exitCode()).isNotZero();
        }
    }

    @Test
    void environment_values_are_in_no_process_argv_on_the_host_while_the_command_sees_them() throws Exception {
        // given a value no process should show, and a long command under sudo (sudo stays as its parent)
        String value = "envtok-" + System.nanoTime();
        String seen = "/tmp/env-seen-" + System.nanoTime();
        ExecRequest longRunning = ExecRequest.shell("printf %s \"$API_TOKEN\" > " + seen + "; sleep 6")
                .withEnv(Map.of("API_TOKEN", value)).withBecome(Become.sudo("root"));
        ExecRequest plain = ExecRequest.shell("sleep 6").withEnv(Map.of("API_TOKEN2", value));

        try (Connection watcher = factory.open("testhost-1", HOSTS.vars(0))) {
            // when both run and another connection reads every process's argv meanwhile
            CompletableFuture<ExecResult> a = CompletableFuture.supplyAsync(() -> deploy.exec(longRunning));
            Connection second = factory.open("testhost-1", HOSTS.vars(0));
            CompletableFuture<ExecResult> b = CompletableFuture.supplyAsync(() -> second.exec(plain));
            String ps = poll("both commands in the host's ps",
                    Duration.ofSeconds(4), Duration.ofMillis(100)).pollDelay(Duration.ofMillis(100))
                    .until(() -> watcher.exec(ExecRequest.of("ps", "-eo", "args")).stdout(),
                            processes -> count(processes, "sleep 6") >= 2);
            ExecResult ra = a.get();
            ExecResult rb = b.get();
            second.close();

            // then the commands ran while ps looked, with the value in their environment but on no command line
            assertThat(count(ps, "sleep 6")).as(ps).isGreaterThanOrEqualTo(2);
            assertThat(ps).contains("sudo -H -n -u root").doesNotContain(value);
            assertThat(ra.exitCode()).as(ra.stderr()).isZero();
            assertThat(rb.exitCode()).as(rb.stderr()).isZero();
            assertThat(deploy.exec(ExecRequest.of("cat", seen)).stdout()).isEqualTo(value);
        }
    }

    private static int count(String text, String word) {
        int n = 0;
        for (int i = text.indexOf(word); i >= 0; i = text.indexOf(word, i + 1)) {
            n++;
        }
        return n;
    }
}
