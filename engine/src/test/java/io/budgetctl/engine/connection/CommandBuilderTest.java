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
    void environmentGoesThroughEnv() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("A", "1");
        env.put("B", "two words");
        assertThat(CommandBuilder.argv(ExecRequest.of("true").withEnv(env)))
                .containsExactly("env", "A=1", "B=two words", "true");
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
    void sudoWithPasswordReadsItFromStdinFirst() {
        Become b = new Become(true, "sudo", "root", Secret.of("s3cret"));
        ExecRequest req = ExecRequest.of("cat").withBecome(b).withStdin("data".getBytes(StandardCharsets.UTF_8));
        assertThat(CommandBuilder.argv(req)).containsExactly("sudo", "-H", "-S", "-p", "", "-u", "root", "--", "cat");
        assertThat(new String(CommandBuilder.stdin(req), StandardCharsets.UTF_8)).isEqualTo("s3cret\ndata");
    }

    @Test
    void becomingTheLoginUserRunsNoSudoOrSuAsInAnsible() {
        // given become to root (sudo with a password, and su) on a transport logged in as root
        Become sudo = new Become(true, "sudo", "root", Secret.of("s3cret"));
        ExecRequest req = ExecRequest.of("cat").withBecome(sudo).withStdin("data".getBytes(StandardCharsets.UTF_8));
        ExecRequest su = ExecRequest.of("id", "-un").withBecome(new Become(true, "su", "root", null));
        // when the argv is built / then the command runs as it is, and no password is written to stdin
        assertThat(CommandBuilder.argv(req, "root")).containsExactly("cat");
        assertThat(new String(CommandBuilder.stdin(req, "root"), StandardCharsets.UTF_8)).isEqualTo("data");
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
        assertThat(CommandBuilder.argv(req)).isEqualTo(List.of("sudo", "-H", "-n", "-u", "root", "--", "env", "X=1",
                "/bin/sh", "-c", "cd \"$0\" && exec \"$@\"", "/srv", "pwd"));
    }

    @Test
    void secretNeverShowsInToString() {
        assertThat(new Become(true, "sudo", "root", Secret.of("s3cret")).toString()).doesNotContain("s3cret");
    }
}
