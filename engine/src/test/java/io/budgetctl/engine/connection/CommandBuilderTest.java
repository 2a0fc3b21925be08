package io.budgetctl.engine.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.budgetctl.engine.api.Secret;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CommandBuilderTest {

    @Test
    void plainCommandIsUnchanged() {
        assertThat(CommandBuilder.argv(ExecRequest.of("ls", "-l"))).containsExactly("ls", "-l");
    }

    @Test
    void environmentValuesTravelOnStdinNeverInTheArgv() {
        // given
        Map<String, String> env = new LinkedHashMap<>();
        env.put("A", "1");
        env.put("B", "two words");
        ExecRequest req = ExecRequest.of("cat").withEnv(env).withStdin("data".getBytes(StandardCharsets.UTF_8));

        // when
        CommandBuilder.Prepared p = CommandBuilder.prepare(req, null);

        // then a shell prelude reads them from the first stdin line; the command's own stdin follows it
        assertThat(p.argv()).containsExactly("/bin/sh", "-c", CommandBuilder.ENV_PRELUDE + "exec \"$@\"",
                "budgetctl", "cat");
        assertThat(String.join(" ", p.argv())).doesNotContain("two words");
        assertThat(new String(p.stdin(), StandardCharsets.UTF_8)).isEqualTo("export A=1 B='two words'\ndata");
        assertThat(p.handshake()).isNull();
    }

    @Test
    void theEnvironmentLineStaysOneLineWhateverTheValuesHold() {
        // given values with newlines and quotes
        Map<String, String> env = new LinkedHashMap<>();
        env.put("M", "line1\nit's\n");

        // when / then newlines become "$_budgetctl_nl" between quoted parts
        assertThat(CommandBuilder.envLine(env))
                .isEqualTo("export M=line1\"$_budgetctl_nl\"'it'\"'\"'s'\"$_budgetctl_nl\"''")
                .doesNotContain("\n");
        assertThatThrownBy(() -> CommandBuilder.envLine(Map.of("Z", "a\0b")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NUL");
    }

    @Test
    void rejectsEnvironmentNamesThatCouldInjectArguments() {
        assertThatThrownBy(() -> CommandBuilder.argv(ExecRequest.of("true").withEnv(Map.of("-u", "x"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-u");
    }

    @Test
    void workingDirectoryUsesPositionalArgument() {
        assertThat(CommandBuilder.argv(ExecRequest.of("pwd").withCwd("/tmp/a b")))
                .containsExactly("/bin/sh", "-c", "cd \"$0\" && exec \"$@\"", "/tmp/a b", "pwd");
    }

    @Test
    void sudoWithoutPasswordIsNonInteractive() {
        assertThat(CommandBuilder.argv(ExecRequest.of("id").withBecome(Become.sudo("postgres"))))
                .containsExactly("sudo", "-H", "-n", "-u", "postgres", "--", "id");
    }

    @Test
    void sudoWithPasswordPromptsWithARandomKeyAndWritesNothingBeforeTheHandshake() {
        // given
        Become b = new Become(true, "sudo", "root", Secret.of("s3cret"));
        ExecRequest req = ExecRequest.of("cat").withBecome(b).withStdin("data".getBytes(StandardCharsets.UTF_8));

        // when
        CommandBuilder.Prepared p = CommandBuilder.prepare(req, "deploy");
        CommandBuilder.Prepared again = CommandBuilder.prepare(req, "deploy");

        // then sudo prompts with the key, the command announces itself, and stdin holds only the content
        SudoHandshake h = p.handshake();
        assertThat(h).isNotNull();
        assertThat(h.prompt()).matches("\\[sudo via budgetctl, key=[a-z]{32}\\] password:");
        assertThat(p.argv()).containsExactly("sudo", "-H", "-S", "-p", h.prompt(), "-u", "root", "--",
                "/bin/sh", "-c", "echo " + h.marker() + "; exec \"$@\"", "budgetctl", "cat");
        assertThat(h.marker()).isEqualTo("BECOME-SUCCESS-" + h.prompt().substring(25, 57));
        assertThat(new String(p.stdin(), StandardCharsets.UTF_8)).isEqualTo("data");
        assertThat(again.handshake().prompt()).isNotEqualTo(h.prompt());
        assertThat(String.join(" ", p.argv())).doesNotContain("s3cret");
    }

    @Test
    void becomingTheLoginUserRunsNoSudoOrSuAsInAnsible() {
        // given become to root (sudo with a password, and su) on a transport logged in as root
        Become sudo = new Become(true, "sudo", "root", Secret.of("s3cret"));
        ExecRequest req = ExecRequest.of("cat").withBecome(sudo).withStdin("data".getBytes(StandardCharsets.UTF_8));
        ExecRequest su = ExecRequest.of("id", "-un").withBecome(new Become(true, "su", "root", null));
        // when the argv is built / then the command runs as it is, and no password is written to stdin
        assertThat(CommandBuilder.argv(req, "root")).containsExactly("cat");
        assertThat(new String(CommandBuilder.prepare(req, "root").stdin(), StandardCharsets.UTF_8)).isEqualTo("data");
        assertThat(CommandBuilder.prepare(req, "root").handshake()).isNull();
        assertThat(CommandBuilder.argv(su, "root")).containsExactly("id", "-un");
        // but another login user, or an unknown one, still escalates
        assertThat(CommandBuilder.argv(su, "deploy")).containsExactly("su", "-s", "/bin/sh", "-c", "id -un", "root");
        assertThat(CommandBuilder.argv(req, null)).startsWith("sudo");
    }

    @Test
    void suQuotesTheWholeCommandOnce() {
        Become b = new Become(true, "su", "app", null);
        assertThat(CommandBuilder.argv(ExecRequest.of("echo", "a b").withBecome(b)))
                .containsExactly("su", "-s", "/bin/sh", "-c", "echo 'a b'", "app");
    }

    @Test
    void becomeWrapsEnvironmentAndDirectory() {
        ExecRequest req = ExecRequest.of("pwd").withEnv(Map.of("X", "1")).withCwd("/srv")
                .withBecome(Become.sudo("root"));
        assertThat(CommandBuilder.argv(req)).isEqualTo(List.of("sudo", "-H", "-n", "-u", "root", "--", "/bin/sh",
                "-c", CommandBuilder.ENV_PRELUDE + "exec \"$@\"", "budgetctl",
                "/bin/sh", "-c", "cd \"$0\" && exec \"$@\"", "/srv", "pwd"));
    }

    @Test
    void secretNeverShowsInToString() {
        assertThat(new Become(true, "sudo", "root", Secret.of("s3cret")).toString()).doesNotContain("s3cret");
    }
}
