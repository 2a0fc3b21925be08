package io.budgetctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real run and lint commands on the real engine, against the implicit localhost (local processes only). */
class RunAndLintCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @TempDir
    Path dir;

    private int run(String... args) {
        return Main.run(new PrintWriter(out), new PrintWriter(err), new Terminal(false), args);
    }

    private Path playbook(String yaml) throws Exception {
        Path p = dir.resolve("site.yml");
        Files.writeString(p, yaml);
        return p;
    }

    private static final String FAILING = """
            - name: Smoke
              hosts: localhost
              gather_facts: false
              tasks:
                - name: say hi
                  debug:
                    msg: hi
                - name: break
                  fail:
                    msg: boom
            """;

    @Test
    void runPrintsAnsibleStyleOutputAndReturnsTheEngineExitCode() throws Exception {
        // given
        Path pb = playbook(FAILING);
        // when
        int code = run("run", pb.toString());
        // then
        assertThat(code).isEqualTo(2);
        assertThat(out.toString()).startsWith("\nPLAY [Smoke] ****")
                .contains("fatal: [localhost]: FAILED! => {\"changed\": false, \"msg\": \"boom\"}\n")
                .contains("localhost                  : ok=1    changed=0    unreachable=0    failed=1");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void runWithJsonOutputPrintsOnlyJsonLinesEndingWithTheExitCode() throws Exception {
        // given
        Path pb = playbook(FAILING);
        // when
        int code = run("run", "--output", "json", pb.toString());
        // then
        String[] lines = out.toString().split("\n");
        JsonNode last = JSON.readTree(lines[lines.length - 1]);
        assertThat(code).isEqualTo(2);
        for (String line : lines) {
            assertThat(JSON.readTree(line).has("event")).as(line).isTrue();
        }
        assertThat(last.get("event").asText()).isEqualTo("playbook_end");
        assertThat(last.get("exit_code").asInt()).isEqualTo(2);
    }

    @Test
    void runWritesAJunitReportWhenAsked() throws Exception {
        // given
        Path pb = playbook(FAILING);
        Path report = dir.resolve("out/junit.xml");
        // when
        run("run", "--junit", report.toString(), pb.toString());
        // then
        assertThat(Files.readString(report)).contains("<testsuite name=\"site.yml: Smoke\" tests=\"2\" failures=\"1\"")
                .contains("<failure type=\"failed\" message=\"boom\">");
    }

    @Test
    void runOfAMissingPlaybookPrintsOneErrorLineAndHintWithExitCode1() {
        // when
        int code = run("run", dir.resolve("nope.yml").toString());
        // then
        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).startsWith("ERROR! " + dir.resolve("nope.yml") + ": ")
                .contains("\n  hint: ").doesNotContain("\tat ");
        assertThat(err.toString().lines()).hasSize(2);
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void runListTasksPrintsTheListingAndRunsNothing() throws Exception {
        // given
        Path pb = playbook(FAILING);
        // when
        int code = run("run", "--list-tasks", pb.toString());
        // then
        assertThat(code).isZero();
        assertThat(out.toString()).contains("say hi").contains("break").doesNotContain("PLAY RECAP");
    }

    @Test
    void runHelpListsItsOptionsAndExitCodes() {
        // when
        int code = run("run", "--help");
        // then
        assertThat(code).isZero();
        assertThat(out.toString()).contains("Usage: budgetctl run").contains("--inventory=INVENTORY")
                .contains("--start-at-task=NAME").contains("--junit=FILE").contains("human, json")
                .contains("Exit codes:").contains(" 4   one or more hosts were unreachable");
    }

    @Test
    void lintPrintsFindingsAsFileLineColumnAndExits2() throws Exception {
        // given
        Path pb = playbook("""
                - hosts: localhost
                  tasks:
                    - name: run it
                      command: echo hi
                """);
        // when
        int code = run("lint", pb.toString());
        // then
        assertThat(code).isEqualTo(2);
        // the finding points at the task's first line
        assertThat(out.toString()).matches("(?s)" + java.util.regex.Pattern.quote(pb.toString())
                + ":3:7: \\[no-changed-when\\] .*\n");
    }

    @Test
    void lintOfACleanFileExits0AndJsonListsFindings() throws Exception {
        // given
        Path clean = dir.resolve("clean.yml");
        Files.writeString(clean, """
                - name: Clean
                  hosts: localhost
                  tasks:
                    - name: say hi
                      debug:
                        msg: hi
                """);
        Path bad = playbook("""
                - hosts: localhost
                  tasks:
                    - command: echo hi
                """);
        // when
        int cleanCode = run("lint", clean.toString());
        StringWriter json = new StringWriter();
        int badCode = Main.run(new PrintWriter(json), new PrintWriter(err), new Terminal(false),
                "lint", "-o", "json", bad.toString());
        // then
        assertThat(cleanCode).isZero();
        assertThat(out.toString()).isEmpty();
        assertThat(badCode).isEqualTo(2);
        JsonNode findings = JSON.readTree(json.toString());
        assertThat(findings.isArray()).isTrue();
        assertThat(findings.get(0).get("rule_id").asText()).isNotBlank();
        assertThat(findings.get(0).get("file").asText()).isEqualTo(bad.toString());
    }
}
