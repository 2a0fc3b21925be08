package io.budgetctl.lifecycle.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import io.budgetctl.engine.connection.Connection;
import io.budgetctl.engine.exec.ConnectionFactory;
import io.budgetctl.engine.exec.FactSource;
import io.budgetctl.engine.exec.TestModules;
import io.budgetctl.engine.inventory.ExtraVars;
import io.budgetctl.engine.inventory.Inventory;
import io.budgetctl.lifecycle.repo.DeploymentsRepository;
import io.budgetctl.lifecycle.repo.RepositoryInventory;
import io.budgetctl.engine.report.ConsoleListener;
import io.budgetctl.engine.report.JsonLinesListener;
import io.budgetctl.engine.run.Engine;
import io.budgetctl.engine.run.EngineServices;
import io.budgetctl.engine.run.RunRequest;
import io.budgetctl.engine.ssh.SshConnectionFactory;
import io.budgetctl.engine.ssh.SshKeys;
import io.budgetctl.engine.ssh.TestHostsExtension;
import io.budgetctl.lifecycle.secrets.SecretResolver;
import io.budgetctl.lifecycle.secrets.SecretsEnv;
import io.budgetctl.lifecycle.secrets.Sops;
import io.budgetctl.engine.template.JinjavaTemplater;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A deployments repository's {@code ssh.key} and {@code ssh.host_key} against a real sshd test host, through the
 * engine as {@code budgetctl run -i <repository>} and the lifecycle commands use it: the inventory from
 * {@link RepositoryInventory} with a SOPS resolver, the SSH factory with an empty home (no ~/.ssh, no default keys,
 * no known_hosts) and no ssh-agent. The client key is made for this test and authorized on the host; after it is
 * encrypted into the SOPS file its files are deleted, so the SOPS file is the only place it exists.
 */
class RepositorySshIdentityIT {

    @RegisterExtension
    static final TestHostsExtension HOSTS = new TestHostsExtension(1);

    @TempDir
    static Path dir;

    static Path repo;
    static Path home;
    static Path ageKey;
    static String privateKey;
    static String hostKeyLine;
    static String hostKeyFingerprint;
    static String otherKeyLine;
    static String otherKeyFingerprint;

    @BeforeAll
    static void aRepositoryWhoseCustomerKeyIsOnlyInSops() throws Exception {
        Path root = projectRoot();
        repo = Files.createDirectories(dir.resolve("repo"));
        home = Files.createDirectories(dir.resolve("home"));
        Files.copy(root.resolve("inventory/access.yaml"), repo.resolve("access.yaml"));
        Files.copy(root.resolve("inventory/releases.yaml"), repo.resolve("releases.yaml"));
        Files.createDirectories(repo.resolve("environments"));
        try (Stream<Path> envs = Files.list(root.resolve("inventory/environments"))) {
            for (Path e : envs.toList()) {
                Files.copy(e, repo.resolve("environments").resolve(e.getFileName()));
            }
        }
        Files.createDirectories(repo.resolve("clients"));
        Files.createDirectories(repo.resolve("secrets"));

        // a client key of our own, authorized for deploy on the host
        Path keys = Files.createDirectories(dir.resolve("keys"));
        Path key = SshKeys.generate(keys, "customer", "ed25519", "");
        privateKey = SshKeys.text(key);
        String pub = SshKeys.publicLine(key);
        HOSTS.onHost("sh", "-c",
                "printf '%s\\n' \"$1\" >> /home/deploy/.ssh/authorized_keys", "sh", pub);

        // the SOPS file, encrypted for a fresh age key
        ageKey = dir.resolve("age.txt");
        run("age-keygen", "-o", ageKey.toString());
        String recipient = run("age-keygen", "-y", ageKey.toString()).strip();
        Files.writeString(repo.resolve(".sops.yaml"), "creation_rules:\n  - path_regex: secrets/.*\\.sops\\.yaml$\n"
                + "    age: " + recipient + "\n");
        StringBuilder yaml = new StringBuilder("ssh_key: |\n");
        privateKey.lines().forEach(l -> yaml.append("    ").append(l).append('\n'));
        Path secrets = repo.resolve("secrets/it.sops.yaml");
        Files.writeString(secrets, yaml);
        sops().encryptFile(secrets);
        assertThat(Files.readString(secrets)).contains("ENC[AES256_GCM").doesNotContain(secondLine());
        Files.delete(key);
        Files.delete(key.resolveSibling("customer.pub"));

        // the host's real ed25519 key (from the fixture's known_hosts) and another one
        String prefix = "[127.0.0.1]:" + HOSTS.host(0).port() + " ssh-ed25519 ";
        hostKeyLine = Files.readAllLines(HOSTS.knownHosts()).stream().filter(l -> l.startsWith(prefix))
                .map(l -> l.substring(l.indexOf(' ') + 1).strip()).findFirst().orElseThrow();
        Files.writeString(keys.resolve("host.pub"), hostKeyLine + "\n");
        hostKeyFingerprint = SshKeys.fingerprint(keys.resolve("host"));
        Path other = SshKeys.generate(keys, "other", "ed25519", "");
        otherKeyLine = SshKeys.publicLine(other);
        otherKeyFingerprint = SshKeys.fingerprint(other);
    }

    private static Sops sops() {
        return new Sops(new SecretsEnv(Map.of("SOPS_AGE_KEY_FILE", ageKey.toString()), home));
    }

    private static String secondLine() {
        return privateKey.lines().skip(1).findFirst().orElseThrow();
    }

    private static Path projectRoot() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("inventory/access.yaml"))) {
                return d;
            }
        }
        throw new IllegalStateException("no inventory/access.yaml above " + Path.of("").toAbsolutePath());
    }

    private static String run(String... argv) throws Exception {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    /** clients/it.yaml on the test host, with the key reference and the pin given. */
    private static void client(String hostKey) throws IOException {
        List<String> lines = new ArrayList<>(List.of("id: it", "name: Identity Test", "environment: demo",
                "licence: LIC-2025-0077", "domain: it.example.test", "target:", "  type: compose", "  servers:",
                "    - name: app", "      address: 127.0.0.1", "      port: 8443", "ssh:", "  user: deploy",
                "  port: " + HOSTS.host(0).port(), "  key: sops:secrets/it.sops.yaml#ssh_key"));
        if (hostKey != null) {
            lines.add("  host_key: " + hostKey);
        }
        lines.add("");
        Files.writeString(repo.resolve("clients/it.yaml"), String.join("\n", lines));
    }

    record Outcome(int code, String console, String json) {
        String all() {
            return console + json;
        }
    }

    /** Runs a playbook against customer 'it' as 'run -i <repository>' does, at -vvv, with the given extra vars. */
    private static Outcome deploy(String... extraVars) throws IOException {
        SecretResolver resolver = new SecretResolver(repo, sops(), () -> {
            throw new AssertionError("no Vault here");
        });
        Inventory inventory = RepositoryInventory.of(DeploymentsRepository.open(repo), resolver);
        Path book = dir.resolve("site.yml");
        Files.writeString(book, """
                - hosts: it
                  gather_facts: false
                  tasks:
                    - name: who and where
                      command: id -un; hostname
                      register: who
                    - debug: var=who.stdout_lines
                    - debug: var=budgetctl_ssh_key
                    - debug:
                        msg: "{{ hostvars['it'].budgetctl_ssh_key }} / {{ budgetctl_ssh_key | b64encode }}"
                """);
        List<String> extra = new ArrayList<>(List.of("budgetctl_ssh_agent=false", "budgetctl_ssh_connect_attempts=1"));
        extra.addAll(List.of(extraVars));
        RunRequest request = RunRequest.builder().playbook(book).limit("it").extraVars(extra).verbosity(3).build();
        SshConnectionFactory ssh = new SshConnectionFactory(4, home, "nobody", Map.of());
        ConnectionFactory connections = new ConnectionFactory() {
            @Override
            public Connection open(String host, Map<String, Object> hostVars) {
                return ssh.open(host, hostVars);
            }

            @Override
            public void check(String host, Map<String, Object> hostVars) {
                ssh.check(host, hostVars);
            }

            @Override
            public void close() {
                ssh.close();
            }
        };
        EngineServices services = new EngineServices(new JinjavaTemplater(), TestModules.registry(), s -> null,
                ExtraVars::parse, FactSource.none(), connections, Map.of()).withFixedInventory(inventory);
        StringWriter console = new StringWriter();
        StringWriter json = new StringWriter();
        int code = Engine.run(request, List.of(new ConsoleListener(new PrintWriter(console, true), false, 3, false),
                new JsonLinesListener(new PrintWriter(json, true))), services);
        return new Outcome(code, console.toString(), json.toString());
    }

    @Test
    void the_key_from_sops_and_the_right_pin_connect_with_no_key_file_no_agent_and_no_known_hosts()
            throws Exception {
        // given the host's own key pinned; the home has no ~/.ssh at all
        client(hostKeyLine);

        // when
        Outcome o = deploy();

        // then
        assertThat(o.code()).as(o.console()).isZero();
        assertThat(o.console()).contains("\"deploy\"", "\"" + HOSTS.host(0).container() + "\"");
        try (Stream<Path> files = Files.walk(home)) {
            assertThat(files.filter(Files::isRegularFile)).as("nothing written to the home").isEmpty();
        }
    }

    @Test
    void a_wrong_pin_is_refused_with_the_mismatch_message_although_known_hosts_holds_the_real_key()
            throws Exception {
        // given the fixture's known_hosts holds the host's real keys: without a pin it connects
        client(null);
        Outcome trusted = deploy("budgetctl_known_hosts=" + HOSTS.knownHosts());
        assertThat(trusted.code()).as(trusted.console()).isZero();
        client(otherKeyLine);

        // when
        Outcome o = deploy("budgetctl_known_hosts=" + HOSTS.knownHosts());

        // then
        assertThat(o.code()).as(o.console()).isEqualTo(4);
        String name = "[127.0.0.1]:" + HOSTS.host(0).port();
        assertThat(o.console()).contains("UNREACHABLE", "host key of " + name + " has CHANGED: the host offered "
                + hostKeyFingerprint + " but the pinned ssh.host_key of customer it (" + otherKeyFingerprint
                + ") has a different ssh-ed25519 key; if the host was reinstalled, put its new key in ssh.host_key"
                + " of the client file after checking its fingerprint with the customer, otherwise suspect a"
                + " man-in-the-middle");
        assertThat(o.console()).doesNotContain(HOSTS.host(0).container());
    }

    @Test
    void the_key_material_appears_in_no_output_even_at_vvv_when_a_task_prints_it() throws Exception {
        // given
        client(hostKeyLine);

        // when
        Outcome ok = deploy();
        client(otherKeyLine);
        Outcome refused = deploy();

        // then the runs did what they should, and no line of the key is in any output
        assertThat(ok.code()).as(ok.console()).isZero();
        assertThat(refused.code()).isEqualTo(4);
        assertThat(ok.console()).contains("budgetctl_ssh_key", "********");
        for (String line : privateKey.lines().filter(l -> !l.startsWith("-----")).toList()) {
            assertThat(ok.all()).doesNotContain(line);
            assertThat(refused.all()).doesNotContain(line);
        }
        assertThat(ok.all()).doesNotContain(privateKey.strip());
    }
}
