package io.budgetctl.cli.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fleet apply} through the packaged launcher on a real pseudo-terminal (util-linux {@code script}) and through
 * a pipe: on the terminal the live table is drawn and redrawn in place, in a pipe plain lines; in both the
 * per-customer deploy logs hold the task stream without colour codes (they are files, whatever the fleet's terminal
 * is), so the failure's reason is the deploy's own message. The two demo customers of the example repository point
 * at a closed port on this machine, so their real deploys fail fast as unreachable.
 */
class FleetLiveTableIT {
    private static final Path LAUNCHER = Path.of("../scripts/budgetctl").toAbsolutePath().normalize();

    @TempDir
    Path tmp;

    Path repo;

    @BeforeEach
    void repositoryWithAClosedDemoServer() throws IOException {
        repo = FleetCommandTest.repoWithUnreachableDemoServer(tmp);
    }

    private Process start(List<String> command, Path state) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.remove("CI");
        env.put("TERM", "xterm");
        env.put("COLUMNS", "120");
        env.put("BUDGETCTL_OPERATOR", "ivan@itbm-vendor.example");
        env.put("BUDGETCTL_AUDIT_LOG", tmp.resolve("audit.log").toString());
        env.put("HOME", tmp.toString());
        env.put("BUDGETCTL_HOME", LifecycleRolesIT.repo().toString());
        env.put("SOPS_AGE_KEY_FILE", LifecycleRolesIT.repo().resolve("inventory/.demo-age-key.txt").toString());
        Files.createDirectories(state);
        return pb.start();
    }

    private List<String> apply(Path state) {
        return List.of(LAUNCHER.toString(), "fleet", "apply", "--clients", "epsilon,zeta", "--repo", repo.toString(),
                "--state-dir", state.toString(), "--max-failures", "5");
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    private static String output(Process p) throws Exception {
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as(out).isTrue();
        return out;
    }

    private static Path log(Path state, String customer) throws IOException {
        try (Stream<Path> runs = Files.list(state)) {
            Path run = runs.filter(Files::isDirectory).filter(d -> !d.getFileName().toString().equals("locks"))
                    .findFirst().orElseThrow();
            return run.resolve(customer + ".log");
        }
    }

    @Test
    void givenATerminal_whenApplied_thenTheTableIsRedrawnInPlaceAndTheLogsStayPlainTaskStreams() throws Exception {
        // given: the launcher on a pseudo-terminal (script -e returns the command's exit code)
        Path state = tmp.resolve("tty");
        List<String> words = new ArrayList<>();
        apply(state).forEach(w -> words.add(quote(w)));

        // when
        Process p = start(List.of("script", "-qec", String.join(" ", words), "/dev/null"), state);
        String screen = output(p);

        // then: the table, redrawn over itself, then the summary
        assertThat(p.exitValue()).as(screen).isEqualTo(2);
        assertThat(screen).containsPattern("CUSTOMER +WAVE +STATE +STEP +ELAPSED +RESULT").contains("\u001B[J")
                .containsPattern("\\u001B\\[[0-9]+A").containsPattern("epsilon +1 +RUNNING")
                .containsPattern("epsilon +1 +FAILED +[0-9]+:[0-9]{2} +unreachable: connection refused")
                .contains("FLEET SUMMARY").doesNotContain("epsilon running");
        // and: the deploy's log is its task stream as in a file, no colour, whatever terminal the fleet had
        String log = Files.readString(log(state, "epsilon"));
        assertThat(log).contains("TASK [Gathering Facts]", "fatal: [epsilon]: UNREACHABLE! => ").doesNotContain("\u001B");
    }

    @Test
    void givenAPipe_whenApplied_thenPlainLinesAndNoEscapeSequences() throws Exception {
        // given
        Path state = tmp.resolve("pipe");

        // when
        Process p = start(apply(state), state);
        String out = output(p);

        // then
        assertThat(p.exitValue()).as(out).isEqualTo(2);
        assertThat(out).contains("epsilon running", "zeta running", "FLEET SUMMARY")
                .containsPattern("epsilon failed in [0-9.]+s: unreachable: connection refused")
                .doesNotContain("\u001B").doesNotContain("CUSTOMER ");
    }
}
