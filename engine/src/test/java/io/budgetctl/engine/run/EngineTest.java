package io.budgetctl.engine.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.budgetctl.engine.api.Secret;
import io.budgetctl.engine.connection.LocalConnection;
import io.budgetctl.engine.connection.UnreachableException;
import io.budgetctl.engine.event.HostResultEvent;
import io.budgetctl.engine.event.Status;
import io.budgetctl.engine.exec.ConnectionFactory;
import io.budgetctl.engine.exec.FactSource;
import io.budgetctl.engine.exec.TestModules;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EngineTest {
    @TempDir
    Path dir;

    @Test
    void runsTasksInOrderAndCountsLikeAnsible() throws IOException {
        // given
        EngineHarness e = new EngineHarness(dir);
        // when
        int code = e.run("""
                - hosts: localhost
                  gather_facts: false
                  vars:
                    target: "@DIR@/a.txt"
                  tasks:
                    - name: create
                      touch: path={{ target }}
                    - name: again
                      touch:
                        path: "{{ target }}"
                    - name: skipped
                      touch: path=@DIR@/never
                      when: false
                    - shell: echo hello
                      register: out
                    - lineadd:
                        path: "@DIR@/log"
                        line: "{{ out.stdout }}"
                """);
        // then
        assertThat(code).isZero();
        assertThat(e.file("a.txt")).isEmpty();
        assertThat(e.file("never")).isNull();
        assertThat(e.file("log")).isEqualTo("hello\n");
        assertThat(e.recap("localhost")).isEqualTo("ok=4 changed=3 unreachable=0 failed=0 skipped=1 rescued=0 ignored=0");
    }

    @Test
    void blockRescueAlwaysIncludesLoopsUntilAndHandlersCountLikeAnsible() throws IOException {
        // given: the same shape as a playbook checked against ansible-playbook 2.14 (ok=13 rescued=1 ignored=1)
        EngineHarness e = new EngineHarness(dir);
        e.write("inc.yml", "- lineadd: path=@DIR@/log line=\"inc {{ item }}\"\n");
        // when
        int code = e.run("""
                - hosts: localhost
                  gather_facts: false
                  tasks:
                    - block:
                        - shell: echo a
                        - fail: msg=x
                        - lineadd: path=@DIR@/log line=never
                      rescue:
                        - lineadd: path=@DIR@/log line="rescued {{ ansible_failed_result.msg }}"
                      always:
                        - lineadd: path=@DIR@/log line=always
                    - include_tasks: inc.yml
                      loop: [1, 2]
                    - shell: echo {{ item }}
                      loop: [a, b]
                      register: r
                      notify: h
                    - lineadd: path=@DIR@/log line="{{ r.results | length }} {{ r.msg }}"
                    - shell: "false"
                      ignore_errors: yes
                    - shell: echo x
                      register: u
                      until: u.attempts >= 2
                      retries: 3
                      delay: 0
                    - lineadd: path=@DIR@/log line="attempts {{ u.attempts }}"
                  handlers:
                    - name: h
                      lineadd: path=@DIR@/log line=handler
                """);
        // then
        assertThat(code).isZero();
        assertThat(e.file("log")).isEqualTo(
                "rescued x\nalways\ninc 1\ninc 2\n2 All items completed\nattempts 2\nhandler\n");
        assertThat(e.recap("localhost"))
                .isEqualTo("ok=13 changed=10 unreachable=0 failed=0 skipped=0 rescued=1 ignored=1");
        assertThat(e.rec.lines).contains("failed localhost ignored", "changed localhost a", "handler h");
    }

    private static MapInventory threeHosts() {
        return new MapInventory().host("h1", "web").host("h2", "web").host("h3", "db");
    }

    @Test
    void failedHostLeavesThePlayAndLaterPlaysWhileOthersCarryOn() throws IOException {
        // given
        EngineHarness e = new EngineHarness(dir);
        e.inventory = threeHosts();
        // when
        int code = e.run("""
                - hosts: all
                  gather_facts: false
                  tasks:
                    - fail: msg=boom
                      when: inventory_hostname == 'h1'
                    - lineadd: path=@DIR@/log-{{ inventory_hostname }} line=one
                - hosts: all
                  gather_facts: false
                  tasks:
                    - lineadd: path=@DIR@/log-{{ inventory_hostname }} line=two
                """);
        // then
        assertThat(code).isEqualTo(ExitCodes.HOST_FAILED);
        assertThat(e.file("log-h1")).isNull();
        assertThat(e.file("log-h2")).isEqualTo("one\ntwo\n");
        assertThat(e.file("log-h3")).isEqualTo("one\ntwo\n");
        assertThat(e.recap("h1")).isEqualTo("ok=0 changed=0 unreachable=0 failed=1 skipped=0 rescued=0 ignored=0");
        assertThat(e.recap("h2")).isEqualTo("ok=2 changed=2 unreachable=0 failed=0 skipped=1 rescued=0 ignored=0");
    }

    @Test
    void anyErrorsFatalStopsEveryHostAndTheRun() throws IOException {
        EngineHarness e = new EngineHarness(dir);
        e.inventory = threeHosts();
        int code = e.run("""
                - hosts: all
                  gather_facts: false
                  any_errors_fatal: true
                  tasks:
                    - fail: msg=boom
                      when: inventory_hostname == 'h2'
                    - lineadd: path=@DIR@/log line=after
                - hosts: all
                  gather_facts: false
                  tasks:
                    - lineadd: path=@DIR@/log line=second
                """);
        assertThat(code).isEqualTo(2);
        assertThat(e.file("log")).isNull();
        assertThat(e.recap("h1")).isEqualTo("ok=0 changed=0 unreachable=0 failed=0 skipped=1 rescued=0 ignored=0");
        assertThat(e.recap("h2")).isEqualTo("ok=0 changed=0 unreachable=0 failed=1 skipped=0 rescued=0 ignored=0");
    }

    @Test
    void aFailingHandlerWithItsOwnAnyErrorsFatalStopsEveryHostAndTheRun() throws IOException {
        // given a play without any_errors_fatal whose handler has it and fails on h2
        EngineHarness e = new EngineHarness(dir);
        e.inventory = threeHosts();
        // when
        int code = e.run("""
                - hosts: all
                  gather_facts: false
                  tasks:
                    - lineadd: path=@DIR@/log-{{ inventory_hostname }} line=task
                      notify: [h, later]
                  handlers:
                    - name: h
                      fail: msg=boom
                      when: inventory_hostname == 'h2'
                      any_errors_fatal: true
                    - name: later
                      lineadd: path=@DIR@/log-{{ inventory_hostname }} line=later
                - hosts: all
                  gather_facts: false
                  tasks:
                    - lineadd: path=@DIR@/log-{{ inventory_hostname }} line=second
                """);
        // then as ansible-core 2.14.18 gives: NO MORE HOSTS LEFT after the handler, no later handler, no next play
        assertThat(code).isEqualTo(2);
        assertThat(e.file("log-h1")).isEqualTo("task\n");
        assertThat(e.recap("h1")).isEqualTo("ok=1 changed=1 unreachable=0 failed=0 skipped=1 rescued=0 ignored=0");
        assertThat(e.recap("h2")).isEqualTo("ok=1 changed=1 unreachable=0 failed=1 skipped=0 rescued=0 ignored=0");
    }

    @Test
    void serialRunsBatchesOneAfterAnother() throws IOException {
        EngineHarness e = new EngineHarness(dir);
        e.inventory = threeHosts();
        int code = e.run("""
                - hosts: all
                  gather_facts: false
                  serial: [1, "50%"]
                  tasks:
                    - lineadd: path=@DIR@/log line="a {{ inventory_hostname }} {{ ansible_play_batch | length }}"
                    - lineadd: path=@DIR@/log line="b {{ inventory_hostname }}"
                """);
        assertThat(code).isZero();
        List<String> log = e.file("log").lines().toList();
        assertThat(log.subList(0, 2)).containsExactly("a h1 1", "b h1");
        assertThat(log.subList(2, 4)).containsExactly("a h2 1", "b h2");
        assertThat(log.subList(4, 6)).containsExactly("a h3 1", "b h3");
        assertThat(e.rec.lines.stream().filter(l -> l.startsWith("play ")).toList())
                .containsExactly("play all [h1]", "play all [h2]", "play all [h3]");
    }

    @Test
    void maxFailPercentageAbortsThePlay() throws IOException {
        EngineHarness e = new EngineHarness(dir);
        e.inventory = threeHosts();
        int code = e.run("""
                - hosts: all
                  gather_facts: false
                  max_fail_percentage: 30
                  tasks:
                    - fail: msg=boom
                      when: inventory_hostname == 'h1'
                    - lineadd: path=@DIR@/log line=after
                """);
        assertThat(code).isEqualTo(2);
        assertThat(e.file("log")).isNull();
    }

    @Test
    void handlersRunOnceInDefinitionOrderOnlyWhenChangedAndOnFlush() throws IOException {
        EngineHarness e = new EngineHarness(dir);
        int code = e.run("""
                - hosts: localhost
                  gather_facts: false
                  tasks:
                    - lineadd: path=@DIR@/log line=t1
                      notify: [second, first]
                    - lineadd: path=@DIR@/log line=t2
                      notify: first
                    - touch: path=@DIR@/log
                      notify: never
                    - meta: flush_handlers
                    - lineadd: path=@DIR@/log line=t3
                      notify: topic
                  handlers:
                    - name: first
                      lineadd: path=@DIR@/log line=h-first
                    - name: second
                      lineadd: path=@DIR@/log line=h-second
                    - name: never
                      lineadd: path=@DIR@/log line=h-never
                    - name: listener
                      listen: topic
                      lineadd: path=@DIR@/log line=h-listen
                """);
        assertThat(code).isZero();
        assertThat(e.file("log")).isEqualTo("t1\nt2\nh-first\nh-second\nt3\nh-listen\n");
    }

    @Test
    void eachIncludeRoleLoadsItsOwnHandlersAndANotifyGoesToTheCopyLoadedLast() throws IOException {
        // given: ansible-playbook 2.14 runs "svc handler" three times here (differential case 14): the import's
        // copy, the copy of the loop's last item (both items notify it) and the templated include's copy
        EngineHarness e = new EngineHarness(dir);
        e.inventory = threeHosts();
        e.write("roles/svc/tasks/main.yml", """
                - name: main entry point
                  lineadd: path=@DIR@/calls-{{ inventory_hostname }} line="main {{ svc_name }}"
                  notify: svc handler
                """);
        e.write("roles/svc/handlers/main.yml", """
                - name: svc handler
                  lineadd: path=@DIR@/handled-{{ inventory_hostname }} line=handled
                """);
        // when
        int code = e.run("""
                - hosts: all
                  gather_facts: false
                  tasks:
                    - import_role:
                        name: svc
                      vars:
                        svc_name: imported
                    - include_role:
                        name: svc
                      vars:
                        svc_name: "included-{{ item }}"
                      loop: [a, b]
                    - include_role:
                        name: "{{ 'svc' }}"
                      vars:
                        svc_name: templated
                """);
        // then: three runs, each one for all hosts (hosts with the same include share its copy)
        assertThat(code).isZero();
        for (String h : List.of("h1", "h2", "h3")) {
            assertThat(e.file("handled-" + h)).isEqualTo("handled\nhandled\nhandled\n");
        }
        assertThat(e.rec.lines.stream().filter(l -> l.startsWith("handler ")).count()).isEqualTo(3);
        assertThat(e.rec.lines.stream().filter(l -> l.equals("task svc : main entry point")).count()).isEqualTo(4);
    }

    @Test
    void aTopicRunsTheListenerOfEachIncludeRoleCopyAndARepeatedIncludeHasNoCopyOfItsOwn() throws IOException {
        // given include_role lis twice alike, once with other vars and in a loop of two
        EngineHarness e = new EngineHarness(dir);
        e.write("roles/lis/handlers/main.yml", """
                - name: lh
                  shell: echo lh >> @DIR@/log
                  listen: topic
                """);
        // when
        int code = e.run("""
                - hosts: localhost
                  gather_facts: false
                  tasks:
                    - include_role: {name: lis}
                    - include_role: {name: lis}
                    - include_role: {name: lis}
                      vars: {n: 2}
                    - include_role: {name: lis}
                      loop: [a, b]
                    - shell: "true"
                      notify: topic
                  handlers:
                    - name: play listener
                      shell: echo play >> @DIR@/log
                      listen: topic
                """);
        // then as ansible-core 2.14.18 gives: [play listener], then four runs of [lis : lh]: the second include is
        // the first's cached role
        assertThat(code).isZero();
        assertThat(e.file("log")).isEqualTo("play\nlh\nlh\nlh\nlh\n");
    }

    @Test
    void tagsSelectTasksWithAlwaysAndNever() throws IOException {
        EngineHarness e = new EngineHarness(dir);
        String pb = """
                - hosts: localhost
                  gather_facts: false
                  tasks:
                    - lineadd: path=@DIR@/log line=a
                      tags: a
                    - lineadd: path=@DIR@/log line=b
                      tags: [b]
                    - lineadd: path=@DIR@/log line=always
                      tags: always
                    - lineadd: path=@DIR@/log line=never
                      tags: never
                    - block:
                        - lineadd: path=@DIR@/log line=inblock
                      tags: a
                """;
        RunRequest only = RunRequest.builder().playbook(Path.of("x")).tags(List.of("a")).build();
        e.run(pb, only);
        assertThat(e.file("log")).isEqualTo("a\nalways\ninblock\n");
        RunRequest skip = RunRequest.builder().playbook(Path.of("x")).skipTags(List.of("a")).build();
        java.nio.file.Files.delete(dir.resolve("log"));
        e.run(pb, skip);
        assertThat(e.file("log")).isEqualTo("b\nalways\n");
    }

    @Test
    void variablePrecedenceFollowsAnsible() throws IOException {
        // given: every level sets 'v' plus one variable of its own, so each level is seen overriding the one below
        EngineHarness e = new EngineHarness(dir);
        e.inventory = new MapInventory().host("localhost", "g", "v", "inventory", "inv_only", "inventory");
        e.write("roles/r/defaults/main.yml", "v: role-defaults\nd: role-defaults\n");
        e.write("roles/r/vars/main.yml", "rv: role-vars\n");
        e.write("roles/r/tasks/main.yml", """
                - lineadd: path=@DIR@/log line="role {{ v }} {{ d }} {{ rv }} {{ p }}"
                - block:
                    - lineadd: path=@DIR@/log line="block {{ v }}"
                    - lineadd: path=@DIR@/log line="task {{ v }}"
                      vars:
                        v: task
                  vars:
                    v: block
                """);
        e.write("vf.yml", "v: vars-files\nvf: vars-files\n");
        e.write("inc.yml", "- lineadd: path=@DIR@/log line=\"include {{ v }}\"\n");
        RunRequest extra = RunRequest.builder().playbook(Path.of("x")).extraVars(List.of("x=extra v2=extra")).build();
        // when
        int code = e.run("""
                - hosts: localhost
                  gather_facts: false
                  vars:
                    v: play
                    x: play
                  vars_files: [vf.yml]
                  roles:
                    - role: r
                      p: param
                  tasks:
                    - lineadd: path=@DIR@/log line="play {{ v }} {{ inv_only }} {{ vf }} {{ x }}"
                    - set_fact:
                        v: set-fact
                    - lineadd: path=@DIR@/log line="fact {{ v }}"
                      vars:
                        v: task-loses-to-set-fact
                    - include_tasks: inc.yml
                      vars:
                        v: include-param
                """, extra);
        // then
        assertThat(code).isZero();
        assertThat(e.file("log").lines().toList()).containsExactly(
                "role vars-files role-defaults role-vars param",
                "block block",
                "task task",
                "play vars-files inventory vars-files extra",
                "fact set-fact",
                "include include-param");
    }

    @Test
    void checkModeSkipsModulesWithoutSupportAndPredictsOthers() throws IOException {
        EngineHarness e = new EngineHarness(dir);
        RunRequest check = RunRequest.builder().playbook(Path.of("x")).check(true).build();
        int code = e.run("""
                - hosts: localhost
                  gather_facts: false
                  tasks:
                    - shell: touch @DIR@/by-shell
                    - touch: path=@DIR@/by-touch
                    - touch: path=@DIR@/forced
                      check_mode: false
                    - lineadd: path=@DIR@/log line="{{ 'yes' if ansible_check_mode else 'no' }}"
                      check_mode: false
                """, check);
        assertThat(code).isZero();
        assertThat(e.file("by-shell")).isNull();
        assertThat(e.file("by-touch")).isNull();
        assertThat(e.file("forced")).isEmpty();
        // ansible_check_mode reflects --check, not the task's check_mode: false (as in ansible-playbook 2.14)
        assertThat(e.file("log")).isEqualTo("yes\n");
        HostResultEvent shell = e.rec.results.get(0);
        assertThat(shell.status()).isEqualTo(Status.SKIPPED);
        assertThat(shell.msg()).isEqualTo("remote module (shell) does not support check mode");
        assertThat(e.recap("localhost")).isEqualTo("ok=3 changed=3 unreachable=0 failed=0 skipped=1 rescued=0 ignored=0");
    }

    @Test
    void noLogAndSecretsNeverReachEvents() throws IOException {
        EngineHarness e = new EngineHarness(dir);
        e.inventory = new MapInventory().host("localhost", "g", "password", Secret.of("s3cr3t-value"));
        int code = e.run("""
                - hosts: localhost
                  gather_facts: false
                  tasks:
                    - debug: var=password
                    - shell: echo hidden-output
                      no_log: true
                """);
        assertThat(code).isZero();
        for (HostResultEvent r : e.rec.results) {
            assertThat(String.valueOf(r.data())).doesNotContain("s3cr3t-value").doesNotContain("hidden-output");
        }
        assertThat(e.rec.results.get(1).data()).containsEntry("censored",
                "the output has been hidden due to the fact that 'no_log: true' was specified for this result");
    }

    @Test
    void noLogUntilShowsTheAttemptsAndRegistersTheWholeResult() throws IOException {
        // given a no_log task that succeeds on its second attempt
        EngineHarness e = new EngineHarness(dir);
        // when
        int code = e.run("""
                - hosts: localhost
                  gather_facts: false
                  tasks:
                    - shell: echo hidden-output; echo x >> @DIR@/count; test $(wc -l < @DIR@/count) -ge 2
                      register: r
                      until: r.rc == 0
                      retries: 3
                      delay: 0
                      no_log: true
                    - lineadd: path=@DIR@/log line="{{ r.attempts }} {{ r.stdout }}"
                """);
        // then as ansible-core 2.14.18 gives at -v: changed: [localhost] => {"attempts": 2, "censored": "the output
        // has been hidden due to the fact that 'no_log: true' was specified for this result", "changed": true},
        // while the registered variable is the whole result
        assertThat(code).isZero();
        assertThat(e.rec.results.get(0).data()).isEqualTo(Map.of("censored", "the output has been hidden due to the "
                + "fact that 'no_log: true' was specified for this result", "attempts", 2, "changed", true));
        assertThat(e.file("log")).isEqualTo("2 hidden-output\n");
    }

    @Test
    void noLogLoopHidesItemLabelsAsAnsibleDoes() throws IOException {
        // given a no_log loop over a plain (not Secret) variable, with a label and a failing item
        EngineHarness e = new EngineHarness(dir);
        int code = e.run("""
                - hosts: localhost
                  gather_facts: false
                  vars:
                    pw: plain-s3cr3t
                  tasks:
                    - debug: msg="{{ item }}"
                      loop: ["{{ pw }}", other]
                      no_log: true
                    - debug: msg="{{ item }}"
                      loop: ["{{ pw }}"]
                      loop_control:
                        label: "label-{{ item }}"
                      no_log: true
                """);
        // when the events are recorded
        // then every item is labelled None (Ansible: "(item=None)") and no event carries the value
        assertThat(code).isZero();
        List<HostResultEvent> items = e.rec.results.stream().filter(r -> r.item() != null).toList();
        assertThat(items).hasSize(3).allSatisfy(r -> assertThat(r.item()).isEqualTo("None"));
        for (HostResultEvent r : e.rec.results) {
            assertThat(r + " " + r.data()).doesNotContain("plain-s3cr3t");
        }
    }

    @Test
    void pauseRunsOnceOnTheFirstHostAndCountsOnlyThere() throws IOException {
        // given three hosts and a "pause" task (a shell stand-in that records where it runs) with register
        EngineHarness e = new EngineHarness(dir);
        e.inventory = new MapInventory().host("h1", "g").host("h2", "g").host("h3", "g");
        // when the play runs
        int code = e.run("""
                - hosts: all
                  gather_facts: false
                  tasks:
                    - pause: echo {{ inventory_hostname }} >> @DIR@/ran
                      register: p
                    - lineadd: path=@DIR@/seen-{{ inventory_hostname }} line="{{ 'yes' if p is defined else 'no' }}"
                """);
        // then it ran on h1 only, is counted for h1 only and registered only there (ansible 2.14 linear strategy)
        assertThat(code).isZero();
        assertThat(e.file("ran")).isEqualTo("h1\n");
        assertThat(List.of(e.file("seen-h1"), e.file("seen-h2"), e.file("seen-h3"))).containsExactly("yes\n", "no\n",
                "no\n");
        assertThat(e.recap("h1")).isEqualTo("ok=2 changed=2 unreachable=0 failed=0 skipped=0 rescued=0 ignored=0");
        assertThat(e.recap("h2")).isEqualTo("ok=1 changed=1 unreachable=0 failed=0 skipped=0 rescued=0 ignored=0");
    }

    @Test
    void unreachableHostIsDroppedOthersCarryOnExitFour() throws IOException {
        EngineHarness e = new EngineHarness(dir);
        e.inventory = new MapInventory().host("h1", "g").host("h2", "g");
        EngineServices s = e.services().withConnections((host, vars) -> {
            if (host.equals("h2")) {
                throw new UnreachableException(UnreachableException.Kind.REFUSED, "connection refused");
            }
            return new LocalConnection(host);
        });
        java.nio.file.Path p = e.write("site.yml", """
                - hosts: all
                  gather_facts: false
                  tasks:
                    - lineadd: path=@DIR@/log line="a {{ inventory_hostname }}"
                    - lineadd: path=@DIR@/log line="b {{ inventory_hostname }}"
                """);
        int code = Engine.run(RunRequest.builder().playbook(p).build(), List.of(e.rec), s);
        assertThat(code).isEqualTo(ExitCodes.HOST_UNREACHABLE);
        assertThat(e.file("log")).isEqualTo("a h1\nb h1\n");
        assertThat(e.recap("h2")).isEqualTo("ok=0 changed=0 unreachable=1 failed=0 skipped=0 rescued=0 ignored=0");
    }

    @Test
    void unreachableWinsOverFailedInTheExitCodeAsInAnsible() throws IOException {
        // given h1 fails its task and h2 cannot be reached (ansible-playbook 2.14 exits 4 for this)
        EngineHarness e = new EngineHarness(dir);
        e.inventory = new MapInventory().host("h1", "g").host("h2", "g");
        EngineServices s = e.services().withConnections((host, vars) -> {
            if (host.equals("h2")) {
                throw new UnreachableException(UnreachableException.Kind.REFUSED, "connection refused");
            }
            return new LocalConnection(host);
        });
        java.nio.file.Path p = e.write("site.yml", """
                - hosts: all
                  gather_facts: false
                  tasks:
                    - lineadd: path=@DIR@/log line="a {{ inventory_hostname }}"
                      failed_when: true
                """);
        // when
        int code = Engine.run(RunRequest.builder().playbook(p).build(), List.of(e.rec), s);
        // then
        assertThat(code).isEqualTo(ExitCodes.HOST_UNREACHABLE);
        assertThat(e.recap("h1")).isEqualTo("ok=0 changed=0 unreachable=0 failed=1 skipped=0 rescued=0 ignored=0");
    }

    @Test
    void loopControlAndWithItemsFlattenOneLevel() throws IOException {
        EngineHarness e = new EngineHarness(dir);
        int code = e.run("""
                - hosts: localhost
                  gather_facts: false
                  tasks:
                    - lineadd: path=@DIR@/log line="{{ idx }} {{ pkg.name }}"
                      loop: [{name: a}, {name: b}]
                      loop_control:
                        loop_var: pkg
                        index_var: idx
                        label: "{{ pkg.name }}"
                    - lineadd: path=@DIR@/log line="{{ item }}"
                      with_items: [[x, y], z]
                """);
        assertThat(code).isZero();
        assertThat(e.file("log")).isEqualTo("0 a\n1 b\nx\ny\nz\n");
        assertThat(e.rec.lines).contains("changed localhost a", "changed localhost b");
    }

    @Test
    void rolesIncludeRoleAndImportRoleRunWithTheirVariables() throws IOException {
        EngineHarness e = new EngineHarness(dir);
        e.write("roles/common/tasks/main.yml", "- lineadd: path=@DIR@/log line=\"common {{ who }}\"\n");
        e.write("roles/common/defaults/main.yml", "who: default\n");
        e.write("roles/app/meta/main.yml", "dependencies: [common]\n");
        e.write("roles/app/tasks/main.yml", "- lineadd: path=@DIR@/log line=\"app {{ role_name }}\"\n");
        e.write("roles/app/tasks/extra.yml", "- lineadd: path=@DIR@/log line=\"extra {{ who }}\"\n");
        int code = e.run("""
                - hosts: localhost
                  gather_facts: false
                  roles:
                    - app
                  tasks:
                    - include_role:
                        name: app
                        tasks_from: extra
                      vars:
                        who: included
                    - import_role:
                        name: common
                      vars:
                        who: imported
                """);
        assertThat(code).isZero();
        // as ansible-playbook 2.14 does: import_role vars are visible play-wide (so the first common sees them),
        // and include_role does not run a dependency that already ran
        assertThat(e.file("log")).isEqualTo("common imported\napp app\nextra included\ncommon imported\n");
    }

    @Test
    void listTasksAndHostsPrintLikeAnsible() throws IOException {
        EngineHarness e = new EngineHarness(dir);
        e.inventory = threeHosts();
        e.write("roles/r1/tasks/main.yml", "- name: role task\n  debug: msg=x\n  tags: [rt]\n");
        RunRequest list = RunRequest.builder().playbook(Path.of("x")).listHosts(true).listTasks(true).build();
        int code = e.run("""
                - name: first play
                  hosts: web
                  tags: [pt]
                  roles: [r1]
                  tasks:
                    - name: t1
                      debug: msg=hi
                      tags: [b, a]
                    - debug: msg=x
                """, list);
        assertThat(code).isZero();
        assertThat(e.rec.listing).contains("  play #1 (web): first play\tTAGS: [pt]", "    pattern: ['web']",
                "    hosts (2):", "      h1", "      h2", "      r1 : role task\tTAGS: [pt, rt]",
                "      t1\tTAGS: [a, b, pt]", "      debug\tTAGS: [pt]");
    }

    @Test
    void startAtTaskAndEndHostSkipWork() throws IOException {
        EngineHarness e = new EngineHarness(dir);
        e.inventory = threeHosts();
        RunRequest start = RunRequest.builder().playbook(Path.of("x")).startAtTask("second").build();
        int code = e.run("""
                - hosts: all
                  gather_facts: false
                  tasks:
                    - name: first
                      lineadd: path=@DIR@/log line=first
                    - name: second
                      meta: end_host
                      when: inventory_hostname != 'h1'
                    - name: third
                      lineadd: path=@DIR@/log line="third {{ inventory_hostname }}"
                """, start);
        assertThat(code).isZero();
        assertThat(e.file("log")).isEqualTo("third h1\n");
    }

    @Test
    void changedWhenAndFailedWhenUseTheRegisteredResult() throws IOException {
        EngineHarness e = new EngineHarness(dir);
        int code = e.run("""
                - hosts: localhost
                  gather_facts: false
                  tasks:
                    - shell: echo ok
                      register: r
                      changed_when: false
                    - shell: echo bad
                      register: r2
                      failed_when: "'bad' in r2.stdout"
                """);
        assertThat(code).isEqualTo(2);
        assertThat(e.recap("localhost")).isEqualTo("ok=1 changed=0 unreachable=0 failed=1 skipped=0 rescued=0 ignored=0");
    }

    @Test
    void hostvarsPrintWholeBecauseAHostsVariablesHoldNoHostvarsOfTheirOwn() throws IOException {
        // given: Ansible 2.14's hostvars[h] is get_vars(include_hostvars=False); ours held hostvars again, so
        // printing it recursed until the stack overflowed ("internal error ... PatternSyntaxException")
        EngineHarness e = new EngineHarness(dir);
        // when
        int code = e.run("""
                - hosts: localhost
                  gather_facts: false
                  tasks:
                    - set_fact: {marker: here}
                    - debug: var=hostvars
                    - lineadd:
                        path: "@DIR@/log"
                        line: "{{ 'hostvars' in hostvars['localhost'] }} {{ hostvars['localhost'].marker }} {{ (hostvars | to_json) is search('here') }}"
                """);
        // then
        assertThat(code).isZero();
        assertThat(e.file("log")).isEqualTo("False here True\n");
    }

    @Test
    void hostvarsReachAnotherHostsInventoryAndSetFactsAndHostsOutsideThePlay() throws IOException {
        // given web hosts h1 and h2 and the db host h3, each with its own inventory variable
        EngineHarness e = new EngineHarness(dir);
        e.inventory = new MapInventory().host("h1", "web", "where", "h1 inventory")
                .host("h2", "web", "where", "h2 inventory").host("h3", "db", "where", "h3 inventory");
        // when h1 reads what h2 set and h3 (no host of the play) has
        int code = e.run("""
                - hosts: web
                  gather_facts: false
                  tasks:
                    - set_fact: {marker: "set on {{ inventory_hostname }}"}
                    - lineadd:
                        path: "@DIR@/log"
                        line: "{{ hostvars['h2'].where }}, {{ hostvars['h2'].marker }}, {{ hostvars['h3'].where }}"
                      when: inventory_hostname == 'h1'
                """);
        // then
        assertThat(code).isZero();
        assertThat(e.file("log")).isEqualTo("h2 inventory, set on h2, h3 inventory\n");
    }
}
