package io.budgetctl.cli.ssh;

import static io.budgetctl.cli.ssh.PlaybookRun.onHost;
import static io.budgetctl.cli.ssh.PlaybookRun.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.budgetctl.cli.ssh.PlaybookRun.Outcome;
import io.budgetctl.engine.ssh.TestHostsExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whole playbooks over real SSH against two test hosts (no Python on them): every file and command module, become
 * to root, check mode and the second run that changes nothing. Each test works in its own directories.
 */
class PlaybookOverSshIT {
    @RegisterExtension
    static final TestHostsExtension HOSTS = new TestHostsExtension(2);

    @TempDir
    Path dir;

    private static final String TEMPLATE = """
            # {{ app }} on {{ inventory_hostname }}
            level=info
            {% for f in features %}
            feature.{{ f }}=on
            {% endfor %}
            """;

    private static final String MODULES = """
            - name: every module over ssh
              hosts: all
              gather_facts: false
              vars:
                d: /home/deploy/pb
                app: itbm
                features: [sso, forecasting]
              tasks:
                - name: ping
                  ping:
                - name: directory
                  file: {path: "{{ d }}", state: directory, mode: "0755"}
                - name: content
                  copy: {content: "hello {{ inventory_hostname }}\\n", dest: "{{ d }}/hello.txt", mode: "0640"}
                - name: binary file from the controller
                  copy: {src: files/data.bin, dest: "{{ d }}/data.bin", mode: "0644"}
                - name: template
                  template: {src: app.conf.j2, dest: "{{ d }}/app.conf", mode: "0644"}
                - name: settings exist (force false)
                  copy: {content: "level=info\\n", dest: "{{ d }}/settings", force: false}
                - name: lineinfile
                  lineinfile: {path: "{{ d }}/settings", regexp: "^level=", line: "level=warn"}
                - name: blockinfile
                  blockinfile: {path: "{{ d }}/settings", block: "extra=1\\nmore=2"}
                - name: link
                  file: {src: "{{ d }}/app.conf", dest: "{{ d }}/current.conf", state: link}
                - name: stat the link
                  stat: {path: "{{ d }}/current.conf"}
                  register: st
                - name: the link is a link
                  assert: {that: [st.stat.exists, st.stat.islnk]}
                - name: read back
                  command: cat {{ d }}/hello.txt
                  register: hello
                  changed_when: false
                - name: set_fact
                  set_fact: {greeting: "{{ hello.stdout }}"}
                - name: assert on a fact
                  assert: {that: ["greeting == 'hello ' ~ inventory_hostname"]}
                - name: shell with creates
                  shell: echo "$((6 * 7))" > {{ d }}/answer
                  args: {creates: "{{ d }}/answer"}
                - name: debug
                  debug: {msg: "greeting is {{ greeting }}"}
                - name: wait for sshd's port
                  wait_for: {port: 22, timeout: 10}
                - name: wait for a file
                  wait_for: {path: "{{ d }}/answer", timeout: 10}
                - name: command with creates
                  command: touch {{ d }}/marker
                  args: {creates: "{{ d }}/marker"}
            """;

    @Test
    void everyModuleWorksOverSshAndTheSecondRunChangesNothing() throws Exception {
        // given
        byte[] data = new byte[300_000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 31 + i / 256);
        }
        Files.createDirectories(dir.resolve("files"));
        Files.write(dir.resolve("files/data.bin"), data);
        write(dir, "templates/app.conf.j2", TEMPLATE);
        Path playbook = write(dir, "modules.yml", MODULES);

        // when
        Outcome first = PlaybookRun.run(playbook, HOSTS.inventory(), false);
        Outcome second = PlaybookRun.run(playbook, HOSTS.inventory(), false);

        // then
        assertThat(first.exitCode()).as(first.output()).isZero();
        for (int i = 0; i < 2; i++) {
            String host = HOSTS.host(i).name();
            assertThat(first.recap(host).failed()).isZero();
            assertThat(first.recap(host).changed()).as(first.output()).isGreaterThanOrEqualTo(10);
            assertThat(onHost(HOSTS, i, "cat /home/deploy/pb/hello.txt")).isEqualTo("hello " + host + "\n");
            assertThat(onHost(HOSTS, i, "stat -c '%a %U' /home/deploy/pb/hello.txt")).isEqualTo("640 deploy\n");
            assertThat(onHost(HOSTS, i, "sha1sum < /home/deploy/pb/data.bin | cut -d' ' -f1").strip())
                    .isEqualTo(sha1(data));
            assertThat(onHost(HOSTS, i, "cat /home/deploy/pb/app.conf")).isEqualTo("# itbm on " + host + "\n"
                    + "level=info\nfeature.sso=on\nfeature.forecasting=on\n");
            assertThat(onHost(HOSTS, i, "cat /home/deploy/pb/settings")).isEqualTo("level=warn\n"
                    + "# BEGIN ANSIBLE MANAGED BLOCK\nextra=1\nmore=2\n# END ANSIBLE MANAGED BLOCK\n");
            assertThat(onHost(HOSTS, i, "readlink /home/deploy/pb/current.conf")).isEqualTo("/home/deploy/pb/app.conf\n");
            assertThat(onHost(HOSTS, i, "cat /home/deploy/pb/answer")).isEqualTo("42\n");
            assertThat(onHost(HOSTS, i, "test -f /home/deploy/pb/marker && echo yes")).isEqualTo("yes\n");
            assertThat(first.output()).contains("greeting is hello " + host);
        }
        assertThat(second.exitCode()).as(second.output()).isZero();
        for (int i = 0; i < 2; i++) {
            assertThat(second.recap(HOSTS.host(i).name()).changed()).as(second.output()).isZero();
            assertThat(second.recap(HOSTS.host(i).name()).ok()).isEqualTo(first.recap(HOSTS.host(i).name()).ok());
        }
    }

    @Test
    void becomeWritesFilesOwnedByRootAndRunsCommandsAsRoot() throws Exception {
        // given
        write(dir, "templates/app.conf.j2", TEMPLATE);
        Path playbook = write(dir, "become.yml", """
                - hosts: all
                  gather_facts: false
                  become: true
                  vars: {app: itbm, features: [sso]}
                  tasks:
                    - file: {path: /opt/bt, state: directory, mode: "0750"}
                    - copy: {content: "secret\\n", dest: /opt/bt/root.txt, mode: "0600"}
                    - template: {src: app.conf.j2, dest: /opt/bt/app.conf, mode: "0640"}
                    - lineinfile: {path: /opt/bt/extra.conf, line: "added=1", create: true, mode: "0644"}
                    - command: id -un
                      register: who
                      changed_when: false
                    - assert: {that: ["who.stdout == 'root'"]}
                """);

        // when
        Outcome run = PlaybookRun.run(playbook, HOSTS.inventory(), false);
        Outcome again = PlaybookRun.run(playbook, HOSTS.inventory(), false);

        // then
        assertThat(run.exitCode()).as(run.output()).isZero();
        for (int i = 0; i < 2; i++) {
            assertThat(onHost(HOSTS, i, "stat -c '%U %G %a' /opt/bt /opt/bt/root.txt /opt/bt/app.conf"
                    + " /opt/bt/extra.conf")).isEqualTo("root root 750\nroot root 600\nroot root 640\nroot root 644\n");
            assertThat(onHost(HOSTS, i, "cat /opt/bt/extra.conf")).isEqualTo("added=1\n");
            assertThat(again.recap(HOSTS.host(i).name()).changed()).as(again.output()).isZero();
        }
    }

    @Test
    void checkModeReportsChangesButLeavesTheHostsAsTheyWere() throws Exception {
        // given
        String prepare = "mkdir -p /home/deploy/cm && printf 'line1\\n' > /home/deploy/cm/existing.txt"
                + " && chown -R deploy:deploy /home/deploy/cm && chmod 644 /home/deploy/cm/existing.txt";
        String listing = "find /home/deploy /opt -xdev ! -name .sudo_as_admin_successful"
                + " -printf '%p %y %m %u %g %s %T@ %l\\n' | sort"
                + " && find /home/deploy /opt -xdev -type f -exec sha1sum {} + | sort";
        onHost(HOSTS, 0, prepare);
        onHost(HOSTS, 1, prepare);
        write(dir, "templates/app.conf.j2", TEMPLATE);
        Path playbook = write(dir, "check.yml", """
                - hosts: all
                  gather_facts: false
                  vars: {app: itbm, features: [sso], d: /home/deploy/cm}
                  tasks:
                    - file: {path: "{{ d }}/new", state: directory}
                    - copy: {content: "x\\n", dest: "{{ d }}/existing.txt"}
                    - template: {src: app.conf.j2, dest: "{{ d }}/new.conf"}
                    - lineinfile: {path: "{{ d }}/existing.txt", line: "added"}
                    - blockinfile: {path: "{{ d }}/existing.txt", block: "b"}
                    - file: {path: "{{ d }}/existing.txt", mode: "0600"}
                    - file: {src: "{{ d }}/existing.txt", dest: "{{ d }}/link", state: link}
                    - command: touch {{ d }}/touched
                    - copy: {content: "root\\n", dest: /opt/cm-root.txt}
                      become: true
                """);
        String before0 = onHost(HOSTS, 0, listing);
        String before1 = onHost(HOSTS, 1, listing);

        // when
        Outcome run = PlaybookRun.run(playbook, HOSTS.inventory(), true);

        // then
        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.recap(HOSTS.host(0).name()).changed()).as(run.output()).isEqualTo(8);
        assertThat(onHost(HOSTS, 0, listing)).isEqualTo(before0);
        assertThat(onHost(HOSTS, 1, listing)).isEqualTo(before1);
    }

    private static String sha1(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(data));
    }
}
