package io.budgetctl.cli.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.budgetctl.cli.Main;
import io.budgetctl.lifecycle.secrets.SecretsEnv;
import io.budgetctl.lifecycle.secrets.Sops;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
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
 * The client file's {@code ssh.key} on the lifecycle path ({@code status}, as every lifecycle command and so each
 * fleet job runs) and on {@code run -i <repository>}: a reference that cannot be read, a secret that is no key, and
 * a key that is fine. The customer's "server" is a TCP listener that counts connections, so "stopped before any
 * host was touched" is measured; the control case shows the good key does reach it.
 */
class RepositorySshKeyTest {
    private static final String ANNA = "anna@itbm-vendor.example";

    @TempDir
    Path tmp;

    private Path repo;
    private Path ageKey;
    private ServerSocket server;
    private final AtomicInteger connections = new AtomicInteger();
    private Map<String, String> env;

    record Cli(int code, String out, String err) {
    }

    @BeforeEach
    void aRepositoryWithASopsFileAndACustomerOnACountingListener() throws Exception {
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
        Files.createDirectories(repo.resolve("secrets"));
        ageKey = tmp.resolve("age.txt");
        exec("age-keygen", "-o", ageKey.toString());
        String recipient = exec("age-keygen", "-y", ageKey.toString()).strip();
        Files.writeString(repo.resolve(".sops.yaml"), "creation_rules:\n  - path_regex: secrets/.*\\.sops\\.yaml$\n"
                + "    age: " + recipient + "\n");
        Files.createDirectories(tmp.resolve("home"));
        env = new HashMap<>(Map.of("BUDGETCTL_OPERATOR", ANNA, "BUDGETCTL_AUDIT_LOG",
                tmp.resolve("audit.log").toString(), "HOME", tmp.resolve("home").toString(), "NO_COLOR", "1",
                "SOPS_AGE_KEY_FILE", ageKey.toString()));
        LifecycleCommand.environment = env;
    }

    @AfterEach
    void close() throws IOException {
        LifecycleCommand.environment = null;
        server.close();
    }

    /** clients/pilot.yaml with {@code ssh.key: <ref>} on the counting listener. */
    private void client(String keyRef) throws IOException {
        Files.writeString(repo.resolve("clients/pilot.yaml"), String.join("\n", "id: pilot", "name: Pilot",
                "environment: demo", "licence: LIC-2025-0042", "domain: pilot.example.test", "target:",
                "  type: compose", "  servers:", "    - name: app", "      address: 127.0.0.1", "      port: 8443",
                "ssh:", "  port: " + server.getLocalPort(), "  key: " + keyRef, ""));
    }

    /** secrets/pilot.sops.yaml holding {@code values}, encrypted for the test's age key. */
    private void secrets(Map<String, String> values) throws IOException {
        StringBuilder yaml = new StringBuilder();
        values.forEach((k, v) -> {
            yaml.append(k).append(": |\n");
            v.lines().forEach(l -> yaml.append("    ").append(l).append('\n'));
        });
        Path file = repo.resolve("secrets/pilot.sops.yaml");
        Files.writeString(file, yaml.toString());
        new Sops(new SecretsEnv(env, tmp.resolve("home"))).encryptFile(file);
        assertThat(Files.readString(file)).contains("ENC[AES256_GCM");
    }

    private String newKey(String name) throws Exception {
        Path key = tmp.resolve(name);
        exec("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key.toString());
        String text = Files.readString(key);
        Files.delete(key);
        return text;
    }

    private Cli budgetctl(String... args) {
        List<String> a = new ArrayList<>(List.of(args));
        if (!a.get(0).equals("run")) {
            a.addAll(List.of("--repo", repo.toString()));
        }
        a.addAll(List.of("-e", "budgetctl_ssh_connect_attempts=1", "-e", "ansible_ssh_timeout=3"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), a.toArray(String[]::new));
        return new Cli(code, out.toString(), err.toString());
    }

    private static String exec(String... argv) throws Exception {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    @Test
    void aSecretFileThatCannotBeDecryptedStopsTheCommandNamingTheClientFileTheKeyAndTheReference() throws Exception {
        // given a SOPS file for the test's age key, and a process that has another key
        secrets(Map.of("ssh_key", newKey("k")));
        client("sops:secrets/pilot.sops.yaml#ssh_key");
        exec("age-keygen", "-o", tmp.resolve("other.txt").toString());
        env.put("SOPS_AGE_KEY_FILE", tmp.resolve("other.txt").toString());

        // when
        Cli c = budgetctl("status", "--client", "pilot");

        // then
        assertThat(c.code()).as(c.err()).isEqualTo(1);
        List<String> lines = c.err().lines().toList();
        assertThat(lines.get(0)).startsWith("ERROR! clients/pilot.yaml:14:8: cannot read the"
                + " SSH key ssh.key of customer pilot (sops:secrets/pilot.sops.yaml#ssh_key) for pilot: cannot resolve"
                + " sops:secrets/pilot.sops.yaml#ssh_key: ");
        assertThat(lines).hasSize(2);
        assertThat(lines.get(1)).startsWith("  hint: ").contains("recipient");
        assertThat(c.err()).doesNotContain("\tat ");
        assertThat(c.out()).doesNotContain("PLAY");
        assertThat(connections).hasValue(0);
    }

    @Test
    void aReferenceToAMissingKeyOfTheFileStopsTheCommandBeforeAnyHost() throws Exception {
        // given
        secrets(Map.of("other", "x"));
        client("sops:secrets/pilot.sops.yaml#ssh_key");

        // when
        Cli c = budgetctl("status", "--client", "pilot");

        // then: validate already refuses it, at the client file's line
        assertThat(c.code()).as(c.err()).isEqualTo(1);
        assertThat(c.err()).startsWith("ERROR! ").contains("clients/pilot.yaml:14:8: /ssh/key: secret file"
                + " secrets/pilot.sops.yaml has no key 'ssh_key'").doesNotContain("\tat ");
        assertThat(connections).hasValue(0);
    }

    @Test
    void aSecretThatIsNoPrivateKeyIsRefusedInOneLineWithAHintAndIsNotPrinted() throws Exception {
        // given
        String notAKey = "-----BEGIN OPENSSH PRIVATE KEY-----\nc29tZXRoaW5nIHRoYXQgaXMgbm90IGEga2V5IGF0IGFsbA==\n"
                + "-----END OPENSSH PRIVATE KEY-----\n";
        secrets(Map.of("ssh_key", notAKey));
        client("sops:secrets/pilot.sops.yaml#ssh_key");

        // when
        Cli c = budgetctl("status", "--client", "pilot");

        // then
        assertThat(c.code()).as(c.err()).isEqualTo(1);
        List<String> lines = c.err().lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).startsWith("ERROR! inventory host pilot: cannot use the private key from ssh.key of"
                + " customer pilot (sops:secrets/pilot.sops.yaml#ssh_key) for pilot: ");
        assertThat(lines.get(1)).contains("hint: store the whole private key file in the secret");
        assertThat(c.err() + c.out()).doesNotContain("c29tZXRoaW5nIHRoYXQgaXMgbm90IGEga2V5IGF0IGFsbA");
        assertThat(connections).hasValue(0);
    }

    @Test
    void theCustomersKeyIsUsedAndItsTextAppearsNowhere() throws Exception {
        // given a real key in the SOPS file
        String key = newKey("k");
        secrets(Map.of("ssh_key", key));
        client("sops:secrets/pilot.sops.yaml#ssh_key");

        // when: the listener is no sshd, so the connection fails after it was made
        Cli c = budgetctl("status", "--client", "pilot", "-vvv");

        // then it got as far as the host, with the repository's key as the only key offered
        assertThat(connections.get()).as(c.out() + c.err()).isPositive();
        assertThat(c.code()).isEqualTo(4);
        for (String line : key.lines().filter(l -> !l.startsWith("-----")).toList()) {
            assertThat(c.out() + c.err()).doesNotContain(line);
        }
        try (Stream<Path> files = Files.walk(tmp)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String text = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                assertThat(text).as(f.toString()).doesNotContain(key.lines().skip(1).findFirst().orElseThrow());
            }
        }
    }

    @Test
    void theKeyVariablesAreTheRepositorysAndMayNotBeSetWithExtraVars() throws Exception {
        // given
        client("sops:secrets/pilot.sops.yaml#ssh_key");

        // when
        Cli key = budgetctl("status", "--client", "pilot", "-e", "budgetctl_ssh_key=whatever");
        Cli ref = budgetctl("status", "--client", "pilot", "-e", "budgetctl_ssh_key_ref=sops:x#y");

        // then
        assertThat(key.code()).isEqualTo(5);
        assertThat(key.err()).startsWith("ERROR! -e may not set budgetctl_ssh_key for 'status'");
        assertThat(ref.code()).isEqualTo(5);
        assertThat(connections).hasValue(0);
    }

    @Test
    void runWithTheRepositoryAsInventoryChecksTheKeyBeforeAnyHostToo() throws Exception {
        // given a Vault reference, and no Vault configured in this process
        client("vault:kv/data/clients/pilot#ssh_key");
        Path book = tmp.resolve("ping.yml");
        Files.writeString(book, "- hosts: pilot\n  gather_facts: false\n  tasks:\n    - raw: 'true'\n");

        // when
        Cli c = budgetctl("run", "-i", repo.toString(), "-l", "pilot", book.toString());

        // then
        assertThat(c.code()).as(c.out() + c.err()).isEqualTo(1);
        assertThat(c.err()).startsWith("ERROR! clients/pilot.yaml:14:8: cannot read the SSH"
                + " key ssh.key of customer pilot (vault:kv/data/clients/pilot#ssh_key) for pilot: ")
                .doesNotContain("\tat ");
        assertThat(c.out()).doesNotContain("TASK");
        assertThat(connections).hasValue(0);
    }
}
