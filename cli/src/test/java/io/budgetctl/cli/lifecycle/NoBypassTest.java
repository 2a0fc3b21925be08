package io.budgetctl.cli.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.budgetctl.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15's bypasses, each refused before any host is contacted: the customer's "server" here is a TCP listener on
 * 127.0.0.1 that counts the connections it gets, so "nothing was contacted" is measured, not assumed. The control
 * cases show the same command with good input does reach it.
 */
class NoBypassTest {
    private static final String IVAN = "ivan@itbm-vendor.example";
    private static final String ANNA = "anna@itbm-vendor.example";

    @TempDir
    Path tmp;

    private Path repo;
    private ServerSocket server;
    private final AtomicInteger connections = new AtomicInteger();
    private Map<String, String> env;
    private Path key;

    record Cli(int code, String out, String err) {
    }

    @BeforeEach
    void aCustomerOnACountingListener() throws IOException, InterruptedException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
            while (!server.isClosed()) {
                try (Socket s = server.accept()) {
                    connections.incrementAndGet();
                } catch (IOException e) {
                    return;
                }
            }
        }, "counting-listener");
        t.setDaemon(true);
        t.start();
        Path root = LifecycleRolesIT.repo();
        repo = Files.createDirectories(tmp.resolve("repo"));
        Files.copy(root.resolve("inventory/access.yaml"), repo.resolve("access.yaml"));
        Files.copy(root.resolve("inventory/releases.yaml"), repo.resolve("releases.yaml"));
        Files.createDirectories(repo.resolve("environments"));
        try (Stream<Path> envs = Files.list(root.resolve("inventory/environments"))) {
            for (Path e : envs.toList()) {
                Files.copy(e, repo.resolve("environments").resolve(e.getFileName()));
            }
        }
        Files.createDirectories(repo.resolve("clients"));
        Files.writeString(repo.resolve("clients/pilot.yaml"), String.join("\n", "id: pilot", "name: Pilot",
                "environment: demo", "licence: LIC-2025-0042", "domain: pilot.example.test", "target:",
                "  type: compose", "  servers:", "    - name: app", "      address: 127.0.0.1", "      port: 8443",
                "ssh:", "  port: " + server.getLocalPort(), ""));
        env = new HashMap<>(Map.of("BUDGETCTL_OPERATOR", IVAN, "BUDGETCTL_AUDIT_LOG",
                tmp.resolve("audit.log").toString(), "HOME", tmp.toString(), "NO_COLOR", "1"));
        LifecycleCommand.environment = env;
        key = tmp.resolve("id_ed25519");
        Process p = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key.toString())
                .redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    @AfterEach
    void close() throws IOException {
        LifecycleCommand.environment = null;
        server.close();
    }

    private Cli budgetctl(String... args) {
        List<String> a = new ArrayList<>(List.of(args));
        if (!a.get(0).equals("run")) {
            a.addAll(List.of("--repo", repo.toString()));
        }
        // a key, one connection attempt, no agent: a control run fails fast at the listener
        a.addAll(List.of("-e", "ansible_ssh_private_key_file=" + key, "-e", "budgetctl_ssh_connect_attempts=1",
                "-e", "budgetctl_ssh_agent=false"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), a.toArray(String[]::new));
        return new Cli(code, out.toString(), err.toString());
    }

    private List<String> audit() throws IOException {
        Path log = tmp.resolve("audit.log");
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    @Test
    void aRollbackTargetWithACommandSubstitutionIsRefusedBeforeAnyHostIsContacted() throws IOException {
        // when
        Cli c = budgetctl("rollback", "--client", "pilot", "--to", "v1$(touch /tmp/x)");
        // then
        assertThat(c.code()).isEqualTo(5);
        assertThat(c.err().lines().toList()).containsExactly(
                "ERROR! --to 'v1$(touch /tmp/x)' is not a valid version: it must match ^v[0-9]+\\.[0-9]+\\.[0-9]+$"
                        + " (e.g. v1.4.0)",
                "  hint: nothing was sent to any host; identifiers reach paths and shell commands on the customer's"
                        + " server, so only these characters are accepted");
        assertThat(c.out()).doesNotContain("PLAY");
        assertThat(connections).hasValue(0);
    }

    @Test
    void aRollbackTargetThatIsAPatternIsRefused() {
        // when
        Cli c = budgetctl("rollback", "--client", "pilot", "--to", "v1.*");
        // then
        assertThat(c.code()).isEqualTo(5);
        assertThat(c.err()).startsWith("ERROR! --to 'v1.*' is not a valid version");
        assertThat(connections).hasValue(0);
    }

    @Test
    void backupAndRestoreIdsThatLeaveTheBackupsDirectoryAreRefused() {
        // when
        Cli backup = budgetctl("backup", "--client", "pilot", "--id", "../..");
        Cli restore = budgetctl("restore", "--client", "pilot", "--from", "../../etc");
        Cli deploy = budgetctl("deploy", "--client", "pilot", "--version", "v1.4.0;id");
        Cli client = budgetctl("status", "--client", "pilot/../acme");
        // then
        assertThat(backup.code()).isEqualTo(5);
        assertThat(backup.err()).startsWith("ERROR! --id '../..' is not a valid backup id: it must match"
                + " ^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$");
        assertThat(restore.code()).isEqualTo(5);
        assertThat(restore.err()).startsWith("ERROR! --from '../../etc' is not a valid backup id");
        assertThat(deploy.code()).isEqualTo(5);
        assertThat(deploy.err()).startsWith("ERROR! --version 'v1.4.0;id' is not a valid version");
        assertThat(client.code()).isEqualTo(5);
        assertThat(client.err()).startsWith("ERROR! --client 'pilot/../acme' is not a valid client id");
        assertThat(connections).hasValue(0);
    }

    @Test
    void extraVarsCannotChangeTheActionTheForceFlagOrTheHost() throws IOException {
        // given: Olga may only look (status); the audit would say status while the playbook released the lock
        env.put("BUDGETCTL_OPERATOR", "olga@itbm-vendor.example");
        // when
        Cli release = budgetctl("lock", "status", "--client", "pilot", "-e", "action=release", "-e", "force=true");
        Cli elsewhere = budgetctl("status", "--client", "pilot", "-e", "ansible_host=192.0.2.1");
        Cli become = budgetctl("status", "--client", "pilot", "-e", "{\"ansible_become_user\": \"root\"}");
        Files.writeString(tmp.resolve("vars.yml"), "client: acme\n");
        Cli fromFile = budgetctl("status", "--client", "pilot", "-e", "@" + tmp.resolve("vars.yml"));
        // then
        assertThat(release.code()).isEqualTo(5);
        assertThat(release.err()).startsWith("ERROR! -e may not set action, force for 'lock': reserved variables");
        assertThat(elsewhere.code()).isEqualTo(5);
        assertThat(elsewhere.err()).startsWith("ERROR! -e may not set ansible_host for 'status'");
        assertThat(become.err()).startsWith("ERROR! -e may not set ansible_become_user for 'status'");
        assertThat(fromFile.err()).startsWith("ERROR! -e may not set client for 'status'");
        assertThat(connections).hasValue(0);
        assertThat(audit()).isEmpty();
    }

    @Test
    void aCommandsOwnVariablesAreReservedToo() throws IOException {
        // given: Olga may look (status) but not install or remove monitoring
        env.put("BUDGETCTL_OPERATOR", "olga@itbm-vendor.example");
        // when: status's playbook variable set to remove, from the command line
        Cli remove = budgetctl("monitoring", "status", "--client", "pilot", "-e", "node_exporter_action=remove");
        Cli certs = budgetctl("certs", "renew", "--client", "pilot", "--internal", "-e", "cert_renew_min_days=0");
        // then
        assertThat(remove.code()).isEqualTo(5);
        assertThat(remove.err()).startsWith("ERROR! -e may not set node_exporter_action for 'status'");
        assertThat(certs.code()).isEqualTo(5);
        assertThat(certs.err()).startsWith("ERROR! -e may not set cert_renew_min_days for 'renew'");
        assertThat(connections).hasValue(0);
        assertThat(audit()).isEmpty();
    }

    @Test
    void monitoringInstallRefusesSettingsItCannotUseBeforeAnyHost() throws IOException {
        // given: no monitoring section, then a plain password, then a certificate outside the repository
        Path client = repo.resolve("clients/pilot.yaml");
        String base = Files.readString(client);
        // when
        Cli none = budgetctl("monitoring", "install", "--client", "pilot");
        Files.writeString(client, base + "monitoring:\n  node_exporter:\n    password: hunter2-plain\n");
        Cli plain = budgetctl("monitoring", "install", "--client", "pilot");
        Files.writeString(client, base + "monitoring:\n  node_exporter:\n    password: vault:kv/data/pilot#p\n"
                + "    tls: {cert: ../outside.crt, key: 'vault:kv/data/pilot#k'}\n");
        Cli outside = budgetctl("monitoring", "install", "--client", "pilot");
        // then: one line and a hint each (exit 1; the plain password caught by the repository's schema with its
        // place), no stack trace, the plain value not echoed, no host contacted
        assertThat(none.code()).isEqualTo(1);
        assertThat(none.err()).contains("customer 'pilot' has no monitoring.node_exporter section")
                .contains("hint: add monitoring:").doesNotContain("\tat ");
        assertThat(plain.code()).isEqualTo(1);
        assertThat(plain.err()).contains("clients/pilot.yaml:16:15: /monitoring/node_exporter/password: is not a"
                        + " secret reference (value not shown)")
                .doesNotContain("hunter2-plain").doesNotContain("\tat ");
        assertThat(outside.code()).isEqualTo(1);
        assertThat(outside.err()).contains("tls.cert '../outside.crt' of 'pilot' is not a file inside the"
                + " deployments repository");
        assertThat(connections).hasValue(0);
    }

    @Test
    void goodInputWithAnOrdinaryExtraVarDoesReachTheHost() throws IOException {
        // when: the control case: the same command, nothing reserved
        Cli c = budgetctl("status", "--client", "pilot", "-e", "note=from-the-test");
        // then: the listener was contacted (and is no SSH server: unreachable)
        assertThat(c.code()).as(c.out() + c.err()).isEqualTo(4);
        assertThat(connections.get()).as(c.out() + c.err()).isPositive();
        assertThat(audit()).singleElement().asString().contains("\"action\":\"status\"", "\"decision\":\"allow\"")
                .doesNotContain("dev_playbooks");
    }

    @Test
    void playbooksFromADevelopmentDirectoryRunOnlyWhenAskedAndAreAudited() throws IOException {
        // given: a copy of the playbooks that would print something else
        Path dev = Files.createDirectories(tmp.resolve("dev"));
        Files.writeString(dev.resolve("status.yml"), "- hosts: all\n  gather_facts: false\n  tasks:\n"
                + "    - name: collect status\n      command: echo dev\n      changed_when: false\n");
        // when
        Cli option = budgetctl("status", "--client", "pilot", "--dev-playbooks", dev.toString());
        env.put("BUDGETCTL_DEV_PLAYBOOKS", dev.toString());
        Cli variable = budgetctl("status", "--client", "pilot");
        // then
        assertThat(option.out() + option.err()).contains("TASK [collect status]");
        assertThat(audit()).hasSize(2).allSatisfy(line -> assertThat(line)
                .contains("\"action\":\"status\"", "\"dev_playbooks\":\"" + dev + "\""));
        assertThat(variable.code()).isEqualTo(option.code());
    }

    @Test
    void aReadCommandTakesTheResultThePlaybookRegistersAsBudgetctlResultWhateverItsTasksAreCalled() throws IOException {
        // given: two development status playbooks printing the same document on the controller (delegate_to
        // localhost: nothing reaches the listener), one registering it as budgetctl_result under a name no code knows
        String doc = "{\"services\": [{\"service\": \"backend\", \"state\": \"running\", \"health\": \"healthy\","
                + " \"image\": \"itbm/backend:v9.8.7\"}]}";
        String play = "- hosts: all\n  gather_facts: false\n  tasks:\n    - name: %s\n      command:\n        argv: ['printf', '%%s', '%s']\n"
                + "      delegate_to: localhost\n      register: %s\n      changed_when: false\n";
        Path declared = Files.createDirectories(tmp.resolve("declared"));
        Files.writeString(declared.resolve("status.yml"), String.format(play, "a name of its own", doc,
                "budgetctl_result"));
        Path other = Files.createDirectories(tmp.resolve("other"));
        Files.writeString(other.resolve("status.yml"), String.format(play, "collect status", doc, "itbm_status"));
        // when
        Cli read = budgetctl("status", "--client", "pilot", "--dev-playbooks", declared.toString(), "-o", "json");
        Cli none = budgetctl("status", "--client", "pilot", "--dev-playbooks", other.toString(), "-o", "json");
        // then: the document comes from the declared variable; the task's old name alone finds nothing
        assertThat(read.out()).as(read.out() + read.err()).contains("itbm/backend:v9.8.7");
        assertThat(connections.get()).isZero();
        assertThat(none.code()).as(none.out() + none.err()).isEqualTo(2);
        assertThat(none.out()).contains("TASK [collect status]").doesNotContain("\"services\"");
    }

    @Test
    void runAgainstTheDeploymentsRepositoryIsAuthorizedAndAuditedAsRun() throws IOException {
        // given
        Path book = Files.writeString(tmp.resolve("any.yml"), "- hosts: all\n  gather_facts: false\n  tasks:\n"
                + "    - name: anything\n      command: 'true'\n      changed_when: false\n");
        // when: an engineer (deploys demo customers, but 'run' is an admin's) and a lead
        Cli ivan = budgetctl("run", "-i", repo.toString(), "-l", "pilot", book.toString());
        int afterIvan = connections.get();
        env.put("BUDGETCTL_OPERATOR", ANNA);
        Cli anna = budgetctl("run", "-i", repo.toString(), "-l", "pilot", book.toString());
        // then
        assertThat(ivan.code()).isEqualTo(6);
        assertThat(ivan.err()).startsWith("ERROR! access.yaml: access denied: Ivan Engineer may not run pilot (demo):"
                + " engineer: does not allow run; support: does not allow run");
        assertThat(afterIvan).isZero();
        assertThat(anna.code()).as(anna.out() + anna.err()).isEqualTo(4);
        assertThat(connections.get()).isPositive();
        assertThat(audit()).hasSize(2);
        assertThat(audit().get(0)).contains("\"action\":\"run\"", "\"client\":\"pilot\"", "\"decision\":\"deny\"",
                "\"playbooks\":\"" + book + "\"");
        assertThat(audit().get(1)).contains("\"operator\":\"Anna Lead\"", "\"action\":\"run\"",
                "\"decision\":\"allow\"");
    }
}
