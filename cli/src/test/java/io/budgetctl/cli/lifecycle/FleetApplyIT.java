package io.budgetctl.cli.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static io.budgetctl.engine.testkit.Polling.poll;

import io.budgetctl.cli.lifecycle.LifecycleFixture.Cli;
import io.budgetctl.engine.ssh.CustomerHostsExtension;
import io.budgetctl.lifecycle.fleet.FleetScheduler;
import io.budgetctl.lifecycle.fleet.Journal;
import io.budgetctl.lifecycle.fleet.JournalEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code budgetctl fleet} against real customer hosts (issue 12): four customers on two simulated servers (sshd +
 * their own dockerd), two per server, in two waves by their client files' {@code ring} tag.
 * <ol>
 *   <li>Live {@code fleet status --all} before anything is installed: exit 3.</li>
 *   <li>The initial install is itself a fleet run: one wave, {@code --parallel 4}, yet never two customers of one
 *       server at once (read from the journal's order).</li>
 *   <li>The client files pin v1.4.0; south's also says its Redis is external at a host that does not exist (a
 *       typo), so south's new backend never gets ready: its deploy fails in the candidate check, restores its
 *       database and keeps v1.3.2 running. The default budget (0) stops the run: wave 2 (east, west) never starts,
 *       their containers and audit logs are untouched, the summary names them; exit 7. Live status: exit 0, every
 *       customer healthy, north on v1.4.0 and the others on v1.3.2.</li>
 *   <li>The cause fixed (south's client file back to the bundled Redis), {@code fleet resume RUN-ID
 *       --max-failures 1} deploys only wave 2: north (done) and south (failed) are not deployed again (their
 *       containers, releases and audit logs unchanged); exit 2, south's failure still counts in this run.</li>
 *   <li>A new {@code fleet apply} of the same selection deploys south (now healthy on v1.4.0) and finds the others
 *       up to date; one more changes nothing on any host.</li>
 *   <li>The controller killed mid-wave: {@code fleet apply} of north and east (one server, so one at a time) to
 *       v1.4.1 in its own process, killed with SIGKILL once the first customer's deploy holds its host lock. The
 *       journal's last word on that customer is "running" and the other was never started. {@code fleet resume}
 *       deploys only the other one and reports the first as interrupted (exit 8), naming its host lock; after the
 *       stale lock is released, {@code fleet resume --retry-interrupted} deploys it.</li>
 * </ol>
 * The steps build on each other: one class, shared hosts, one initial install.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FleetApplyIT {
    @RegisterExtension
    static final CustomerHostsExtension HOSTS = new CustomerHostsExtension(List.of("fa1", "fa2"), List.of());
    static final String NORTH = "north";
    static final String SOUTH = "south";
    static final String EAST = "east";
    static final String WEST = "west";
    static final List<String> ALL = List.of(NORTH, SOUTH, EAST, WEST);
    static final Map<String, String> HOST = Map.of(NORTH, "fa1", EAST, "fa1", SOUTH, "fa2", WEST, "fa2");
    static final Map<String, Integer> RING = Map.of(NORTH, 1, SOUTH, 1, EAST, 2, WEST, 2);
    /** Generous: a fresh install took 3 min under a load average of 60 (DeployLifecycleIT). */
    static final String HEALTH_TIMEOUT = "420";
    /**
     * How long a new backend has to get ready beside the running one. Short, because south's never will and the
     * run waits for it; a healthy v1.4.0 backend is ready in well under 20 s here.
     */
    static final String CANDIDATE_TIMEOUT = "60";
    static final List<String> SERVICES = List.of("backend", "worker", "scheduler", "frontend", "postgres", "redis");
    static final Pattern RUN_ID = Pattern.compile("fleet run ([0-9]{8}T[0-9]{6}Z-[0-9a-f]{4}) by ");

    static LifecycleFixture fx;
    /** The run the failure budget stopped (step 3), resumed in step 4. */
    static String stoppedRun;
    static final Map<String, String> footprints = new HashMap<>();

    @BeforeAll
    static void fourCustomersOnTwoServers() throws Exception {
        fx = LifecycleFixture.open(HOSTS, "v1.4.1");
        for (String c : ALL) {
            fx.customer(c, HOST.get(c), "budget." + c + ".example", desired(c, "v1.3.2"));
        }
        List<String> images = new ArrayList<>();
        for (String v : List.of("v1.3.2", "v1.4.0")) {
            SERVICES.forEach(s -> images.add("itbm/" + s + ":" + v));
        }
        // both servers at once: loading is mostly waiting for docker save / load
        CompletableFuture<?> one = load("fa1", images);
        CompletableFuture<?> two = load("fa2", images);
        one.join();
        two.join();
    }

    private static CompletableFuture<Void> load(String host, List<String> images) {
        return CompletableFuture.runAsync(() -> {
            try {
                HOSTS.load(host, images.toArray(String[]::new));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        });
    }

    @AfterAll
    static void cleanUp() throws IOException {
        if (fx != null) {
            fx.close();
        }
    }

    /** The client file lines of {@code client}'s desired state: a pinned version and its ring. */
    static String[] desired(String client, String version, String... more) {
        List<String> l = new ArrayList<>(List.of("version: " + version, "tags:", "  ring: " + RING.get(client)));
        l.addAll(List.of(more));
        return l.toArray(String[]::new);
    }

    static Cli apply(String... more) {
        List<String> a = new ArrayList<>(List.of("fleet", "apply", "--all", "--health-timeout", HEALTH_TIMEOUT));
        a.addAll(List.of(more));
        return fx.budgetctl(a.toArray(String[]::new));
    }

    static String runId(Cli c) {
        Matcher m = RUN_ID.matcher(c.out());
        assertThat(m.find()).as(c.all()).isTrue();
        return m.group(1);
    }

    /** The customer's deploy log in run {@code run} (what the fleet's summary points at). */
    static String log(String run, String client) throws IOException {
        Path p = fx.fleetState().resolve(run).resolve(client + ".log");
        return Files.exists(p) ? Files.readString(p) : "(no log " + p + ")";
    }

    /** Every customer's log of the run {@code c} printed: what a failed assertion on a fleet run shows. */
    static String logs(Cli c) {
        StringBuilder b = new StringBuilder(c.all());
        Matcher m = RUN_ID.matcher(c.out());
        if (m.find()) {
            for (String client : ALL) {
                try {
                    b.append("\n--- ").append(client).append(":\n")
                            .append(LifecycleFixture.tail(log(m.group(1), client), 6000));
                } catch (IOException e) {
                    b.append("\n--- ").append(client).append(": ").append(e);
                }
            }
        }
        return b.toString();
    }

    static String version(String client) throws Exception {
        return fx.version(client);
    }

    @Test
    @Order(1)
    void liveStatusOfCustomersNotInstalledYetExitsThree() {
        // when
        Cli status = fx.budgetctl("fleet", "status", "--all");
        // then
        assertThat(status.code()).as(status.all()).isEqualTo(3);
        assertThat(status.out()).contains("0 of 4 healthy");
        assertThat(status.out().lines().filter(l -> l.matches("^(north|south|east|west) .*"))).hasSize(4)
                .allMatch(l -> l.contains(" NOT-INSTALLED ") && l.contains("budgetctl deploy"));
    }

    @Test
    @Order(2)
    void theInitialInstallIsOneWaveThatNeverRunsTwoCustomersOfOneServerAtOnce() throws Exception {
        // when: four at a time allowed, but two customers share each server
        Cli install = apply("--parallel", "4");
        // then
        assertThat(install.code()).as(() -> logs(install)).isZero();
        assertThat(install.out()).contains("4 customers: 4 done, 0 failed, 0 skipped, 0 interrupted");
        List<JournalEvent> journal = Journal.read(Journal.path(fx.fleetState(), runId(install))).events();
        Set<String> running = new HashSet<>();
        int most = 0;
        for (JournalEvent e : journal) {
            if (JournalEvent.CUSTOMER.equals(e.event()) && "running".equals(e.state())) {
                String host = HOST.get(e.customer());
                assertThat(running).as("%s started while another customer of %s ran", e.customer(), host)
                        .noneMatch(r -> HOST.get(r).equals(host));
                running.add(e.customer());
                most = Math.max(most, running.size());
            } else if (JournalEvent.CUSTOMER.equals(e.event()) && e.customer() != null
                    && List.of("done", "failed").contains(e.state())) {
                running.remove(e.customer());
            }
        }
        assertThat(most).as("the two servers worked in parallel").isEqualTo(2);
        for (String c : ALL) {
            assertThat(version(c)).contains("\"version\":\"v1.3.2\"");
        }
    }

    @Test
    @Order(3)
    void aCustomerFailingItsHealthGateStopsTheRolloutBeforeTheNextWave() throws Exception {
        // given: everyone pinned to v1.4.0; south's Redis "moved" to a host that does not exist
        for (String c : List.of(NORTH, EAST, WEST)) {
            fx.reconfigure(c, desired(c, "v1.4.0"));
        }
        fx.reconfigure(SOUTH, desired(SOUTH, "v1.4.0", "cache:", "  mode: external", "  host: redis.south.invalid"));
        for (String c : ALL) {
            footprints.put(c, fx.footprint(c, true));
        }
        String southCurrent = fx.onHostOf(SOUTH, "readlink /opt/itbm/south/current");
        String southRunning = fx.containers(SOUTH, false);

        // when
        Cli rollout = apply("--waves-by", "ring", "--parallel", "2", "-e", "itbm_candidate_timeout=" + CANDIDATE_TIMEOUT);

        // then: the budget (0) is exceeded by south; wave 2 never started, and the summary says so
        stoppedRun = runId(rollout);
        assertThat(rollout.code()).as(() -> logs(rollout)).isEqualTo(7);
        assertThat(rollout.out()).contains("FAILURE BUDGET EXCEEDED: 1 of 4 customers failed")
                .contains("NEVER STARTED (failure budget exceeded): east, west")
                .containsPattern("FAILED south \\(wave 1\\): deploy of v1\\.4\\.0 to south FAILED at [^\\n]*candidate")
                .contains("4 customers: 1 done, 1 failed, 2 skipped, 0 interrupted")
                .doesNotContain("east running").doesNotContain("west running");
        assertThat(log(stoppedRun, SOUTH)).contains("the candidate backend was not ready after " + CANDIDATE_TIMEOUT + "s");
        // north: upgraded
        assertThat(version(NORTH)).contains("\"version\":\"v1.4.0\"");
        // south: its own deploy put it back: same release, same containers, v1.3.2 answering, lock free
        assertThat(fx.onHostOf(SOUTH, "readlink /opt/itbm/south/current")).isEqualTo(southCurrent);
        assertThat(fx.containers(SOUTH, false)).isEqualTo(southRunning);
        assertThat(version(SOUTH)).contains("\"version\":\"v1.3.2\"");
        assertThat(fx.lockState(SOUTH)).isEqualTo("free");
        assertThat(fx.onHostOf(SOUTH, "tail -n1 /opt/itbm/south/audit.log")).containsPattern("\"result\": *\"rolled_back\"");
        // east and west: nothing happened on their servers (no lock taken, no release, same containers)
        assertThat(fx.footprint(EAST, true)).isEqualTo(footprints.get(EAST));
        assertThat(fx.footprint(WEST, true)).isEqualTo(footprints.get(WEST));

        // and: the live view shows the mixed fleet, every customer healthy; with --drift, who is not where the
        // repository wants them (exit 2: healthy, not in sync)
        Cli status = fx.budgetctl("fleet", "status", "--all", "--drift");
        assertThat(status.code()).as(status.all()).isEqualTo(2);
        assertThat(status.out()).contains("4 of 4 healthy; 3 not in sync")
                .containsPattern("north +HEALTHY +v1\\.4\\.0 .*; in sync")
                .containsPattern("south +HEALTHY +v1\\.3\\.2 .*; drifted: v1\\.3\\.2 -> v1\\.4\\.0, [0-9]+ settings?, restarts ")
                .containsPattern("east +HEALTHY +v1\\.3\\.2 .*; drifted: v1\\.3\\.2 -> v1\\.4\\.0")
                .containsPattern("west +HEALTHY +v1\\.3\\.2 .*; drifted: v1\\.3\\.2 -> v1\\.4\\.0");
        // and: the journal view of the run
        Cli journal = fx.budgetctlExactly("fleet", "status", stoppedRun);
        assertThat(journal.code()).as(journal.all()).isZero();
        assertThat(journal.out()).contains("fleet run " + stoppedRun + ": ended ")
                .containsPattern("north +wave 1 +done").containsPattern("south +wave 1 +failed")
                .containsPattern("east +wave 2 +skipped +never started: the failure budget was exceeded");
    }

    @Test
    @Order(4)
    void afterTheFixResumeDeploysOnlyTheCustomersItNeverStarted() throws Exception {
        // given: south's client file fixed (its Redis is the bundled one again)
        assertThat(stoppedRun).as("the stopped run of the previous step").isNotNull();
        fx.reconfigure(SOUTH, desired(SOUTH, "v1.4.0"));
        Map<String, String> before = new HashMap<>();
        for (String c : List.of(NORTH, SOUTH)) {
            before.put(c, fx.footprint(c, true));
        }

        // when: the failure so far counts against the budget, so it must allow one
        Cli resume = fx.budgetctl("fleet", "resume", stoppedRun, "--max-failures", "1");

        // then
        assertThat(resume.code()).as(() -> logs(resume)).isEqualTo(2);
        assertThat(resume.out()).contains("fleet run " + stoppedRun + " resumed by " + LifecycleFixture.OPERATOR)
                .contains("east running").contains("west running")
                .doesNotContain("north running").doesNotContain("south running")
                .contains("4 customers: 3 done, 1 failed, 0 skipped, 0 interrupted");
        assertThat(version(EAST)).contains("\"version\":\"v1.4.0\"");
        assertThat(version(WEST)).contains("\"version\":\"v1.4.0\"");
        for (String c : List.of(NORTH, SOUTH)) {
            assertThat(fx.footprint(c, true)).as("%s was not deployed again", c).isEqualTo(before.get(c));
        }
    }

    @Test
    @Order(5)
    void aNewApplyConvergesTheFailedCustomerAndAnotherChangesNothing() throws Exception {
        // given
        Map<String, String> before = new HashMap<>();
        for (String c : List.of(NORTH, EAST, WEST)) {
            before.put(c, fx.footprint(c, false));
        }

        // when
        Cli again = apply("--waves-by", "ring", "--parallel", "2");

        // then: south converges, the others are up to date
        assertThat(again.code()).as(() -> logs(again)).isZero();
        String run = runId(again);
        assertThat(version(SOUTH)).contains("\"version\":\"v1.4.0\"");
        for (String c : List.of(NORTH, EAST, WEST)) {
            assertThat(log(run, c)).contains("up to date: " + c + " runs v1.4.0");
            assertThat(fx.footprint(c, false)).isEqualTo(before.get(c));
        }

        // and when: once more
        for (String c : ALL) {
            before.put(c, fx.footprint(c, false));
        }
        Cli noop = apply("--waves-by", "ring", "--parallel", "2");

        // then: every deploy was a no-op
        assertThat(noop.code()).as(() -> logs(noop)).isZero();
        String last = runId(noop);
        for (String c : ALL) {
            assertThat(log(last, c)).contains("up to date: " + c + " runs v1.4.0");
            assertThat(fx.footprint(c, false)).isEqualTo(before.get(c));
        }
        Cli status = fx.budgetctl("fleet", "status", "--all", "--json", "--drift");
        assertThat(status.code()).as(status.all()).isZero();
        assertThat(status.out().lines()).hasSize(4)
                .allSatisfy(l -> assertThat(l).contains("\"state\":\"healthy\"").contains("\"version\":\"v1.4.0\"")
                        .contains("\"drift\":\"in sync\""));
    }

    @Test
    @Order(6)
    void aControllerKilledMidWaveIsResumedWithoutDeployingAnyoneTwice() throws Exception {
        // given: v1.4.1 = v1.4.0's images retagged on north's and east's server (same schema), pinned for both
        fx.onHost("fa1", "for s in " + String.join(" ", SERVICES) + "; do docker tag itbm/$s:v1.4.0 itbm/$s:v1.4.1;"
                + " done");
        for (String c : List.of(NORTH, EAST)) {
            fx.reconfigure(c, desired(c, "v1.4.1"));
        }
        Set<String> journalsBefore = journals();
        Path out = Files.createTempFile("budgetctl-fleet-killed-", ".log");

        // when: the rollout runs in its own process and is killed while the first customer holds its host lock
        Process controller = fx.budgetctlProcess(out, "fleet", "apply", "--clients", NORTH + "," + EAST,
                "--parallel", "1", "--health-timeout", HEALTH_TIMEOUT);
        String first;
        try {
            first = poll("a customer's lock taken (" + NORTH + " or " + EAST + ")",
                    Duration.ofSeconds(600), Duration.ofMillis(200))
                    .failFast(() -> assertThat(controller.isAlive()).as("the rollout still runs:\n"
                            + Files.readString(out)).isTrue())
                    .until(() -> lockHolder(NORTH, EAST), Optional::isPresent).orElseThrow();
            controller.destroyForcibly();
            assertThat(controller.waitFor(60, TimeUnit.SECONDS)).isTrue();
        } finally {
            controller.destroyForcibly();
        }
        String second = first.equals(NORTH) ? EAST : NORTH;
        System.err.println("=== fleet apply (own process, killed while " + first + " deployed)\n"
                + Files.readString(out));
        Files.delete(out);
        Set<String> journals = journals();
        journals.removeAll(journalsBefore);
        assertThat(journals).hasSize(1);
        String run = journals.iterator().next();

        // then: the journal says the first was running and the second never started; the first's lock is held
        Map<String, JournalEvent> last = FleetScheduler.lastCustomerEvents(
                Journal.read(Journal.path(fx.fleetState(), run)).events());
        assertThat(last.get(first).state()).isEqualTo("running");
        assertThat(last.get(second).state()).isEqualTo("queued");
        assertThat(fx.lockState(first)).isEqualTo("held");
        String secondBefore = fx.footprint(second, true);
        assertThat(secondBefore).doesNotContain("v1.4.1");

        // when: resumed
        Cli resumed = fx.budgetctl("fleet", "resume", run);

        // then: the second deployed, the first reported, not deployed again (its lock still held, no new log line)
        assertThat(resumed.code()).as(() -> logs(resumed)).isEqualTo(8);
        assertThat(resumed.out()).containsPattern(first + " interrupted: died mid-deploy")
                .contains("--retry-interrupted").contains(second + " running")
                .doesNotContain(first + " running");
        assertThat(release(second)).startsWith("releases/v1.4.1-");
        assertThat(fx.lockState(first)).isEqualTo("held");
        assertThat(release(first)).startsWith("releases/v1.4.0-");

        // and when: the operator looks at the lock (stale: its holder is gone), releases it, retries the first
        Cli lock = fx.budgetctl("lock", "status", "--client", first);
        assertThat(lock.out()).as(lock.all()).contains("STALE: holder process");
        Cli release = fx.budgetctl("lock", "release", "--client", first);
        assertThat(release.code()).as(release.all()).isZero();
        Cli retried = fx.budgetctl("fleet", "resume", run, "--retry-interrupted");

        // then: the first deployed, the second left alone, everyone done
        assertThat(retried.code()).as(() -> logs(retried)).isZero();
        assertThat(retried.out()).contains(first + " running").doesNotContain(second + " running");
        assertThat(release(first)).startsWith("releases/v1.4.1-");
        assertThat(fx.api(first, "GET", "/version", null)).contains("\"schema\":3");
        assertThat(fx.lockState(first)).isEqualTo("free");
        assertThat(fx.footprint(second, true)).isNotEqualTo(secondBefore);
    }

    /**
     * The release {@code current} points at (v1.4.1 is v1.4.0's images retagged, so the application itself still
     * answers v1.4.0 on /version: the release directory is what tells them apart).
     */
    static String release(String client) throws Exception {
        return fx.onHostOf(client, "readlink /opt/itbm/" + client + "/current");
    }

    /** The first of {@code clients} whose deploy lock is held, asked in that order. */
    static Optional<String> lockHolder(String... clients) throws Exception {
        for (String client : clients) {
            if (fx.lockState(client).equals("held")) {
                return Optional.of(client);
            }
        }
        return Optional.empty();
    }

    /** The run ids of the journals in the fleet state directory. */
    static Set<String> journals() throws IOException {
        try (Stream<Path> s = Files.list(fx.fleetState())) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".jsonl"))
                    .map(n -> n.substring(0, n.length() - ".jsonl".length()))
                    .collect(Collectors.toCollection(HashSet::new));
        }
    }
}
