package io.budgetctl.engine.connection;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalConnectionTest {
    private final LocalConnection conn = new LocalConnection("localhost");

    @Test
    void keepsStdoutAndStderrApartAndReportsExitCode() {
        ExecResult r = conn.exec(ExecRequest.shell("echo out; echo err >&2; exit 3"));
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.stdout()).isEqualTo("out\n");
        assertThat(r.stderr()).isEqualTo("err\n");
    }

    @Test
    void streamsStdinAndPassesEnvironment() {
        ExecResult r = conn.exec(ExecRequest.shell("cat; printf %s \"$GREETING\"")
                .withStdin("input\n".getBytes(StandardCharsets.UTF_8)).withEnv(Map.of("GREETING", "héllo $x")));
        assertThat(r.stdout()).isEqualTo("input\nhéllo $x");
    }

    @Test
    void environmentValuesAreInNoProcessArgvWhileTheCommandSeesThem() {
        // given a value no other process on this machine has on its command line
        String value = "tok-" + System.nanoTime() + " 'q' \n2nd line";

        // when the command lists every process's argv while it runs, then prints the variable
        ExecResult r = conn.exec(ExecRequest.shell("ps -eo args; echo ===; printf %s \"$API_TOKEN\"")
                .withEnv(Map.of("API_TOKEN", value)).withStdin("ignored".getBytes(StandardCharsets.UTF_8)));

        // then
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        String[] parts = r.stdout().split("===\n", 2);
        assertThat(parts[0]).contains("ps -eo args").doesNotContain("tok-");
        assertThat(parts[1]).isEqualTo(value);
    }

    @Test
    void becomingTheUserWeRunAsNeedsNoSudo() {
        // given become (sudo, which this machine need not have) to the user the JVM already runs as
        String me = System.getProperty("user.name");
        // when a command runs / then it runs directly, as Ansible's local connection does
        ExecResult r = conn.exec(ExecRequest.of("id", "-un").withBecome(Become.sudo(me)));
        assertThat(r.exitCode()).isZero();
        assertThat(r.stdout().strip()).isEqualTo(me);
    }

    @Test
    void missingProgramIsExit127NotAnException() {
        ExecResult r = conn.exec(ExecRequest.of("/nonexistent/program"));
        assertThat(r.exitCode()).isEqualTo(127);
    }

    @Test
    void timeoutKillsTheCommand() {
        ExecResult r = conn.exec(ExecRequest.of("sleep", "30").withTimeout(Duration.ofMillis(300)));
        assertThat(r.exitCode()).isEqualTo(124);
        assertThat(r.stderr()).contains("timed out");
    }

    @Test
    void writeCreatesFileWithModeAndSkipsWhenUnchanged(@TempDir Path dir) throws Exception {
        // given
        Path f = dir.resolve("a file.txt");
        byte[] content = "hello\n".getBytes(StandardCharsets.UTF_8);

        // when / then: first write changes, second is skipped
        assertThat(conn.write(f.toString(), content, "0640", null, null, Become.NONE)).isTrue();
        assertThat(Files.readString(f)).isEqualTo("hello\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-r-----");
        assertThat(conn.write(f.toString(), content, "0640", null, null, Become.NONE)).isFalse();

        // a mode change alone is a change
        assertThat(conn.write(f.toString(), content, "0600", null, null, Become.NONE)).isTrue();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-------");
        try (var s = Files.list(dir)) {
            assertThat(s).hasSize(1); // no temporary file left behind
        }
    }

    @Test
    void writeKeepsExistingModeWhenNoneAsked(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("x");
        Files.writeString(f, "old");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwx------"));
        conn.write(f.toString(), "new".getBytes(StandardCharsets.UTF_8), null, null, null, Become.NONE);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rwx------");
    }

    @Test
    void statDescribesFilesDirectoriesAndLinks(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("f"), "abc");
        Path l = Files.createSymbolicLink(dir.resolve("l"), f);

        FileStat fs = conn.stat(f.toString(), Become.NONE).orElseThrow();
        assertThat(fs.type()).isEqualTo("file");
        assertThat(fs.size()).isEqualTo(3);
        assertThat(fs.sha1()).isEqualTo("a9993e364706816aba3e25717850c26c9cd0d89d");
        assertThat(conn.stat(dir.toString(), Become.NONE).orElseThrow().isDirectory()).isTrue();
        FileStat ls = conn.stat(l.toString(), Become.NONE).orElseThrow();
        assertThat(ls.isLink()).isTrue();
        assertThat(ls.linkTarget()).isEqualTo(f.toString());
        assertThat(conn.stat(dir.resolve("missing").toString(), Become.NONE)).isEmpty();
    }

    @Test
    void readReturnsBytesOrEmpty(@TempDir Path dir) throws Exception {
        Path f = Files.write(dir.resolve("bin"), new byte[] {0, 1, 2, (byte) 255});
        assertThat(conn.read(f.toString(), Become.NONE)).hasValueSatisfying(
                b -> assertThat(b).containsExactly(0, 1, 2, 255));
        assertThat(conn.read(dir.resolve("nope").toString(), Become.NONE)).isEmpty();
    }
}
