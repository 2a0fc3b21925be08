package io.budgetctl.cli.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.budgetctl.engine.run.Engine;
import io.budgetctl.engine.run.RunRequest;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The step summary of the lifecycle commands, on a real run of the engine on this machine (local connection): a
 * playbook shaped like deploy.yml (a role under roles:, includes, bookkeeping, a debug message, a skipped and a
 * failing step). The clock advances one second each time the summary reads it, so every step takes 1.0 s.
 */
class StepSummaryTest {
    @TempDir
    Path dir;

    private Path playbook;
    private Path inventory;
    private final StringWriter out = new StringWriter();

    @BeforeEach
    void playbookAndRoles() throws IOException {
        inventory = Files.writeString(dir.resolve("inventory.yml"),
                "all:\n  hosts:\n    node1:\n      ansible_connection: local\n");
        Files.createDirectories(dir.resolve("roles/greet/tasks"));
        Files.writeString(dir.resolve("roles/greet/tasks/main.yml"), """
                - name: hello
                  command: "true"
                - name: hello again
                  command: "true"
                """);
        Files.createDirectories(dir.resolve("roles/work/tasks"));
        Files.writeString(dir.resolve("roles/work/tasks/main.yml"), """
                - name: one
                  command: "true"
                - name: two
                  debug:
                    msg: inside the role
                """);
        playbook = Files.writeString(dir.resolve("steps.yml"), """
                - name: steps
                  hosts: all
                  gather_facts: false
                  roles:
                    - role: greet
                  tasks:
                    - name: take the lock
                      include_role:
                        name: work
                    - name: remember
                      set_fact:
                        remembered: 1
                    - name: show
                      debug:
                        msg: ["line one", "line two"]
                    - name: not now
                      command: "true"
                      when: false
                    - name: break
                      shell: echo boom >&2; exit 3
                """);
    }

    private int run(boolean terminal, int verbosity) {
        AtomicLong clock = new AtomicLong();
        PrintWriter w = new PrintWriter(out);
        RunRequest request = RunRequest.builder().playbook(playbook).inventory(inventory).verbosity(verbosity)
                .build();
        int code = Engine.run(request, StepSummary.humanOutput(w, terminal, false, verbosity, false,
                () -> clock.addAndGet(1_000_000_000L)));
        w.flush();
        return code;
    }

    @Test
    void withoutATerminalTheSummaryFollowsTheTaskStream() {
        // when
        int code = run(false, 0);
        // then
        String text = out.toString();
        assertThat(code).isEqualTo(2);
        assertThat(text).contains("TASK [greet : hello]").contains("TASK [work : one]").contains("PLAY RECAP");
        String summary = text.substring(text.indexOf("\nSTEPS *"));
        assertThat(text.indexOf("PLAY RECAP")).isLessThan(text.indexOf("\nSTEPS *"));
        assertThat(summary).isEqualTo("""

                STEPS *************************************************************************
                RESULT      SECONDS  STEP
                changed         1.0  greet
                changed         1.0  take the lock
                ok              1.0  show
                skipped         1.0  not now
                failed          1.0  break
                                     node1: non-zero return code (stderr: boom)
                failed          7.0  total
                """);
    }

    @Test
    void onATerminalTheSummaryReplacesTheStreamAndKeepsWhatThePlaybookSays() {
        // when
        int code = run(true, 0);
        // then
        assertThat(code).isEqualTo(2);
        assertThat(out.toString()).doesNotContain("TASK [").doesNotContain("PLAY RECAP").isEqualTo("""

                STEPS *************************************************************************
                RESULT      SECONDS  STEP
                changed         1.0  greet
                changed         1.0  take the lock
                                     inside the role
                ok              1.0  show
                                     line one
                                     line two
                skipped         1.0  not now
                failed          1.0  break
                                     node1: non-zero return code (stderr: boom)
                failed          7.0  total
                                     (every task and its result: run again with -v)
                """);
    }

    @Test
    void onATerminalOneVShowsTheStreamAsRunDoesWithoutV() {
        // when
        run(true, 1);
        // then: the stream without result JSON (that is -vv here), the summary after it
        String text = out.toString();
        assertThat(text).contains("TASK [work : one]").contains("changed: [node1]\n")
                .doesNotContain("changed: [node1] => {").contains("PLAY RECAP");
        assertThat(text.substring(text.indexOf("\nSTEPS *"))).contains("failed          1.0  break")
                .doesNotContain("inside the role").doesNotContain("run again with -v");
    }

    @Test
    void aRunThatEndsWellTotalsChangedWithoutHints() throws IOException {
        // given
        Files.writeString(playbook, Files.readString(playbook).replace("exit 3", "exit 0"));
        // when
        int code = run(true, 0);
        // then
        assertThat(code).isZero();
        assertThat(out.toString()).contains("changed         1.0  break\n")
                .endsWith("changed         7.0  total\n");
    }
}
