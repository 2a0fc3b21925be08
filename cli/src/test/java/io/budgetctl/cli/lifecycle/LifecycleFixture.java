package io.budgetctl.cli.lifecycle;

import static io.budgetctl.engine.testkit.Polling.poll;

import io.budgetctl.cli.Main;
import io.budgetctl.engine.ssh.CustomerHostsExtension;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What the lifecycle E2E classes ({@link FailingMigrationIT}, {@link InterruptedDeployIT}) share: a throw-away
 * deployments repository whose customers live on {@link CustomerHostsExtension} hosts, budgetctl in-process
 * ({@link Main#run}) or as a child JVM, and shell, API and database access on a customer host. One instance per
 * test class; {@link #close()} puts the CLI's environment back and deletes the repository.
 */
final class LifecycleFixture implements AutoCloseable {
    static final String OPERATOR = "ivan@itbm-vendor.example";
    /**
     * The first customer's ingress port on its host; each further customer gets the next one (the repository
     * refuses two customers on one address:port, and every customer host here is 127.0.0.1 to the controller).
     */
    static final int FIRST_INGRESS_PORT = 8443;

    /** What one command printed and returned. */
    record Cli(int code, String out, String err) {
        String all() {
            return out + "\n" + err;
        }
    }

    /** A customer of the test repository: its id, the customer host it lives on and its domain. */
    record Customer(String id, String host, String domain, int ingressPort) {
    }

    private final CustomerHostsExtension hosts;
    private final Path repo;
    private final Path auditLog;
    private final Path knownHosts;
    private final Path fleetState;
    private final Map<String, Customer> customers = new LinkedHashMap<>();
    /** Lines each customer's client file has after the fixture's own (version, tags, settings). */
    private final Map<String, List<String>> clientLines = new HashMap<>();
    private final Map<String, Integer> sshPorts = new HashMap<>();

    private LifecycleFixture(CustomerHostsExtension hosts, Path repo, Path fleetState) {
        this.hosts = hosts;
        this.repo = repo;
        this.auditLog = repo.resolve("controller-audit.log");
        this.knownHosts = repo.resolve("known_hosts");
        this.fleetState = fleetState;
    }

    /**
     * A repository with the example inventory's access.yaml, releases.yaml (plus {@code extraReleases}) and
     * environments, no customers yet; budgetctl in this JVM runs as {@link #OPERATOR} from now on.
     */
    static LifecycleFixture open(CustomerHostsExtension hosts, String... extraReleases) throws IOException {
        Path root = checkout();
        Path repo = Files.createTempDirectory("budgetctl-e2e-repo-");
        Files.copy(root.resolve("inventory/access.yaml"), repo.resolve("access.yaml"));
        StringBuilder releases = new StringBuilder(Files.readString(root.resolve("inventory/releases.yaml")));
        for (String v : extraReleases) {
            releases.append("  - version: ").append(v).append("\n    date: \"2025-07-01\"\n");
        }
        Files.writeString(repo.resolve("releases.yaml"), releases);
        Files.createDirectories(repo.resolve("environments"));
        try (Stream<Path> envs = Files.list(root.resolve("inventory/environments"))) {
            for (Path e : envs.toList()) {
                Files.copy(e, repo.resolve("environments").resolve(e.getFileName()));
            }
        }
        Files.createDirectories(repo.resolve("clients"));
        Files.copy(hosts.inventory().resolveSibling("known_hosts"), repo.resolve("known_hosts"));
        LifecycleFixture f = new LifecycleFixture(hosts, repo, Files.createTempDirectory("budgetctl-e2e-fleet-"));
        LifecycleCommand.environment = f.environment();
        return f;
    }

    /** This checkout: the directory above the working directory that holds playbooks/ and roles/. */
    static Path checkout() {
        return LifecycleRolesIT.repo();
    }

    /**
     * Adds customer {@code id} (environment demo, bundled database) on customer host {@code host}; {@code lines}
     * (YAML, e.g. {@code "version: v1.3.2"}) are appended to its client file.
     */
    Customer customer(String id, String host, String domain, String... lines) throws IOException {
        Customer c = new Customer(id, host, domain, FIRST_INGRESS_PORT + customers.size());
        customers.put(id, c);
        sshPorts.putIfAbsent(host, hosts.host(host).port());
        clientLines.put(id, List.of(lines));
        writeClient(c);
        return c;
    }

    /** Rewrites {@code id}'s client file with {@code lines} instead of the ones it had (a changed desired state). */
    void reconfigure(String id, String... lines) throws IOException {
        clientLines.put(id, List.of(lines));
        writeClient(customers.get(id));
    }

    private void writeClient(Customer c) throws IOException {
        Files.writeString(repo.resolve("clients").resolve(c.id() + ".yaml"), String.join("\n",
                "id: " + c.id(),
                "name: E2E " + c.id(),
                "environment: demo",
                "licence: LIC-2025-0042",
                "domain: " + c.domain(),
                "target:",
                "  type: compose",
                "  servers:",
                "    - name: app",
                "      address: 127.0.0.1",
                "      port: " + c.ingressPort(),
                "ssh:",
                "  port: " + sshPorts.get(c.host()),
                String.join("\n", clientLines.getOrDefault(c.id(), List.of())),
                ""));
    }

    /**
     * After {@code docker start} of a killed customer host: Docker may publish its sshd on another 127.0.0.1 port.
     * The host keys survive (they live in the container's file system), so known_hosts gets the same keys under
     * the new port and the customers on that host point at it.
     */
    void hostRestarted(String host, int newPort) throws IOException {
        int old = sshPorts.put(host, newPort);
        if (old != newPort) {
            List<String> added = new ArrayList<>();
            for (String line : Files.readAllLines(knownHosts)) {
                if (line.startsWith("[127.0.0.1]:" + old + " ")) {
                    added.add("[127.0.0.1]:" + newPort + line.substring(line.indexOf(' ')));
                }
            }
            Files.write(knownHosts, added, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
        }
        for (Customer c : customers.values()) {
            if (c.host().equals(host)) {
                writeClient(c);
            }
        }
    }

    Path auditLog() {
        return auditLog;
    }

    /** The test's deployments repository (access.yaml, releases, environments, clients/). */
    Path repo() {
        return repo;
    }

    /**
     * The environment budgetctl runs with: operator, controller audit log. The playbooks are the checkout's: the
     * classes run from cli/target/classes, whose installation is this checkout.
     */
    Map<String, String> environment() {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("BUDGETCTL_OPERATOR", OPERATOR);
        env.put("BUDGETCTL_AUDIT_LOG", auditLog.toString());
        env.put("NO_COLOR", "1");
        env.put("BUDGETCTL_STATE_DIR", fleetState.toString());
        return env;
    }

    /** Where {@code budgetctl fleet} keeps its journals and per-customer logs ($BUDGETCTL_STATE_DIR). */
    Path fleetState() {
        return fleetState;
    }

    /** budgetctl in this JVM with {@code args}, this repository, and the customer hosts' key and known hosts. */
    Cli budgetctl(String... args) {
        return run(withRepo(args), args);
    }

    /** budgetctl in this JVM with exactly {@code args} (for commands that take neither --repo nor -e). */
    Cli budgetctlExactly(String... args) {
        return run(List.of(args), args);
    }

    private static Cli run(List<String> a, String... shown) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), a.toArray(String[]::new));
        Cli c = new Cli(code, out.toString(), err.toString());
        System.err.println("=== budgetctl " + String.join(" ", shown) + " -> " + code + "\n"
                + (code == 0 ? tail(c.all(), 1500) : c.all()));
        return c;
    }

    /**
     * budgetctl as its own process (a JVM on this test's class path running {@code io.budgetctl.cli.Main}), output
     * to {@code log}: for a run whose holder process must be gone afterwards, as an engineer's would be.
     */
    Process budgetctlProcess(Path log, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin",
                        "java").toString()),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(withRepo(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().clear();
        pb.environment().putAll(environment());
        Process p = pb.start();
        p.getOutputStream().close();
        return p;
    }

    private List<String> withRepo(String... args) {
        List<String> a = new ArrayList<>(List.of(args));
        a.addAll(List.of("--repo", repo.toString(), "-e", "{\"ansible_ssh_private_key_file\": \""
                + hosts.inventory().resolveSibling("id_ed25519") + "\", \"budgetctl_known_hosts\": \""
                + knownHosts + "\"}"));
        return a;
    }

    static String tail(String s, int n) {
        return s.length() <= n ? s : s.substring(s.length() - n);
    }

    /** A shell command as root on customer host {@code host}; its output, stripped. */
    String onHost(String host, String script) throws IOException, InterruptedException {
        return hosts.docker("exec", hosts.host(host).container(), "sh", "-c", script).strip();
    }

    /** A shell command on the host of customer {@code client}. */
    String onHostOf(String client, String script) throws IOException, InterruptedException {
        return onHost(customers.get(client).host(), script);
    }

    /** The API of {@code client} through its ingress (HTTPS, Caddy's internal CA, SNI = the customer's domain). */
    String api(String client, String method, String path, String json) throws IOException, InterruptedException {
        return onHost(customers.get(client).host(), curlApi(client, method, path, json));
    }

    /** The curl command, run on {@code client}'s host, that {@link #api} runs: for loops that run on the host. */
    String curlApi(String client, String method, String path, String json) {
        Customer c = customers.get(client);
        String url = "https://" + c.domain() + ":" + c.ingressPort() + "/api" + path;
        return "curl -fsSk --max-time 20 --resolve " + c.domain() + ":" + c.ingressPort() + ":127.0.0.1 -X "
                + method + (json == null ? "" : " -H 'content-type: application/json' -d '" + json + "'") + " " + url;
    }

    String version(String client) throws IOException, InterruptedException {
        return api(client, "GET", "/version", null);
    }

    /** The container id of {@code service} of {@code client}'s Compose project (running or not), or "". */
    String container(String client, String service) throws IOException, InterruptedException {
        return onHostOf(client, "docker ps -aq --filter label=com.docker.compose.project=itbm-" + client
                + " --filter label=com.docker.compose.service=" + service + " --filter label=com.docker.compose.oneoff=False"
                + " | head -n1");
    }

    /** {@code cmd} as the database owner inside {@code client}'s bundled postgres, with {@code stdin}. */
    String inPostgres(String client, String cmd, String stdin) throws IOException, InterruptedException {
        String pg = container(client, "postgres");
        if (pg.isEmpty()) {
            throw new IllegalStateException("no postgres container of " + client);
        }
        return onHostOf(client, "docker exec -i " + pg + " sh -c 'export PGPASSWORD=\"$(cat /run/secrets/db_password)\"; "
                + cmd + "' <<'BUDGETCTL_E2E'\n" + stdin + "\nBUDGETCTL_E2E");
    }

    /** One SQL statement's rows (psql -tA: unaligned, no headers). */
    String sql(String client, String statement) throws IOException, InterruptedException {
        return inPostgres(client, "psql -h /var/run/postgresql -U \"$POSTGRES_USER\" -d itbm -tAq -v ON_ERROR_STOP=1",
                statement);
    }

    /**
     * The whole database as plain SQL (schema with owners and privileges, data, sequences, Flyway history), except
     * the rows of the worker's derived {@code reports} table, which the worker may write at any moment.
     */
    String dump(String client) throws IOException, InterruptedException {
        // pg_dump 15.14+ wraps its output in "restrict KEY" and "unrestrict KEY" meta-commands, a random key per dump
        return inPostgres(client, "pg_dump -h /var/run/postgresql -U \"$POSTGRES_USER\" --exclude-table-data=reports"
                + " itbm", "").lines().filter(l -> !l.startsWith("\\restrict ") && !l.startsWith("\\unrestrict "))
                .collect(java.util.stream.Collectors.joining("\n"));
    }

    /**
     * What a deploy of {@code client} changes on its host: the {@code current} link, the release directories and
     * the project's containers ({@link #containers}); with {@code audit}, also the host's audit log.
     */
    String footprint(String client, boolean audit) throws IOException, InterruptedException {
        return onHostOf(client, "cd /opt/itbm/" + client + " && readlink current && ls releases"
                + (audit ? " && cat audit.log" : "")) + "\n" + containers(client, true);
    }

    /** The project's containers (all, or only the running ones): id, image, creation time; sorted. */
    String containers(String client, boolean all) throws IOException, InterruptedException {
        return onHostOf(client, "docker ps " + (all ? "-a " : "") + "--no-trunc --filter"
                + " label=com.docker.compose.project=itbm-" + client
                + " --format '{{.ID}} {{.Image}} {{.CreatedAt}}' | sort");
    }

    /** held or free: the deploy lock directory of {@code client}. */
    String lockState(String client) throws IOException, InterruptedException {
        return onHostOf(client, "test -d /opt/itbm/" + client + "/lock && echo held || echo free");
    }

    String hostAudit(String client) throws IOException, InterruptedException {
        return onHostOf(client, "cat /opt/itbm/" + client + "/audit.log 2>/dev/null || true");
    }

    /** Waits up to {@code seconds} for sshd of {@code host} (container {@code container}) on its current port. */
    static int waitForSshd(CustomerHostsExtension hosts, String container, int seconds) {
        return poll("sshd of " + container + " back", Duration.ofSeconds(seconds), Duration.ofMillis(500))
                .until(() -> sshd(hosts, container), sshd -> sshd.port() > 0).port();
    }

    /** One look at sshd of {@code container}: its published port if it gave a host key there, else why not. */
    record Sshd(int port, String notYet) {
    }

    private static Sshd sshd(CustomerHostsExtension hosts, String container) throws InterruptedException {
        try {
            String port = hosts.docker("port", container, "22/tcp").lines().findFirst().orElse("");
            int p = Integer.parseInt(port.substring(port.lastIndexOf(':') + 1).strip());
            ProcessBuilder pb = new ProcessBuilder("ssh-keyscan", "-T", "2", "-p", Integer.toString(p), "127.0.0.1")
                    .redirectError(ProcessBuilder.Redirect.DISCARD);
            Process scan = pb.start();
            String keys = new String(scan.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            scan.waitFor(10, TimeUnit.SECONDS);
            return keys.isBlank() ? new Sshd(0, "no key from 127.0.0.1:" + p) : new Sshd(p, "");
        } catch (IllegalStateException | NumberFormatException | IOException e) {
            return new Sshd(0, e.getMessage());
        }
    }

    @Override
    public void close() throws IOException {
        LifecycleCommand.environment = null;
        for (Path dir : List.of(repo, fleetState)) {
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
