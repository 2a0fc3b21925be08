package io.budgetctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged jar through scripts/budgetctl, as the deployment team runs it. */
class LauncherIT {
    private static final Path LAUNCHER = Path.of("../scripts/budgetctl").toAbsolutePath().normalize();

    @Test
    void launcherRunsTheShadedJarAndReturnsItsExitCode() throws Exception {
        // when
        Process p = new ProcessBuilder(LAUNCHER.toString(), "--version").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        // then
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        assertThat(out).startsWith("budgetctl ");
        Process bad = new ProcessBuilder(LAUNCHER.toString(), "--nope").start();
        assertThat(bad.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(bad.exitValue()).isEqualTo(5);
    }

    @Test
    void ctrlCDuringARunExitsWith99(@TempDir Path dir) throws Exception {
        // given a playbook that waits long enough to be interrupted
        Path pb = dir.resolve("slow.yml");
        Files.writeString(pb, """
                - name: Slow
                  hosts: localhost
                  gather_facts: false
                  tasks:
                    - name: wait
                      command: sleep 30
                """);
        // through python3, which puts SIGINT back to its default first: a build started in the background (nohup,
        // `cmd &` in a script) passes SIGINT on as ignored, and the JVM then never sees Ctrl-C
        Process p = new ProcessBuilder("python3", "-c", "import os, signal, sys; "
                + "signal.signal(signal.SIGINT, signal.SIG_DFL); os.execvp(sys.argv[1], sys.argv[1:])",
                "java", "-jar", Path.of("target/budgetctl.jar").toString(), "run", pb.toString())
                .redirectErrorStream(true).start();
        BufferedReader reader = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line;
        StringBuilder seen = new StringBuilder();
        while ((line = reader.readLine()) != null && !line.startsWith("TASK [wait]")) {
            seen.append(line).append('\n');
        }
        assertThat(line).as("output before the task: %s", seen).isNotNull();
        // when
        new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor();
        String rest = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        // then
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(99);
        assertThat(rest).contains("ERROR! User interrupted execution");
    }
}
