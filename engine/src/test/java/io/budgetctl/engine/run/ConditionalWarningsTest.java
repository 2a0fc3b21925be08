package io.budgetctl.engine.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.budgetctl.engine.api.Secret;
import io.budgetctl.engine.report.ConsoleListener;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ansible-core 2.14's warning about a condition written with {{ }} (when, changed_when, failed_when, until), as a run
 * shows it. Pinned: the console shows what ansible-playbook printed for report/ansible/warnings.yml; each task warns of
 * a text once per host, whatever its items and retries, and again on the next task or host; a meta task's condition is
 * the run's warning, which the console then does not repeat for later tasks (Ansible's workers start knowing it); the
 * text shown is the condition as written, masked like any output.
 */
class ConditionalWarningsTest {
    private static final Path REPORT = Path.of("src/test/resources/report");
    private static final String FOUND = "conditional statements should not include jinja2 templating delimiters such "
            + "as {{ }} or {% %}. Found: ";

    @TempDir
    Path dir;

    @Test
    void theConsoleShowsWhatAnsiblePlaybookPrintedForTheSamePlaybook() throws IOException {
        // given the playbook console-warnings.txt was captured from (capture-ansible.sh), on the same host
        EngineHarness e = new EngineHarness(dir);
        e.inventory = new MapInventory().host("localhost", "app");
        Path p = e.write("site.yml", Files.readString(REPORT.resolve("ansible/warnings.yml")));
        StringWriter console = new StringWriter();

        // when
        int code = Engine.run(oneFork(p), List.of(new ConsoleListener(new PrintWriter(console, true), false, 0, false)),
                e.services());

        // then
        assertThat(code).isZero();
        assertThat(console.toString()).isEqualTo(Files.readString(REPORT.resolve("console-warnings.txt")));
    }

    @Test
    void eachTaskWarnsOncePerHostWhateverItsItemsRetriesAndConditions() throws IOException {
        // given two hosts, a loop, a task retried until its second attempt, and the same condition on the next task
        EngineHarness e = new EngineHarness(dir);
        e.inventory = new MapInventory().host("h1", "g").host("h2", "g");
        Path p = e.write("site.yml", """
                - hosts: all
                  gather_facts: false
                  tasks:
                    - name: loop
                      debug: msg={{ item }}
                      loop: [1, 2, 3]
                      when: "{{ item != 2 }}"
                    - name: retried
                      shell: echo x
                      register: r
                      until: "{{ r.attempts >= 2 }}"
                      retries: 3
                      delay: 0
                      changed_when: "{{ false }}"
                    - name: next
                      debug: msg=next
                      when: "{{ r.attempts >= 2 }}"
                """);

        // when
        int code = Engine.run(oneFork(p), List.of(e.rec), e.services());

        // then each host's warnings come before its results (items included), each text once per task and host
        assertThat(code).isZero();
        assertThat(e.rec.lines.stream().filter(l -> l.startsWith("task ") || l.startsWith("warning ")
                || l.matches("(ok|changed) h\\d"))).containsExactly(
                "task loop",
                "warning h1 " + FOUND + "{{ item != 2 }}", "ok h1", "warning h2 " + FOUND + "{{ item != 2 }}", "ok h2",
                "task retried",
                "warning h1 " + FOUND + "{{ false }}", "warning h1 " + FOUND + "{{ r.attempts >= 2 }}", "ok h1",
                "warning h2 " + FOUND + "{{ false }}", "warning h2 " + FOUND + "{{ r.attempts >= 2 }}", "ok h2",
                "task next",
                "warning h1 " + FOUND + "{{ r.attempts >= 2 }}", "ok h1",
                "warning h2 " + FOUND + "{{ r.attempts >= 2 }}", "ok h2");
        assertThat(e.rec.results.get(e.rec.results.size() - 3).data()).containsEntry("attempts", 2);
    }

    @Test
    void aMetaTasksConditionIsTheRunsWarningShownOnceUnderItsHeader() throws IOException {
        // given a meta task and then a task with the same condition, on two hosts
        EngineHarness e = new EngineHarness(dir);
        e.inventory = new MapInventory().host("h1", "g").host("h2", "g");
        Path p = e.write("site.yml", """
                - hosts: all
                  gather_facts: false
                  tasks:
                    - name: stop nowhere
                      meta: end_host
                      when: "{{ inventory_hostname == 'nohost' }}"
                    - name: after
                      debug: msg=after
                      when: "{{ inventory_hostname == 'nohost' }}"
                """);
        StringWriter console = new StringWriter();

        // when
        int code = Engine.run(oneFork(p), List.of(e.rec, new ConsoleListener(new PrintWriter(console, true), false, 0,
                false)), e.services());

        // then as ansible-playbook 2.14.18 printed it: once, after the meta task's header, not for the later task
        assertThat(code).isZero();
        String out = console.toString();
        assertThat(count(out, "[WARNING]: conditional statements")).isEqualTo(1);
        assertThat(out.indexOf("[WARNING]")).isGreaterThan(out.indexOf("TASK [stop nowhere]"))
                .isLessThan(out.indexOf("TASK [after]"));
        assertThat(e.rec.lines).contains("warning h1 " + FOUND + "{{ inventory_hostname == 'nohost' }}",
                "warning h2 " + FOUND + "{{ inventory_hostname == 'nohost' }}");
    }

    @Test
    void theConditionIsShownAsWrittenAndMaskedLikeAnyOutput() throws IOException {
        // given a condition whose text holds the value of a secret the task reveals
        EngineHarness e = new EngineHarness(dir);
        e.inventory = new MapInventory().host("localhost", "g", "password", Secret.of("s3cr3t-value"));
        Path p = e.write("site.yml", """
                - hosts: localhost
                  gather_facts: false
                  tasks:
                    - debug: msg=checked
                      when: "{{ password == 's3cr3t-value' }}"
                """);

        // when
        int code = Engine.run(oneFork(p), List.of(e.rec), e.services());

        // then
        assertThat(code).isZero();
        assertThat(e.rec.warnings).containsExactly(FOUND + "{{ password == '********' }}");
    }

    private static RunRequest oneFork(Path playbook) {
        return RunRequest.builder().playbook(playbook).forks(1).build();
    }

    private static int count(String s, String part) {
        Matcher m = Pattern.compile(Pattern.quote(part)).matcher(s);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
