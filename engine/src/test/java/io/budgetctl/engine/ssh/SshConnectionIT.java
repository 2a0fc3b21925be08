package io.budgetctl.engine.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.budgetctl.engine.api.Secret;
import io.budgetctl.engine.connection.Become;
import io.budgetctl.engine.connection.Connection;
import io.budgetctl.engine.connection.ExecRequest;
import io.budgetctl.engine.connection.ExecResult;
import io.budgetctl.engine.connection.FileStat;
import io.budgetctl.engine.connection.UnreachableException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The ssh connection against real sshd test hosts (scripts/testhosts): commands, become, files. */
class SshConnectionIT {

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

    @Test
    void tricky_arguments_arrive_exactly_as_given() {
        // given
        List<String> args = List.of("with space", "it's \"quoted\"", "line1\nline2", "ünïcødé ✓", "$HOME",
                "`id`", "*.txt", "", "a;b|c&d", "\\back\\slash", "--", "-n", "tab\there", "$(echo x)");
        List<String> argv = new ArrayList<>(List.of("printf", "%s\\0"));
        argv.addAll(args);

        // when
        ExecResult r = deploy.exec(new ExecRequest(argv, null, null, null, null, null));

        // then
        assertThat(r.exitCode()).isZero();
        assertThat(r.stdout().split("\0", -1)).containsExactlyElementsOf(withTrailingEmpty(args));
    }

    private static List<String> withTrailingEmpty(List<String> args) {
        List<String> l = new ArrayList<>(args);
        l.add("");
        return l;
    }

    @Test
    void stdin_is_streamed_to_the_command_and_stdout_and_stderr_stay_apart() {
        // given
        byte[] input = "first line\nsecond ✓\n".getBytes(StandardCharsets.UTF_8);

        // when
        ExecResult r = deploy.exec(ExecRequest.shell("cat; echo oops >&2; exit 3").withStdin(input));

        // then
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.stdout()).isEqualTo("first line\nsecond ✓\n");
        assertThat(r.stderr()).isEqualTo("oops\n");
    }

    @Test
    void environment_and_working_directory_are_applied() {
        // when
        ExecResult r = deploy.exec(ExecRequest.shell("printf '%s|%s' \"$GREETING\" \"$(pwd)\"")
                .withEnv(Map.of("GREETING", "hello 'world' $x")).withCwd("/tmp"));

        // then
        assertThat(r.stdout()).isEqualTo("hello 'world' $x|/tmp");
    }

    @Test
    void a_command_over_its_timeout_is_stopped_with_exit_124() {
        // when
        long start = System.nanoTime();
        ExecResult r = deploy.exec(ExecRequest.of("sleep", "30").withTimeout(Duration.ofSeconds(1)));

        // then
        assertThat(r.exitCode()).isEqualTo(124);
        assertThat(r.stderr()).contains("timed out after 1s");
        // stopped, not waited for: well under the 30 s the command would take (generous for a loaded machine)
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(25));
        assertThat(deploy.exec(ExecRequest.of("true")).exitCode()).isZero();
    }

    @Test
    void become_sudo_without_password_runs_as_root() {
        // when
        ExecResult r = deploy.exec(ExecRequest.of("id", "-un").withBecome(Become.sudo("root")));

        // then
        assertThat(r.stdout().strip()).isEqualTo("root");
    }

    @Test
    void become_sudo_with_password_feeds_the_password_and_still_streams_stdin() throws Exception {
        // given
        Map<String, Object> vars = HOSTS.vars(0);
        vars.put("ansible_user", "deploypw");
        try (Connection pw = factory.open("testhost-1", vars)) {
            Become become = new Become(true, "sudo", "root", Secret.of(HOSTS.deployPwPassword()));

            // when
            ExecResult r = pw.exec(ExecRequest.shell("id -un; cat").withStdin("payload\n".getBytes(StandardCharsets.UTF_8))
                    .withBecome(become));
            ExecResult without = pw.exec(ExecRequest.of("id", "-un").withBecome(Become.sudo("root")));

            // then
            assertThat(r.exitCode()).isZero();
            assertThat(r.stdout()).isEqualTo("root\npayload\n");
            assertThat(r.stdout() + r.stderr()).doesNotContain(HOSTS.deployPwPassword());
            assertThat(without.exitCode()).isNotZero();
            assertThat(without.stderr()).contains("password");
        }
    }

    @Test
    void becoming_the_login_user_runs_no_sudo_as_in_ansible() {
        // given deploypw, whose sudo always asks for a password it is not given here
        Map<String, Object> vars = HOSTS.vars(0);
        vars.put("ansible_user", "deploypw");
        try (Connection pw = factory.open("testhost-1", vars)) {
            // when it "becomes" itself (Ansible's become_allow_same_user=false skips escalation)
            ExecResult r = pw.exec(ExecRequest.of("id", "-un").withBecome(Become.sudo("deploypw")));

            // then the command ran directly: no sudo, so no password prompt
            assertThat(r.exitCode()).as(r.stderr()).isZero();
            assertThat(r.stdout().strip()).isEqualTo("deploypw");
        }
    }

    @Test
    void become_su_from_root_runs_as_the_target_user() {
        // given
        Map<String, Object> vars = HOSTS.vars(0);
        vars.put("ansible_user", "root");
        try (Connection root = factory.open("testhost-1", vars)) {
            // when
            ExecResult r = root.exec(ExecRequest.of("sh", "-c", "id -un; echo \"$1\"", "sh", "it's $fine")
                    .withBecome(new Become(true, "su", "deploy", null)));

            // then
            assertThat(r.exitCode()).isZero();
            assertThat(r.stdout()).isEqualTo("deploy\nit's $fine\n");
        }
    }

    @Test
    void write_creates_the_file_atomically_with_mode_and_skips_when_unchanged() {
        // given
        String path = "/tmp/write-test-" + System.nanoTime() + ".conf";
        byte[] content = "key = value ✓\n".getBytes(StandardCharsets.UTF_8);

        // when
        boolean first = deploy.write(path, content, "0640", null, null, Become.NONE);
        String inodeBefore = deploy.exec(ExecRequest.of("stat", "-c", "%i", path)).stdout();
        boolean second = deploy.write(path, content, "0640", null, null, Become.NONE);
        String inodeAfter = deploy.exec(ExecRequest.of("stat", "-c", "%i", path)).stdout();
        boolean third = deploy.write(path, "other\n".getBytes(StandardCharsets.UTF_8), "0640", null, null,
                Become.NONE);
        String inodeChanged = deploy.exec(ExecRequest.of("stat", "-c", "%i", path)).stdout();

        // then
        assertThat(first).isTrue();
        assertThat(second).isFalse();
        assertThat(inodeAfter).isEqualTo(inodeBefore);
        assertThat(third).isTrue();
        assertThat(inodeChanged).as("replaced by rename, not rewritten in place").isNotEqualTo(inodeBefore);
        assertThat(deploy.read(path, Become.NONE)).hasValueSatisfying(
                b -> assertThat(new String(b, StandardCharsets.UTF_8)).isEqualTo("other\n"));
        assertThat(deploy.stat(path, Become.NONE).map(FileStat::mode)).hasValue("0640");
        assertThat(deploy.exec(ExecRequest.shell("ls -a /tmp | grep -c budgetctl || true")).stdout().strip())
                .isEqualTo("0");
    }

    @Test
    void write_with_become_sets_owner_and_group_in_a_root_owned_directory() {
        // given
        String path = "/etc/budgetctl-test-" + System.nanoTime() + ".conf";
        Become root = Become.sudo("root");

        // when
        boolean changed = deploy.write(path, "secret=1\n".getBytes(StandardCharsets.UTF_8), "0600", "deploypw",
                "deploy", root);
        Optional<FileStat> st = deploy.stat(path, root);
        boolean again = deploy.write(path, "secret=1\n".getBytes(StandardCharsets.UTF_8), "0600", "deploypw",
                "deploy", root);
        boolean ownerChange = deploy.write(path, "secret=1\n".getBytes(StandardCharsets.UTF_8), "0600", "root",
                "deploy", root);

        // then
        assertThat(changed).isTrue();
        assertThat(st).hasValueSatisfying(s -> {
            assertThat(s.owner()).isEqualTo("deploypw");
            assertThat(s.group()).isEqualTo("deploy");
            assertThat(s.mode()).isEqualTo("0600");
            assertThat(s.sha1()).isEqualTo("" + io.budgetctl.engine.connection.ShellConnection.sha1Hex(
                    "secret=1\n".getBytes(StandardCharsets.UTF_8)));
        });
        assertThat(again).isFalse();
        assertThat(ownerChange).isTrue();
        assertThatThrownBy(() -> deploy.read(path, Become.NONE)).as("0600 and not ours: SFTP as deploy is refused")
                .hasMessageContaining("Permission denied");
        assertThat(deploy.read(path, root)).hasValueSatisfying(
                b -> assertThat(new String(b, StandardCharsets.UTF_8)).isEqualTo("secret=1\n"));
    }

    @Test
    void read_returns_binary_content_exactly_and_empty_for_a_missing_file() {
        // given
        byte[] all = new byte[256 * 1024];
        for (int i = 0; i < all.length; i++) {
            all[i] = (byte) (i * 31 + i / 256);
        }
        String path = "/tmp/binary-" + System.nanoTime();
        deploy.write(path, all, null, null, null, Become.NONE);

        // when
        Optional<byte[]> back = deploy.read(path, Become.NONE);
        Optional<byte[]> missing = deploy.read("/tmp/does-not-exist-" + System.nanoTime(), Become.NONE);
        Optional<byte[]> asRoot = deploy.read("/etc/shadow", Become.sudo("root"));

        // then
        assertThat(back).hasValueSatisfying(b -> assertThat(b).isEqualTo(all));
        assertThat(missing).isEmpty();
        assertThat(asRoot).hasValueSatisfying(b -> assertThat(new String(b, StandardCharsets.UTF_8)).contains("deploy:"));
    }

    @Test
    void stat_reports_type_and_link_target() {
        // given
        deploy.exec(ExecRequest.shell("mkdir -p /tmp/st && ln -sfn /etc/hostname /tmp/st/link"));

        // when / then
        assertThat(deploy.stat("/tmp/st", Become.NONE).map(FileStat::type)).hasValue("directory");
        assertThat(deploy.stat("/tmp/st/link", Become.NONE)).hasValueSatisfying(s -> {
            assertThat(s.isLink()).isTrue();
            assertThat(s.linkTarget()).isEqualTo("/etc/hostname");
        });
        assertThat(deploy.stat("/tmp/st/nothing", Become.NONE)).isEmpty();
    }

    @Test
    void the_same_connection_serves_many_commands() {
        // when: many commands, each reporting the client end of the TCP connection it arrived on
        java.util.Set<String> clientEnds = new java.util.HashSet<>();
        for (int i = 0; i < 50; i++) {
            String out = deploy.exec(ExecRequest.shell("echo \"$SSH_CLIENT\"; echo " + i)).stdout();
            assertThat(out).endsWith("\n" + i + "\n");
            clientEnds.add(out.lines().findFirst().orElseThrow());
        }

        // then: one handshake, then a channel per command (a new connection would come from a new source port)
        assertThat(clientEnds).hasSize(1);
    }

    @Test
    void a_wrong_key_fails_as_auth() throws Exception {
        // given
        Path other = Files.createTempDirectory("otherkey").resolve("id_ed25519");
        new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", other.toString()).start().waitFor();
        Map<String, Object> vars = HOSTS.vars(0);
        vars.put("ansible_ssh_private_key_file", other.toString());

        // when / then
        try (Connection c = factory.open("testhost-1", vars)) {
            assertThatThrownBy(() -> c.exec(ExecRequest.of("true")))
                    .isInstanceOfSatisfying(UnreachableException.class, e -> {
                        assertThat(e.kind()).isEqualTo(UnreachableException.Kind.AUTH);
                        assertThat(e.getMessage()).startsWith("authentication failed for deploy@127.0.0.1:"
                                + HOSTS.host(0).port()).contains(other.toString());
                    });
        }
    }
}
