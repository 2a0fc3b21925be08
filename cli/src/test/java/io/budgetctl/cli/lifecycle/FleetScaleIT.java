package io.budgetctl.cli.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.budgetctl.cli.Main;
import io.budgetctl.lifecycle.repo.DeploymentsRepository;
import io.budgetctl.engine.ssh.TestHostsExtension;
import io.budgetctl.lifecycle.fleet.Journal;
import io.budgetctl.lifecycle.fleet.JournalEvent;
import io.budgetctl.lifecycle.plan.DesiredState;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code budgetctl fleet} over 60 customers (issue 12, "Scale"): a generated deployments repository whose customers
 * live on five sshd test hosts ({@link TestHostsExtension}: sshd only, no dockerd), fourteen or fifteen customers on
 * each of the first four, each in its own {@code /opt/itbm/<id>} (the roles' {@code itbm_dir}), driven through the
 * real CLI in this JVM. On the hosts the test writes what a finished deploy leaves ({@code current ->
 * releases/<version>-<ts>/release.json} with result ok and the configuration fingerprint budgetctl computes from the
 * repository, an {@code audit.log} line naming the customer, for some a held deploy lock), except for every tenth
 * customer of the first four hosts, which has nothing installed (tag ring 2; the others ring 1).
 *
 * <p>Failures and slowness, all real:
 * <ul>
 *   <li>{@code s58}: its SSH port on 127.0.0.1 is closed (connection refused);</li>
 *   <li>{@code s59}: its server's name does not resolve ({@code .invalid});</li>
 *   <li>{@code s60}: alone on the fifth host, which is frozen with {@code docker pause} for the whole command: the
 *       TCP connection is accepted by the kernel but sshd never answers (a hung server), so the connect timeout
 *       ends it;</li>
 *   <li>a slow server: the fourth host's CPU is capped at a tenth of a core ({@code docker update --cpus 0.1}, an
 *       overloaded machine) while fleet status reads it;</li>
 *   <li>a server that stops for a while: the third host is frozen ({@code docker pause}) for the first
 *       {@link #PAUSE_SECONDS} seconds of each command, then thawed; its customers' reads wait and then go on.</li>
 * </ul>
 * Wall times are printed (stderr, "FLEET SCALE"), not asserted: measured numbers belong to bench/fleet.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FleetScaleIT {
    @RegisterExtension
    static final TestHostsExtension HOSTS = new TestHostsExtension(5);
    static final int CUSTOMERS = 60;
    /** Customers on the first four hosts; the last three are the injected failures. */
    static final int ON_HOSTS = 57;
    static final String REFUSED = "s58";
    static final String NOWHERE = "s59";
    static final String FROZEN = "s60";
    static final int FROZEN_HOST = 4;
    static final int SLOW_HOST = 3;
    static final int PAUSED_HOST = 2;
    static final int PAUSE_SECONDS = 4;
    static final String OPERATOR = "ivan@itbm-vendor.example";
    static final ObjectMapper JSON = new ObjectMapper();
    static final Pattern RUN_ID = Pattern.compile("fleet run ([0-9]{8}T[0-9]{6}Z-[0-9a-f]{4}) by ");

    static Path repo;
    static Path state;
    static Path audit;
    static int closedPort;
    /** Host index of each customer on the test hosts (s01..s57 and the frozen s60). */
    static final Map<String, Integer> HOST = new LinkedHashMap<>();
    /** What the test wrote on the host for each installed customer: its version. */
    static final Map<String, String> INSTALLED = new LinkedHashMap<>();
    /** Customers whose deploy lock the test holds on the host, and the holder written there. */
    static final Map<String, String> LOCKED = new LinkedHashMap<>();

    static String id(int i) {
        return String.format("s%02d", i);
    }

    @BeforeAll
    static void sixtyCustomersOnFiveHosts() throws Exception {
        repo = Files.createTempDirectory("budgetctl-scale-repo-");
        state = Files.createTempDirectory("budgetctl-scale-state-");
        audit = repo.resolve("controller-audit.log");
        Path root = LifecycleFixture.checkout();
        Files.copy(root.resolve("inventory/access.yaml"), repo.resolve("access.yaml"));
        Files.copy(root.resolve("inventory/releases.yaml"), repo.resolve("releases.yaml"));
        Files.createDirectories(repo.resolve("environments"));
        try (Stream<Path> envs = Files.list(root.resolve("inventory/environments"))) {
            for (Path e : envs.toList()) {
                Files.copy(e, repo.resolve("environments").resolve(e.getFileName()));
            }
        }
        Files.createDirectories(repo.resolve("clients"));
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        for (int i = 1; i <= CUSTOMERS; i++) {
            String id = id(i);
            String address = "127.0.0.1";
            int sshPort;
            if (i <= ON_HOSTS) {
                HOST.put(id, (i - 1) % 4);
                sshPort = HOSTS.host((i - 1) % 4).port();
            } else if (id.equals(REFUSED)) {
                sshPort = closedPort;
            } else if (id.equals(NOWHERE)) {
                address = "s59.server.invalid";
                sshPort = 22;
            } else {
                HOST.put(id, FROZEN_HOST);
                sshPort = HOSTS.host(FROZEN_HOST).port();
            }
            // every tenth customer on the four hosts has nothing installed; the three failures had been deployed
            boolean installed = i > ON_HOSTS || i % 10 != 0;
            String version = i % 2 == 0 ? "v1.3.2" : "v1.4.0";
            if (installed && HOST.containsKey(id)) {
                INSTALLED.put(id, version);
                if (i % 7 == 0) {
                    LOCKED.put(id, "olga@itbm-vendor.example (pid " + (4000 + i) + ")");
                }
            }
            // ring 1: installed (fleet apply converges them); ring 2: nothing installed
            Files.writeString(repo.resolve("clients/" + id + ".yaml"), String.join("\n",
                    "id: " + id,
                    "name: Scale customer " + i,
                    "environment: demo",
                    "licence: LIC-2025-0042",
                    "version: " + version,
                    "domain: " + id + ".scale.example",
                    "target:",
                    "  type: compose",
                    "  servers:",
                    "    - name: app",
                    "      address: " + address,
                    // every customer its own ingress port: the repository refuses two on one address:port
                    "      port: " + (9000 + i),
                    "ssh:",
                    "  port: " + sshPort,
                    "tags:",
                    "  ring: " + (installed ? 1 : 2),
                    ""));
        }
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("BUDGETCTL_OPERATOR", OPERATOR);
        env.put("BUDGETCTL_AUDIT_LOG", audit.toString());
        env.put("BUDGETCTL_STATE_DIR", state.toString());
        env.put("NO_COLOR", "1");
        LifecycleCommand.environment = env;

        // what a finished deploy of each installed customer's desired state leaves on its server
        DeploymentsRepository r = DeploymentsRepository.open(repo);
        Map<Integer, StringBuilder> scripts = new HashMap<>();
        for (Map.Entry<String, String> c : INSTALLED.entrySet()) {
            String id = c.getKey();
            String release = c.getValue() + "-20260101T000000Z";
            String fingerprint = DesiredState.of(r, id, null, "").fingerprint();
            StringBuilder s = scripts.computeIfAbsent(HOST.get(id), k -> new StringBuilder());
            s.append("d=/opt/itbm/").append(id).append("; mkdir -p $d/releases/").append(release)
                    .append(" && ln -sfn $d/releases/").append(release).append(" $d/current\n")
                    .append("cat > $d/releases/").append(release).append("/release.json <<'J'\n")
                    .append(JSON.writeValueAsString(Map.of("client", id, "version", c.getValue(), "release", release,
                            "result", "ok", "image_prefix", "itbm", "fingerprint", fingerprint))).append("\nJ\n")
                    .append("cat > $d/audit.log <<'J'\n")
                    .append(JSON.writeValueAsString(auditLine(id, c.getValue()))).append("\nJ\n");
            if (LOCKED.containsKey(id)) {
                s.append("mkdir $d/lock && cat > $d/lock/details.json <<'J'\n")
                        .append(JSON.writeValueAsString(Map.of("holder", LOCKED.get(id),
                                "acquired_utc", "2026-01-01T00:00:00Z", "version", c.getValue())))
                        .append("\nJ\n");
            }
        }
        for (Map.Entry<Integer, StringBuilder> s : scripts.entrySet()) {
            HOSTS.docker("exec", HOSTS.host(s.getKey()).container(), "sh", "-ec",
                    s.getValue() + "chown -R deploy:deploy /opt/itbm\n");
        }
    }

    static Map<String, Object> auditLine(String id, String version) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("at", "2026-01-01T00:00:00Z");
        m.put("who", "installer-of-" + id + "@itbm-vendor.example");
        m.put("client", id);
        m.put("action", "deploy");
        m.put("from", "");
        m.put("to", version);
        m.put("result", "ok");
        return m;
    }

    @AfterEach
    void hostsBackToNormal() throws Exception {
        for (int h : List.of(FROZEN_HOST, PAUSED_HOST)) {
            String paused = HOSTS.docker("inspect", "-f", "{{.State.Paused}}", HOSTS.host(h).container()).strip();
            if (paused.equals("true")) {
                HOSTS.docker("unpause", HOSTS.host(h).container());
            }
        }
        HOSTS.docker("update", "--cpus", "0", HOSTS.host(SLOW_HOST).container());
    }

    @AfterAll
    static void cleanUp() throws IOException {
        LifecycleCommand.environment = null;
        for (Path dir : new Path[] {repo, state}) {
            if (dir != null) {
                try (Stream<Path> walk = Files.walk(dir)) {
                    walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }

    record Cli(int code, String out, String err, double seconds) {
        String all() {
            return out + "\n" + err;
        }
    }

    /** budgetctl in this JVM with the test hosts' key and known_hosts, as an operator gives them. */
    static Cli budgetctl(String... args) {
        List<String> a = new ArrayList<>(List.of(args));
        a.addAll(List.of("--repo", repo.toString(), "-e", "{\"ansible_ssh_private_key_file\": \""
                + HOSTS.ed25519Key() + "\", \"budgetctl_known_hosts\": \"" + HOSTS.knownHosts() + "\"}"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        long t0 = System.nanoTime();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), a.toArray(String[]::new));
        double s = (System.nanoTime() - t0) / 1e9;
        Cli c = new Cli(code, out.toString(), err.toString(), s);
        System.err.printf("=== budgetctl %s -> %d in %.1f s%n%s%n", String.join(" ", args), code, s,
                LifecycleFixture.tail(c.all(), 3000));
        return c;
    }

    /** Freezes host {@code h} now and thaws it after {@code seconds}, in the background. */
    static CompletableFuture<Void> pauseFor(int h, int seconds) throws Exception {
        HOSTS.docker("pause", HOSTS.host(h).container());
        return CompletableFuture.runAsync(() -> {
            try {
                Thread.sleep(seconds * 1000L);
                HOSTS.docker("unpause", HOSTS.host(h).container());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        });
    }

    /** What every customer's host holds under /opt/itbm: release directories, current, audit log, lock. */
    static String footprint() throws Exception {
        StringBuilder b = new StringBuilder();
        for (int h = 0; h <= FROZEN_HOST; h++) {
            b.append(HOSTS.docker("exec", HOSTS.host(h).container(), "sh", "-c",
                    "cd /opt/itbm 2>/dev/null && find . -printf '%p %s %T@\\n' | sort && cat */audit.log"));
        }
        return b.toString();
    }

    @Test
    @Order(1)
    void fleetStatusOfSixtyGivesEveryCustomerItsOwnRowAndEachFailureOneLine() throws Exception {
        // given: a hung server, an overloaded one, and one that stops for the first seconds
        HOSTS.docker("pause", HOSTS.host(FROZEN_HOST).container());
        HOSTS.docker("update", "--cpus", "0.1", HOSTS.host(SLOW_HOST).container());
        CompletableFuture<Void> thaw = pauseFor(PAUSED_HOST, PAUSE_SECONDS);

        // when
        Cli status = budgetctl("fleet", "status", "--all", "--json");
        thaw.join();

        // then: one row per customer, in the repository's order
        assertThat(status.code()).as(status.all()).isEqualTo(3);
        List<JsonNode> rows = new ArrayList<>();
        for (String line : status.out().strip().split("\n")) {
            rows.add(JSON.readTree(line));
        }
        List<String> all = new ArrayList<>();
        for (int i = 1; i <= CUSTOMERS; i++) {
            all.add(id(i));
        }
        assertThat(rows).extracting(r -> r.path("customer").asText()).containsExactlyElementsOf(all);
        Map<String, JsonNode> byId = rows.stream().collect(Collectors.toMap(r -> r.path("customer").asText(),
                r -> r));

        // the failed ones: unreachable, with one line that says where and why
        for (String id : List.of(REFUSED, NOWHERE, FROZEN)) {
            JsonNode r = byId.get(id);
            assertThat(r.path("state").asText()).as(r.toString()).isEqualTo("unreachable");
            assertThat(r.path("status_exit").asInt()).as(r.toString()).isEqualTo(4);
            assertThat(r.path("detail").asText()).as(r.toString()).doesNotContain("\n").hasSizeLessThan(301)
                    .contains("UNREACHABLE");
        }
        assertThat(byId.get(REFUSED).path("detail").asText())
                .contains("connection refused by deploy@127.0.0.1:" + closedPort);
        assertThat(byId.get(NOWHERE).path("detail").asText())
                .contains("cannot resolve host name 's59.server.invalid'");
        assertThat(byId.get(FROZEN).path("detail").asText()).contains("no answer from deploy@127.0.0.1:"
                + HOSTS.host(FROZEN_HOST).port() + " within 10s (ConnectTimeout)");

        // the others: each row is that customer's own server directory, never a neighbour's on the same host
        for (int i = 1; i <= ON_HOSTS; i++) {
            String id = id(i);
            JsonNode r = byId.get(id);
            if (!INSTALLED.containsKey(id)) {
                assertThat(r.path("state").asText()).as(r.toString()).isEqualTo("not-installed");
                assertThat(r.path("detail").asText()).contains("budgetctl deploy installs it");
                continue;
            }
            // no dockerd on a test host: no service runs, so installed customers are unhealthy, not unreachable
            assertThat(r.path("state").asText()).as(r.toString()).isEqualTo("unhealthy");
            assertThat(r.path("status_exit").asInt()).as(r.toString()).isEqualTo(3);
            assertThat(r.path("last_action").asText()).as(r.toString()).isEqualTo("deploy " + INSTALLED.get(id)
                    + " by installer-of-" + id + "@itbm-vendor.example at 2026-01-01T00:00:00Z: ok");
            assertThat(r.path("lock").asText()).as(r.toString()).isEqualTo(LOCKED.containsKey(id)
                    ? "held by " + LOCKED.get(id) + " since 2026-01-01T00:00:00Z" : "free");
        }
        assertThat(LOCKED).hasSizeGreaterThan(3);
        System.err.printf("FLEET SCALE: fleet status --all --json of %d customers on %d hosts: %.1f s wall"
                        + " (host %d frozen throughout, host %d capped at 0.1 CPU, host %d frozen for %d s)%n",
                CUSTOMERS, HOSTS.hosts().size(), status.seconds(), FROZEN_HOST + 1, SLOW_HOST + 1,
                PAUSED_HOST + 1, PAUSE_SECONDS);
    }

    @Test
    @Order(2)
    void fleetApplyOfTheInstalledCustomersIsANoOpWhereReachableAndNamesEachFailure() throws Exception {
        // given: the installed customers and the three unreachable ones (ring 1); a server that stops for a while
        String before = footprint();
        HOSTS.docker("pause", HOSTS.host(FROZEN_HOST).container());
        CompletableFuture<Void> thaw = pauseFor(PAUSED_HOST, PAUSE_SECONDS);

        // when: three failures allowed
        Cli apply = budgetctl("fleet", "apply", "--where", "ring=1", "--parallel", "8", "--max-failures", "3");
        thaw.join();
        HOSTS.docker("unpause", HOSTS.host(FROZEN_HOST).container());

        // then: the three unreachable ones failed with one line each, every reachable one is done (up to date)
        Set<String> ring1 = new TreeSet<>(INSTALLED.keySet());
        ring1.addAll(List.of(REFUSED, NOWHERE));
        int selected = ring1.size();
        assertThat(apply.code()).as(apply.all()).isEqualTo(2);
        assertThat(apply.out()).contains(selected + " customers: " + (selected - 3) + " done, 3 failed, 0 skipped");
        Matcher m = RUN_ID.matcher(apply.out());
        assertThat(m.find()).as(apply.out()).isTrue();
        Map<String, JournalEvent> last = new LinkedHashMap<>();
        for (JournalEvent e : Journal.read(Journal.path(state, m.group(1))).events()) {
            if (JournalEvent.CUSTOMER.equals(e.event())) {
                last.put(e.customer(), e);
            }
        }
        assertThat(last.keySet()).containsExactlyInAnyOrderElementsOf(ring1);
        for (String id : List.of(REFUSED, NOWHERE, FROZEN)) {
            JournalEvent e = last.get(id);
            assertThat(e.state()).isEqualTo("failed");
            assertThat(e.reason()).startsWith("unreachable: ").doesNotContain("\n")
                    .containsAnyOf("connection refused", "cannot resolve host name", "within 10s (ConnectTimeout)");
            assertThat(apply.out()).contains("FAILED " + id + " (wave 1): unreachable: ");
        }
        for (String id : INSTALLED.keySet()) {
            if (id.equals(FROZEN)) {
                continue;
            }
            assertThat(last.get(id).state()).as(id).isEqualTo("done");
            assertThat(Files.readString(state.resolve(m.group(1)).resolve(id + ".log")))
                    .contains("up to date: " + id + " runs " + INSTALLED.get(id));
        }
        // never two customers of one server at once, though eight could run
        Set<String> running = new TreeSet<>();
        for (JournalEvent e : Journal.read(Journal.path(state, m.group(1))).events()) {
            if (!JournalEvent.CUSTOMER.equals(e.event()) || !HOST.containsKey(e.customer())) {
                continue;
            }
            if ("running".equals(e.state())) {
                int h = HOST.get(e.customer());
                assertThat(running).as("%s started beside another customer of host %d", e.customer(), h)
                        .noneMatch(o -> HOST.get(o) == h);
                running.add(e.customer());
            } else if (Set.of("done", "failed").contains(e.state())) {
                running.remove(e.customer());
            }
        }
        // and nothing changed on any server: no release, no lock, no audit line
        assertThat(footprint()).isEqualTo(before);
        System.err.printf("FLEET SCALE: fleet apply --where ring=1 --parallel 8 of %d customers (%d up to date):"
                + " %.1f s wall%n", selected, selected - 3, apply.seconds());
    }
}
