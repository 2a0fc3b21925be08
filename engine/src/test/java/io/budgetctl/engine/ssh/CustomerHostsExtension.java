package io.budgetctl.engine.ssh;

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
 * Simulated customer servers (sshd + their own dockerd) for one test class: {@code scripts/customerhost up NAME...}
 * in a private state directory before the class, {@code down} after it. Fails, never skips, when Docker or the
 * images are not available. See docs/customer-host.md. Shared by the modules and cli integration tests through the
 * engine's test-jar.
 */
public final class CustomerHostsExtension implements BeforeAllCallback, AfterAllCallback {
    public record Host(String name, int port, String container, String ip) {
    }

    private final List<String> names;
    private final List<String> cleanNames;
    private Path stateDir;
    private final Map<String, Host> hosts = new LinkedHashMap<>();

    /** {@code names}: hosts with their own dockerd; {@code cleanNames}: plain Debian without Docker (--clean). */
    public CustomerHostsExtension(List<String> names, List<String> cleanNames) {
        this.names = List.copyOf(names);
        this.cleanNames = List.copyOf(cleanNames);
    }

    /** Hosts with their own dockerd only. */
    public CustomerHostsExtension(String... names) {
        this(List.of(names), List.of());
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        stateDir = Files.createTempDirectory("budgetctl-customerhosts-");
        if (!names.isEmpty()) {
            List<String> cmd = new ArrayList<>(List.of(script().toString(), "up"));
            cmd.addAll(names);
            run(cmd, 900);
        }
        if (!cleanNames.isEmpty()) {
            List<String> cmd = new ArrayList<>(List.of(script().toString(), "up", "--clean"));
            cmd.addAll(cleanNames);
            run(cmd, 900);
        }
        for (String line : Files.readAllLines(stateDir.resolve("hosts.tsv"), StandardCharsets.UTF_8)) {
            String[] f = line.split("\t");
            hosts.put(f[0], new Host(f[0], Integer.parseInt(f[1]), f[2], f[3]));
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (stateDir == null) {
            return;
        }
        try {
            run(List.of(script().toString(), "down"), 300);
        } finally {
            try (Stream<Path> walk = Files.walk(stateDir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    public Path inventory() {
        return stateDir.resolve("inventory.yml");
    }

    public Host host(String name) {
        return hosts.get(name);
    }

    /** Inventory variables reaching {@code name} as user deploy (docker group, passwordless sudo). */
    public Map<String, Object> vars(String name) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("ansible_host", "127.0.0.1");
        v.put("ansible_port", host(name).port());
        v.put("ansible_user", "deploy");
        v.put("ansible_ssh_private_key_file", stateDir.resolve("id_ed25519").toString());
        v.put("ansible_ssh_common_args", "-o UserKnownHostsFile=" + stateDir.resolve("known_hosts")
                + " -o StrictHostKeyChecking=yes");
        return v;
    }

    /** {@code scripts/customerhost load NAME IMAGE...}: outer images into the host's own engine. */
    public void load(String name, String... images) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(script().toString(), "load", name));
        cmd.addAll(List.of(images));
        run(cmd, 600);
    }

    public String docker(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("docker"));
        cmd.addAll(List.of(args));
        return run(cmd, 600);
    }

    private String run(List<String> cmd, int timeoutSeconds) throws IOException, InterruptedException {
        return HostScripts.run(cmd, "BUDGETCTL_CUSTOMERHOSTS_DIR", stateDir, timeoutSeconds);
    }

    private static Path script() {
        return HostScripts.script("customerhost");
    }
}
