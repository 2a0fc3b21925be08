package io.budgetctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.budgetctl.engine.connection.ControllerEnv;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A host that answers with template text cannot make the controller do anything (issue 10, docs/security.md): the
 * real CLI, engine and modules run playbooks on the implicit localhost (the local connection) whose "host" output is
 * hostile template text; every attempt would create a marker file on the controller, and none may exist afterwards.
 */
class HostOutputIsDataTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @TempDir
    Path dir;

    private int run(Path playbook) {
        return Main.run(new PrintWriter(out), new PrintWriter(err), new Terminal(false), "run", playbook.toString());
    }

    /** Template text that, if it were ever rendered, would create {@code dir/pwned-<name>} on the controller. */
    private String hostile(String name) {
        return "{{ lookup('pipe', 'touch " + dir.resolve("pwned-" + name) + "') }}";
    }

    private Path playbook(String yaml) throws Exception {
        Path p = dir.resolve("site.yml");
        Files.writeString(p, yaml.replace("@DIR@", dir.toString()));
        return p;
    }

    private List<String> markers() throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("pwned-")).sorted().toList();
        }
    }

    private String file(String name) throws Exception {
        return Files.readString(dir.resolve(name));
    }

    @Test
    void registeredOutputWithTemplateTextIsPrintedAndWrittenLiterallyNeverRun() throws Exception {
        // given: the "host" (local connection) prints template text, as a compromised customer server could
        Files.writeString(dir.resolve("answer.txt"), hostile("stdout"));
        Path pb = playbook("""
                - hosts: localhost
                  gather_facts: false
                  tasks:
                    - command: cat @DIR@/answer.txt
                      register: answer
                    - debug:
                        msg: "{{ answer.stdout }}"
                    - debug:
                        var: answer.stdout
                    - set_fact:
                        copied: "{{ answer.stdout }}"
                        joined: "seen: {{ answer.stdout_lines | join(',') }}"
                    - debug:
                        msg: "{{ copied }} / {{ joined }}"
                    - copy:
                        dest: "@DIR@/copied.txt"
                        content: "{{ copied }}"
                    - copy:
                        dest: "@DIR@/item.txt"
                        content: "{{ item }}"
                      loop: "{{ answer.stdout_lines }}"
                    - name: the text used as a condition is not evaluated with lookups
                      debug:
                        msg: conditional
                      when: "{{ answer.stdout }}"
                      ignore_errors: true
                    - assert:
                        that: "{{ answer.stdout }}"
                      ignore_errors: true
                """);
        // when
        int code = run(pb);
        // then
        assertThat(markers()).as("commands run on the controller").isEmpty();
        assertThat(code).as(err.toString()).isZero();
        assertThat(file("copied.txt")).isEqualTo(hostile("stdout"));
        assertThat(file("item.txt")).isEqualTo(hostile("stdout"));
        assertThat(out.toString())
                .contains("\"msg\": \"" + hostile("stdout") + "\"")
                .contains("\"answer.stdout\": \"" + hostile("stdout") + "\"")
                .contains("seen: " + hostile("stdout"))
                .contains("lookup('pipe') refused");
    }

    @Test
    void jsonAndBase64AnswersStayDataThroughFiltersFactsAndLoops() throws Exception {
        // given: a health endpoint's JSON reply and a file read back base64-encoded, both carrying template text
        Files.writeString(dir.resolve("health.json"), "{\"status\": \"up\", \"detail\": \"" + hostile("json")
                .replace("'", "\\u0027") + "\", \"checks\": [\"" + hostile("json-item") + "\"]}");
        Files.writeString(dir.resolve("details.txt"), hostile("b64") + "\n");
        Path pb = playbook("""
                - hosts: localhost
                  gather_facts: false
                  vars:
                    summary: "{{ health.detail }} ({{ health.status }})"
                  tasks:
                    - command: cat @DIR@/health.json
                      register: reply
                    - set_fact:
                        health: "{{ reply.stdout | from_json }}"
                    - copy:
                        dest: "@DIR@/summary.txt"
                        content: "{{ summary }}"
                    - copy:
                        dest: "@DIR@/check-{{ idx }}.txt"
                        content: "{{ check }}"
                      loop: "{{ health.checks }}"
                      loop_control:
                        loop_var: check
                        index_var: idx
                    - command: base64 -w0 @DIR@/details.txt
                      register: encoded
                    - copy:
                        dest: "@DIR@/decoded.txt"
                        content: "{{ encoded.stdout | b64decode }}"
                """);
        // when
        int code = run(pb);
        // then
        assertThat(markers()).as("commands run on the controller").isEmpty();
        assertThat(code).as(out + "\n" + err).isZero();
        assertThat(file("summary.txt")).isEqualTo(hostile("json") + " (up)");
        assertThat(file("check-0.txt")).isEqualTo(hostile("json-item"));
        assertThat(file("decoded.txt")).isEqualTo(hostile("b64") + "\n");
    }

    @Test
    void playbookVariablesRenderOnceWhenUsedSoEscapedTemplateTextStaysText() throws Exception {
        // given: a chain of variables (rendered when referenced) and text that only looks like a template once
        // rendered: Ansible prints it as it is; a second pass would run the lookup
        Path pb = playbook("""
                - hosts: localhost
                  gather_facts: false
                  vars:
                    a: "{{ b }}"
                    b: "{{ c }} and {{ d | upper }}"
                    c: deep
                    d: "{{ 'x' }}"
                    escaped: "{{ '{{' }} lookup('pipe', 'touch @DIR@/pwned-escaped') {{ '}}' }}"
                    unused: "{{ undefined_thing }}"
                  tasks:
                    - copy:
                        dest: "@DIR@/chain.txt"
                        content: "{{ a }}"
                    - copy:
                        dest: "@DIR@/escaped.txt"
                        content: "{{ escaped }}"
                """);
        // when
        int code = run(pb);
        // then
        assertThat(markers()).isEmpty();
        assertThat(code).as(out + "\n" + err).isZero();
        assertThat(file("chain.txt")).isEqualTo("deep and X");
        assertThat(file("escaped.txt")).isEqualTo("{{ lookup('pipe', 'touch " + dir + "/pwned-escaped') }}");
    }

    @Test
    void aVariableThatNeedsItsOwnValueFailsTheTaskWithAClearMessage() throws Exception {
        // given
        Path pb = playbook("""
                - hosts: localhost
                  gather_facts: false
                  vars:
                    a: "{{ b }}"
                    b: "{{ a }}"
                  tasks:
                    - debug:
                        msg: "{{ a }}"
                """);
        // when
        int code = run(pb);
        // then
        assertThat(code).isEqualTo(2);
        assertThat(out.toString()).contains("recursive loop detected in template")
                .doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void pipeLookupsAndLocalCommandsGetOnlyTheAllowlistedEnvironmentUnlessTheTaskPassesMore() throws Exception {
        // given: the test JVM's environment holds names outside the allowlist (or the test could not fail)
        List<String> outside = new ArrayList<>();
        System.getenv().keySet().forEach(k -> {
            if (!ControllerEnv.ALLOWED.contains(k) && !k.startsWith("LC_")) {
                outside.add(k);
            }
        });
        assertThat(outside).isNotEmpty();
        Path pb = playbook("""
                - hosts: localhost
                  gather_facts: false
                  tasks:
                    - copy:
                        dest: "@DIR@/pipe-env.txt"
                        content: "{{ lookup('pipe', 'env | cut -d= -f1 | sort') }}"
                    - shell: env | cut -d= -f1 | sort
                      register: local_env
                    - copy:
                        dest: "@DIR@/local-env.txt"
                        content: "{{ local_env.stdout }}"
                    - shell: echo "$DEPLOY_TOKEN"
                      environment:
                        DEPLOY_TOKEN: given-by-the-task
                      register: passed
                    - copy:
                        dest: "@DIR@/passed.txt"
                        content: "{{ passed.stdout }}"
                """);
        // when
        int code = run(pb);
        // then
        assertThat(code).as(out + "\n" + err).isZero();
        for (String f : List.of("pipe-env.txt", "local-env.txt")) {
            List<String> names = file(f).lines().filter(n -> !n.isBlank())
                    .filter(n -> !List.of("PWD", "SHLVL", "_", "OLDPWD").contains(n)) // set by the shell itself
                    .toList();
            assertThat(names).as(f).isNotEmpty().allSatisfy(n -> assertThat(
                    ControllerEnv.ALLOWED.contains(n) || n.startsWith("LC_")).as(n).isTrue());
        }
        assertThat(file("passed.txt")).isEqualTo("given-by-the-task");
    }
}
