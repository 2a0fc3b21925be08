package io.budgetctl.cli.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.budgetctl.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code budgetctl deploy} prints, through the real command line: the example repository's helm customer
 * north-star (pilot, a local connection) deployed by Ivan (an engineer may deploy pilot customers), with a small
 * deploy.yml of our own (BUDGETCTL_DEV_PLAYBOOKS) instead of the product's, so nothing needs a customer host.
 */
class LifecycleOutputTest {
    @TempDir
    Path tmp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void environment() throws IOException {
        Files.createDirectories(tmp.resolve("home/playbooks"));
        Files.writeString(tmp.resolve("home/playbooks/deploy.yml"), """
                - name: deploy (test double)
                  hosts: all
                  gather_facts: false
                  tasks:
                    - name: take the deploy lock
                      command: "true"
                    - name: the version
                      debug:
                        msg: "deploying {{ version }} to {{ client }}"
                """);
        LifecycleCommand.environment = Map.of("BUDGETCTL_OPERATOR", "ivan@itbm-vendor.example",
                "BUDGETCTL_AUDIT_LOG", tmp.resolve("audit.log").toString(), "HOME", tmp.toString(),
                "BUDGETCTL_DEV_PLAYBOOKS", tmp.resolve("home/playbooks").toString(), "NO_COLOR", "1");
    }

    @AfterEach
    void environmentBack() {
        LifecycleCommand.environment = null;
    }

    private int deploy(String... more) {
        String[] args = java.util.stream.Stream.concat(java.util.stream.Stream.of("deploy", "--client",
                "north-star", "--version", "v1.4.0", "--repo", LifecycleAccessTest.inventory().toString()),
                java.util.Arrays.stream(more)).toArray(String[]::new);
        return Main.run(new PrintWriter(out), new PrintWriter(err), args);
    }

    @Test
    void withoutATerminalDeployPrintsTheTaskStreamThenTheStepSummary() {
        // when (tests have no terminal: System.console() is null)
        int code = deploy();
        // then
        assertThat(code).as(err.toString()).isZero();
        String text = out.toString();
        assertThat(text).contains("TASK [take the deploy lock]").contains("deploying v1.4.0 to north-star")
                .contains("PLAY RECAP");
        assertThat(text.substring(text.indexOf("PLAY RECAP"))).containsPattern(
                "\nSTEPS \\*+\nRESULT      SECONDS  STEP\nchanged +\\d+\\.\\d  take the deploy lock\n"
                        + "ok +\\d+\\.\\d  the version\nchanged +\\d+\\.\\d  total\n$");
    }

    @Test
    void jsonOutputStaysJsonLinesOnly() {
        // when
        int code = deploy("--output", "json");
        // then
        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).doesNotContain("STEPS").contains("\"event\":\"playbook_end\"");
        assertThat(out.toString().lines()).allMatch(l -> l.startsWith("{"));
    }
}
