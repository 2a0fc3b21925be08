package io.budgetctl.cli.ssh;

import static io.budgetctl.cli.ssh.PlaybookRun.onHost;
import static io.budgetctl.cli.ssh.PlaybookRun.write;
import static org.assertj.core.api.Assertions.assertThat;
import static io.budgetctl.engine.testkit.Polling.poll;

import io.budgetctl.cli.ssh.PlaybookRun.Outcome;
import io.budgetctl.engine.run.ExitCodes;
import io.budgetctl.engine.ssh.TestHostsExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failures at playbook level over real SSH: a host that goes away mid-run is UNREACHABLE while the others finish,
 * and a host whose key does not match known_hosts is refused with one line naming host, fingerprint and file.
 * The first test stops host 3 and the second uses host 1 only, so their order does not matter.
 */
class PlaybookFailuresOverSshIT {
    @RegisterExtension
    static final TestHostsExtension HOSTS = new TestHostsExtension(3);

    @TempDir
    Path dir;

    @Test
    void aHostStoppedMidRunIsUnreachableAndTheOthersFinish() throws Exception {
        // given
        Path playbook = write(dir, "stop.yml", """
                - hosts: all
                  gather_facts: false
                  tasks:
                    - name: first
                      command: "true"
                    - name: long command
                      command: sleep 6
                    - name: after
                      file: {path: /home/deploy/after, state: touch}
                    - name: last
                      command: "true"
                """);
        String victim = HOSTS.host(2).name();
        PlaybookRun run = new PlaybookRun();

        // when: host 3's container is stopped while every host runs the long command
        CompletableFuture<Outcome> running = CompletableFuture.supplyAsync(
                () -> run.execute(playbook, HOSTS.inventory(), false));
        poll("the play at its long command", Duration.ofSeconds(60), Duration.ofMillis(50))
                .untilAsserted(() -> assertThat(run.output()).contains("TASK [long command]"));
        Thread.sleep(1000);
        HOSTS.docker("stop", "--time", "0", HOSTS.host(2).container());
        Outcome outcome = running.get(120, TimeUnit.SECONDS);

        // then
        assertThat(outcome.exitCode()).as(outcome.output()).isEqualTo(ExitCodes.HOST_UNREACHABLE);
        assertThat(outcome.output()).containsPattern("fatal: \\[" + victim + "]: UNREACHABLE!");
        assertThat(outcome.recap(victim).unreachable()).isEqualTo(1);
        assertThat(outcome.recap(victim).ok()).isEqualTo(1);
        for (int i = 0; i < 2; i++) {
            String host = HOSTS.host(i).name();
            assertThat(outcome.recap(host)).as(outcome.output()).isEqualTo(new PlaybookRun.Recap(4, 4, 0, 0));
            assertThat(onHost(HOSTS, i, "test -f /home/deploy/after && echo yes")).isEqualTo("yes\n");
        }
    }

    @Test
    void aWrongHostKeyIsRefusedWithOneLineNamingHostFingerprintAndFile() throws Exception {
        // given: known_hosts holds some other ed25519 key for host 1's address
        TestHostsExtension.TestHost host = HOSTS.host(0);
        Path other = dir.resolve("other");
        Process keygen = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", other.toString())
                .redirectErrorStream(true).start();
        assertThat(keygen.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String[] otherKey = Files.readString(dir.resolve("other.pub"), StandardCharsets.UTF_8).split(" ");
        Path knownHosts = dir.resolve("known_hosts");
        Files.writeString(knownHosts, "[127.0.0.1]:" + host.port() + " " + otherKey[0] + " " + otherKey[1] + "\n");
        String offered = onHost(HOSTS, 0, "ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub").split(" ")[1];
        Path inventory = write(dir, "inventory.yml", """
                all:
                  hosts:
                    %s:
                      ansible_host: 127.0.0.1
                      ansible_port: %d
                      ansible_user: deploy
                      ansible_ssh_private_key_file: %s
                      ansible_ssh_common_args: -o UserKnownHostsFile=%s -o StrictHostKeyChecking=yes
                """.formatted(host.name(), host.port(), HOSTS.ed25519Key(), knownHosts));
        Path playbook = write(dir, "key.yml", """
                - hosts: all
                  gather_facts: false
                  tasks:
                    - command: touch /home/deploy/must-not-exist
                """);

        // when
        Outcome outcome = PlaybookRun.run(playbook, inventory, false);

        // then
        assertThat(outcome.exitCode()).as(outcome.output()).isEqualTo(ExitCodes.HOST_UNREACHABLE);
        List<String> fatal = outcome.output().lines().filter(l -> l.startsWith("fatal: [" + host.name() + "]"))
                .toList();
        assertThat(fatal).hasSize(1);
        assertThat(fatal.get(0)).contains("UNREACHABLE!", "[127.0.0.1]:" + host.port(), offered,
                knownHosts.toString(), "CHANGED");
        assertThat(outcome.recap(host.name()).unreachable()).isEqualTo(1);
        assertThat(onHost(HOSTS, 0, "test -e /home/deploy/must-not-exist && echo present || echo absent"))
                .isEqualTo("absent\n");
    }
}
