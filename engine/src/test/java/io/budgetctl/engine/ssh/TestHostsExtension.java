package io.budgetctl.engine.ssh;

import io.budgetctl.engine.connection.Connection;
import io.budgetctl.engine.testkit.LocalImages;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.lifecycle.Startables;

/**
 * N real sshd test hosts for an integration test class, started through Testcontainers on our own image
 * {@code budgetctl/testhost} (built, when missing, by {@code scripts/testhosts images}; nothing is pulled), on a
 * network of their own, with a private state directory for keys, known_hosts and an inventory, all removed
 * afterwards. Register as a static field:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final TestHostsExtension HOSTS = new TestHostsExtension(2);
 * ...
 * Connection c = HOSTS.factory().open("testhost-2", HOSTS.vars(1));   // or HOSTS.ssh(): testhost-1 as deploy
 * }</pre>
 *
 * The factory and the shared connection to the first host are opened on first use and closed with the hosts.
 * {@code scripts/testhosts up N} starts the same hosts for a human at a shell.
 *
 * Fails (never skips) the test class when Docker or the images are not available, so a broken test machine shows
 * as red. See docs/testing.md.
 */
public final class TestHostsExtension implements BeforeAllCallback, AfterAllCallback {

    /** One running host: inventory name, sshd port on 127.0.0.1, container name and IP on the test network. */
    public record TestHost(String name, int port, String container, String ip, String network) {
    }

    /** A loaded CI machine is slow to make host keys: generous, as scripts/testhosts is. */
    private static final Duration SSHD_WAIT = Duration.ofSeconds(180);

    private final int count;
    private final boolean withPython;
    private Path stateDir;
    private Network network;
    private final List<GenericContainer<?>> containers = new ArrayList<>();
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
        List<String> images = new ArrayList<>(List.of(script().toString(), "images"));
        if (withPython) {
            images.add("--with-python");
        }
        run(images, 900);
        String authorized = keys();
        // one short id per class run, so parallel runs (and several checkouts) never share names
        String prefix = "bth-" + UUID.randomUUID().toString().substring(0, 8);
        network = Network.builder()
                .createNetworkCmdModifier(cmd -> cmd.withName(prefix + "-net")
                        .withLabels(Map.of(LocalImages.LABEL, "testhosts")))
                .build();
        for (int i = 1; i <= count; i++) {
            String name = prefix + "-" + i;
            containers.add(LocalImages.container(withPython ? "budgetctl/testhost-python" : "budgetctl/testhost",
                            "testhosts", 22)
                    .withNetwork(network)
                    .withCreateContainerCmdModifier(cmd -> cmd.withName(name).withHostName(name))
                    .withEnv("AUTHORIZED_KEYS", authorized)
                    .withEnv("DEPLOYPW_PASSWORD", deployPwPassword())
                    .waitingFor(Wait.forListeningPort().withStartupTimeout(SSHD_WAIT)));
        }
        Startables.deepStart(containers).join();
        String netName = prefix + "-net";
        List<TestHost> list = new ArrayList<>();
        StringBuilder knownHosts = new StringBuilder();
        for (int i = 0; i < count; i++) {
            GenericContainer<?> c = containers.get(i);
            String name = prefix + "-" + (i + 1);
            String ip = c.getContainerInfo().getNetworkSettings().getNetworks().get(netName).getIpAddress();
            TestHost h = new TestHost("testhost-" + (i + 1), c.getMappedPort(22), name, ip, netName);
            knownHosts.append(hostKeys(h, c));
            list.add(h);
        }
        hosts = List.copyOf(list);
        Files.writeString(knownHosts(), knownHosts, StandardCharsets.UTF_8);
        Files.writeString(inventory(), inventoryYaml(), StandardCharsets.UTF_8);
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (ssh != null) {
            ssh.close();
        }
        if (factory != null) {
            factory.close();
        }
        try {
            // one at a time: dockerd 20.10 deadlocked on removing five running containers of one network at once
            for (GenericContainer<?> c : containers) {
                c.stop();
            }
            if (network != null) {
                network.close();
            }
        } finally {
            if (stateDir != null) {
                try (Stream<Path> walk = Files.walk(stateDir)) {
                    walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }

    /** The client keys (authorized for deploy, deploypw and root) and deploypw's password; the public keys. */
    private String keys() throws IOException, InterruptedException {
        StringBuilder authorized = new StringBuilder();
        for (List<String> type : List.of(List.of("ed25519"), List.of("rsa", "-b", "3072"), List.of("ecdsa", "-b", "256"))) {
            Path key = stateDir.resolve("id_" + type.get(0));
            List<String> cmd = new ArrayList<>(List.of("ssh-keygen", "-q", "-N", "", "-C", "budgetctl-testhosts",
                    "-f", key.toString(), "-t"));
            cmd.addAll(type);
            run(cmd, 60);
            authorized.append(Files.readString(Path.of(key + ".pub"), StandardCharsets.UTF_8));
        }
        byte[] pw = new byte[12];
        new SecureRandom().nextBytes(pw);
        Files.writeString(stateDir.resolve("deploypw.password"), HexFormat.of().formatHex(pw) + "\n",
                StandardCharsets.UTF_8);
        return authorized.toString();
    }

    /**
     * The host's keys as ssh-keyscan reads them, under every name a test may use: [127.0.0.1]:port, the container
     * name and its IP (port 22). sshd listens only once it has loaded its keys, so one scan after the wait is enough.
     */
    private String hostKeys(TestHost h, GenericContainer<?> c) throws IOException, InterruptedException {
        String scan = run(List.of("ssh-keyscan", "-T", "10", "-p", String.valueOf(h.port()), "127.0.0.1"), 60);
        StringBuilder out = new StringBuilder();
        for (String line : scan.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String key = line.substring(line.indexOf(' ') + 1);
            out.append(line).append('\n');
            out.append(h.container()).append(' ').append(key).append('\n');
            out.append(h.ip()).append(' ').append(key).append('\n');
        }
        if (out.isEmpty()) {
            throw new IllegalStateException("sshd in " + h.container() + " gave no host key on 127.0.0.1:" + h.port()
                    + "; its log:\n" + c.getLogs());
        }
        return out.toString();
    }

    /** The hosts as an Ansible-style YAML inventory (what scripts/testhosts writes for a human). */
    private String inventoryYaml() {
        StringBuilder y = new StringBuilder("# written by TestHostsExtension; removed with the hosts\nall:\n  vars:\n");
        y.append("    ansible_user: deploy\n");
        y.append("    ansible_ssh_private_key_file: ").append(ed25519Key()).append('\n');
        y.append("    ansible_ssh_common_args: -o UserKnownHostsFile=").append(knownHosts())
                .append(" -o StrictHostKeyChecking=yes\n");
        y.append("    budgetctl_known_hosts: ").append(knownHosts()).append('\n');
        y.append("  hosts:\n");
        for (TestHost h : hosts) {
            y.append("    ").append(h.name()).append(":\n");
            y.append("      ansible_host: 127.0.0.1\n");
            y.append("      ansible_port: ").append(h.port()).append('\n');
            y.append("      testhost_container: ").append(h.container()).append('\n');
            y.append("      testhost_ip: ").append(h.ip()).append('\n');
        }
        return y.toString();
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
