package io.budgetctl.engine.ssh;

import io.budgetctl.engine.connection.Connection;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * N real sshd test hosts for an integration test class, started with {@code scripts/testhosts up N} in a private
 * state directory and removed afterwards. Register as a static field:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final TestHostsExtension HOSTS = new TestHostsExtension(2);
 * ...
 * Connection c = HOSTS.factory().open("testhost-2", HOSTS.vars(1));   // or HOSTS.ssh(): testhost-1 as deploy
 * }</pre>
 *
 * The factory and the shared connection to the first host are opened on first use and closed with the hosts.
 *
 * Fails (never skips) the test class when Docker or the images are not available, so a broken test machine shows
 * as red. See docs/testing.md.
 */
public final class TestHostsExtension implements BeforeAllCallback, AfterAllCallback {

    /** One running host: inventory name, sshd port on 127.0.0.1, container name and IP on the test network. */
    public record TestHost(String name, int port, String container, String ip, String network) {
    }

    private final int count;
    private final boolean withPython;
    private Path stateDir;
    private SshConnectionFactory factory;
    private Connection ssh;
    private List<TestHost> hosts = List.of();

    public TestHostsExtension(int count) {
        this(count, false);
    }

    public TestHostsExtension(int count, boolean withPython) {
        this.count = count;
        this.withPython = withPython;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        stateDir = Files.createTempDirectory("budgetctl-testhosts-");
        List<String> cmd = new ArrayList<>(List.of(script().toString(), "up", String.valueOf(count)));
        if (withPython) {
            cmd.add("--with-python");
        }
        run(cmd, 900);
        List<TestHost> list = new ArrayList<>();
        for (String line : Files.readAllLines(stateDir.resolve("hosts.tsv"), StandardCharsets.UTF_8)) {
            String[] f = line.split("\t");
            list.add(new TestHost(f[0], Integer.parseInt(f[1]), f[2], f[3], f[4]));
        }
        if (list.size() != count) {
            throw new IllegalStateException("scripts/testhosts started " + list.size() + " hosts, wanted " + count);
        }
        hosts = List.copyOf(list);
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (ssh != null) {
            ssh.close();
        }
        if (factory != null) {
            factory.close();
        }
        if (stateDir == null) {
            return;
        }
        try {
            run(List.of(script().toString(), "down"), 120);
        } finally {
            try (Stream<Path> walk = Files.walk(stateDir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    public List<TestHost> hosts() {
        return hosts;
    }

    public TestHost host(int index) {
        return hosts.get(index);
    }

    public Path stateDir() {
        return stateDir;
    }

    public Path ed25519Key() {
        return stateDir.resolve("id_ed25519");
    }

    public Path rsaKey() {
        return stateDir.resolve("id_rsa");
    }

    public Path ecdsaKey() {
        return stateDir.resolve("id_ecdsa");
    }

    public Path knownHosts() {
        return stateDir.resolve("known_hosts");
    }

    public Path inventory() {
        return stateDir.resolve("inventory.yml");
    }

    /** Password of user {@code deploypw} (whose sudo asks for it). */
    public String deployPwPassword() throws IOException {
        return Files.readString(stateDir.resolve("deploypw.password"), StandardCharsets.UTF_8).strip();
    }

    /**
     * Inventory variables that reach host {@code index} as user {@code deploy} with the ed25519 key and strict
     * host-key checking against the hosts' known_hosts file. Mutable, so a test can change one.
     */
    public Map<String, Object> vars(int index) {
        TestHost h = host(index);
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("ansible_host", "127.0.0.1");
        v.put("ansible_port", h.port());
        v.put("ansible_user", "deploy");
        v.put("ansible_ssh_private_key_file", ed25519Key().toString());
        v.put("ansible_ssh_common_args", "-o UserKnownHostsFile=" + knownHosts() + " -o StrictHostKeyChecking=yes");
        return v;
    }

    /** The class's SSH connection factory (opened on first use, closed after the class). */
    public synchronized SshConnectionFactory factory() {
        if (factory == null) {
            factory = new SshConnectionFactory();
        }
        return factory;
    }

    /** One connection to the first host (testhost-1) as deploy, shared by the class's tests. */
    public synchronized Connection ssh() {
        if (ssh == null) {
            ssh = factory().open("testhost-1", vars(0));
        }
        return ssh;
    }

    /** Runs {@code argv} as root in the first host's container ({@code docker exec}) and returns its output. */
    public String onHost(String... argv) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("exec", host(0).container()));
        cmd.addAll(List.of(argv));
        return docker(cmd.toArray(String[]::new));
    }

    /** Runs {@code docker args...} (to stop, kill or inspect a host) and returns its output. */
    public String docker(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add("docker");
        cmd.addAll(List.of(args));
        return run(cmd, 120);
    }

    private String run(List<String> cmd, int timeoutSeconds) throws IOException, InterruptedException {
        return HostScripts.run(cmd, "BUDGETCTL_TESTHOSTS_DIR", stateDir, timeoutSeconds);
    }

    private static Path script() {
        return HostScripts.script("testhosts");
    }
}
