package io.budgetctl.cli.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.budgetctl.cli.lifecycle.LifecycleFixture.Cli;
import io.budgetctl.engine.ssh.CustomerHostsExtension;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two customers on two simulated customer servers, and a release whose migration fails part-way on one of them.
 * <p>
 * The broken release is real: {@code itbm/backend:v1.4.1} is built here from {@code itbm/backend:v1.4.0} with its
 * jar's {@code db/migration/V3__expense_categories.sql} replaced by {@code src/test/resources/e2e/broken-v1.4.1}
 * (the real V3's statements, a rewrite of existing rows, then a constraint the customer's data violates) and a
 * Flyway script configuration that runs it outside a transaction. A v1.4.x build migrates only up to V3
 * ({@code AppVersion}), so a V4 would never run; replacing V3 needs no change to the product. Flyway fails at the
 * constraint with the first statements applied: a database half-way between V2 and V3, which only the pg_dump
 * taken before the migration can undo.
 * <p>
 * Both customers get a fresh v1.3.2 with their own data; the broken v1.4.1 on alpha exits 2, restores alpha's
 * database (schema and data exactly as before), keeps v1.3.2 serving while the migration runs and leaves bravo's
 * server untouched; then both upgrade to v1.4.0 and keep their own data and their own audit trail.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FailingMigrationIT {
    @RegisterExtension
    static final CustomerHostsExtension HOSTS = new CustomerHostsExtension(List.of("one", "two"), List.of());
    static final String ALPHA = "alpha";
    static final String BRAVO = "bravo";
    /** Generous: a fresh install took 3 min under a load average of 60 (DeployLifecycleIT). */
    static final String HEALTH_TIMEOUT = "420";
    static final List<String> SERVICES = List.of("backend", "worker", "scheduler", "frontend", "postgres", "redis");
    static final ObjectMapper JSON = new ObjectMapper();

    static LifecycleFixture fx;

    @BeforeAll
    static void twoCustomersOnTwoServers() throws Exception {
        fx = LifecycleFixture.open(HOSTS, "v1.4.1");
        fx.customer(ALPHA, "one", "budget.alpha.example");
        fx.customer(BRAVO, "two", "budget.bravo.example");
        List<String> images = new ArrayList<>();
        for (String v : List.of("v1.3.2", "v1.4.0")) {
            SERVICES.forEach(s -> images.add("itbm/" + s + ":" + v));
        }
        HOSTS.load("one", images.toArray(String[]::new));
        HOSTS.load("two", images.toArray(String[]::new));
        brokenReleaseOn("one");
    }

    @AfterAll
    static void cleanUp() throws IOException {
        if (fx != null) {
            fx.close();
        }
    }

    /**
     * v1.4.1 on customer host {@code host}: the broken backend image (built in the outer engine under a name of
     * its own, loaded, tagged there, and removed here) and v1.4.0's other images under the v1.4.1 tag.
     */
    static void brokenReleaseOn(String host) throws Exception {
        Path ctx = Files.createTempDirectory("budgetctl-e2e-broken-");
        String tag = "budgetctl-e2e/broken-backend:" + UUID.randomUUID().toString().substring(0, 8);
        try {
            String id = HOSTS.docker("create", "itbm/backend:v1.4.0").strip();
            try {
                HOSTS.docker("cp", id + ":/opt/itbm/itbm.jar", ctx.resolve("itbm.jar").toString());
            } finally {
                HOSTS.docker("rm", id);
            }
            try (FileSystem jar = FileSystems.newFileSystem(URI.create("jar:" + ctx.resolve("itbm.jar").toUri()),
                    Map.of())) {
                Path migrations = jar.getPath("/db/migration");
                assertThat(migrations.resolve("V3__expense_categories.sql")).exists();
                for (String f : List.of("V3__expense_categories.sql", "V3__expense_categories.sql.conf")) {
                    try (InputStream in = FailingMigrationIT.class.getResourceAsStream("/e2e/broken-v1.4.1/" + f)) {
                        Files.copy(in, migrations.resolve(f), StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
            Files.writeString(ctx.resolve("Dockerfile"), String.join("\n",
                    "FROM itbm/backend:v1.4.0",
                    "COPY itbm.jar /opt/itbm/itbm.jar",
                    "ENV APP_VERSION=v1.4.1",
                    "LABEL org.opencontainers.image.version=v1.4.1",
                    ""));
            ProcessBuilder pb = new ProcessBuilder("docker", "build", "-q", "-t", tag, ctx.toString())
                    .redirectErrorStream(true);
            pb.environment().put("DOCKER_BUILDKIT", "0");
            Process build = pb.start();
            String out = new String(build.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(build.waitFor(600, TimeUnit.SECONDS)).isTrue();
            assertThat(build.exitValue()).as(out).isZero();
            HOSTS.load(host, tag);
            StringBuilder script = new StringBuilder("set -e; docker tag " + tag + " itbm/backend:v1.4.1; docker rmi "
                    + tag + " >/dev/null");
            for (String s : SERVICES.subList(1, SERVICES.size())) {
                script.append("; docker tag itbm/").append(s).append(":v1.4.0 itbm/").append(s).append(":v1.4.1");
            }
            fx.onHost(host, script.toString());
            assertThat(fx.onHost(host, "docker run --rm itbm/backend:v1.4.1 version")).startsWith("v1.4.1 ");
        } finally {
            try {
                HOSTS.docker("rmi", "-f", tag);
            } catch (IllegalStateException gone) {
                // never built
            }
            try (Stream<Path> walk = Files.walk(ctx)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    static Cli deploy(String client, String version) {
        return fx.budgetctl("deploy", "--client", client, "--version", version, "--health-timeout", HEALTH_TIMEOUT);
    }

    /** What must not change on a customer's server while another customer's deploy fails. */
    static String footprint(String client) throws Exception {
        return fx.onHostOf(client, "cd /opt/itbm/" + client + " && readlink current && ls releases backups"
                + " && cat audit.log && docker ps -a --no-trunc --format '{{.ID}} {{.Image}} {{.CreatedAt}}' | sort")
                + "\n" + fx.dump(client);
    }

    static List<JsonNode> audit(String client) throws Exception {
        List<JsonNode> lines = new ArrayList<>();
        for (String l : fx.hostAudit(client).lines().filter(l -> !l.isBlank()).toList()) {
            lines.add(JSON.readTree(l));
        }
        return lines;
    }

    @Test
    @Order(1)
    void eachServerGetsAFreshV132AndKeepsItsOwnData() throws Exception {
        // when
        Cli alpha = deploy(ALPHA, "v1.3.2");
        Cli bravo = deploy(BRAVO, "v1.3.2");
        // then
        assertThat(alpha.code()).as(alpha.all()).isZero();
        assertThat(bravo.code()).as(bravo.all()).isZero();
        assertThat(fx.api(ALPHA, "POST", "/cost-centres", "{\"code\":\"CC-ALPHA\",\"name\":\"Alpha ops\"}"))
                .contains("CC-ALPHA");
        assertThat(fx.api(BRAVO, "POST", "/cost-centres", "{\"code\":\"CC-BRAVO\",\"name\":\"Bravo ops\"}"))
                .contains("CC-BRAVO");
        assertThat(fx.version(ALPHA)).contains("\"version\":\"v1.3.2\"").contains("\"schema\":2");
        assertThat(fx.version(BRAVO)).contains("\"version\":\"v1.3.2\"").contains("\"schema\":2");
        assertThat(fx.api(ALPHA, "GET", "/cost-centres", null)).contains("CC-ALPHA").doesNotContain("CC-BRAVO");
        assertThat(fx.api(BRAVO, "GET", "/cost-centres", null)).contains("CC-BRAVO").doesNotContain("CC-ALPHA");
    }

    /** One poll of the API during the broken deploy. */
    record Poll(long startMillis, long endMillis, boolean ok, String body) {
    }

    @Test
    @Order(2)
    void aMigrationThatFailsPartWayRestoresTheDatabaseAndTheOldVersionServesThroughout() throws Exception {
        // given
        String centres = fx.api(ALPHA, "GET", "/cost-centres", null);
        String database = fx.dump(ALPHA);
        assertThat(database).contains("CC-ALPHA").doesNotContain("expense_categories");
        String bravoBefore = footprint(BRAVO);
        // the host's dockerd keeps only its last 256 events (health-check execs fill that in minutes under load), so
        // the die events of migrate containers are recorded live from before the deploy, not asked for afterwards
        fx.onHostOf(ALPHA, "rm -f /tmp/migrate-dies; (docker events --filter type=container --filter event=die"
                + " --filter label=com.docker.compose.service=migrate"
                + " --format '{{.TimeNano}} {{index .Actor.Attributes \"exitCode\"}}' > /tmp/migrate-dies 2>&1"
                + " & echo $! > /tmp/migrate-dies.pid); sleep 1");
        List<Poll> polls = Collections.synchronizedList(new ArrayList<>());
        Thread poller = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                long t0 = System.currentTimeMillis();
                try {
                    String body = fx.api(ALPHA, "GET", "/cost-centres", null);
                    polls.add(new Poll(t0, System.currentTimeMillis(), true, body));
                } catch (Exception e) {
                    polls.add(new Poll(t0, System.currentTimeMillis(), false, String.valueOf(e.getMessage())));
                }
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "api-poller");
        poller.start();
        Cli broken;
        try {
            // when
            broken = deploy(ALPHA, "v1.4.1");
        } finally {
            poller.interrupt();
            poller.join(60_000);
        }
        // then: exit 2 and a summary that says what happened
        assertThat(broken.code()).as(broken.all()).isEqualTo(2);
        assertThat(broken.all()).contains("deploy of v1.4.1 to " + ALPHA + " FAILED at migrate with v1.4.1")
                .containsPattern("database restored from /opt/itbm/" + ALPHA
                        + "/backups/v1\\.3\\.2-to-v1\\.4\\.1-[0-9TZ]+\\.dump");
        // the migration really failed part-way (at the constraint, after the first statements), and nothing of it
        // is left
        // and the summary says why, before Flyway's progress lines
        String summary = broken.all().lines().filter(l -> l.contains("deploy of v1.4.1 to " + ALPHA + " FAILED"))
                .findFirst().orElseThrow();
        assertThat(summary).contains("itbm: migrate failed: Script V3__expense_categories.sql failed")
                .contains("cost_centres_code_numeric").contains("is violated by some row");
        assertThat(fx.dump(ALPHA)).isEqualTo(database);
        assertThat(fx.sql(ALPHA, "SELECT to_regclass('expense_categories') IS NULL")).isEqualTo("t");
        assertThat(fx.version(ALPHA)).contains("\"version\":\"v1.3.2\"").contains("\"schema\":2");
        assertThat(fx.api(ALPHA, "GET", "/cost-centres", null)).isEqualTo(centres);
        assertThat(fx.lockState(ALPHA)).isEqualTo("free");
        List<JsonNode> audit = audit(ALPHA);
        JsonNode last = audit.get(audit.size() - 1);
        assertThat(last.path("action").asText()).isEqualTo("deploy");
        assertThat(last.path("to").asText()).isEqualTo("v1.4.1");
        assertThat(last.path("result").asText()).isEqualTo("rolled_back");
        assertThat(last.path("database_restored").asBoolean()).isTrue();
        assertThat(last.path("error").asText()).contains("migrate with v1.4.1");
        // v1.3.2 answered through the ingress until the migration had failed (it runs before the switch)
        String died = fx.onHostOf(ALPHA, "sleep 1; kill $(cat /tmp/migrate-dies.pid); cat /tmp/migrate-dies");
        // (the switch back runs v1.3.2's own migrate again, which finds nothing to do and exits 0)
        System.err.println("=== die events of migrate containers since the broken deploy started:\n" + died);
        String failed = died.lines().filter(l -> !l.endsWith(" 0")).findFirst().orElse("");
        assertThat(failed).as("a migrate container that exited non-zero, among: " + died).isNotBlank();
        long migrationFailedAt = Long.parseLong(failed.split(" ")[0]) / 1_000_000;
        List<Poll> before;
        synchronized (polls) {
            before = polls.stream().filter(p -> p.endMillis() < migrationFailedAt).toList();
        }
        // It answers from the database being migrated: between the migration's row rewrite and the restore it
        // shows the half-migrated names (docs/runbooks/rollback.md); what counts is that it answers.
        assertThat(before).as("polls while the broken release migrated").hasSizeGreaterThanOrEqualTo(3)
                .allSatisfy(p -> {
                    assertThat(p.ok()).as(p.body()).isTrue();
                    assertThat(p.body()).contains("\"code\":\"CC-ALPHA\"");
                });
        System.err.println("=== " + before.size() + " polls answered before the migration failed, "
                + before.stream().filter(p -> p.body().contains("ALPHA OPS")).count()
                + " of them with the half-migrated data");
        // and the other customer's server did not notice
        assertThat(footprint(BRAVO)).isEqualTo(bravoBefore);
        assertThat(fx.version(BRAVO)).contains("\"version\":\"v1.3.2\"");
    }

    @Test
    @Order(3)
    void bothServersUpgradeToV140WithTheirOwnDataAndTheirOwnAudit() throws Exception {
        // when
        Cli alpha = deploy(ALPHA, "v1.4.0");
        Cli bravo = deploy(BRAVO, "v1.4.0");
        // then
        assertThat(alpha.code()).as(alpha.all()).isZero();
        assertThat(bravo.code()).as(bravo.all()).isZero();
        for (String c : List.of(ALPHA, BRAVO)) {
            assertThat(fx.version(c)).contains("\"version\":\"v1.4.0\"").contains("\"schema\":3");
            assertThat(fx.lockState(c)).isEqualTo("free");
        }
        assertThat(fx.api(ALPHA, "GET", "/cost-centres", null)).contains("CC-ALPHA").contains("Alpha ops")
                .doesNotContain("CC-BRAVO");
        assertThat(fx.api(BRAVO, "GET", "/cost-centres", null)).contains("CC-BRAVO").contains("Bravo ops")
                .doesNotContain("CC-ALPHA");
        assertThat(audit(ALPHA)).extracting(a -> a.path("to").asText() + " " + a.path("result").asText())
                .containsExactly("v1.3.2 ok", "v1.4.1 rolled_back", "v1.4.0 ok");
        assertThat(audit(BRAVO)).extracting(a -> a.path("to").asText() + " " + a.path("result").asText())
                .containsExactly("v1.3.2 ok", "v1.4.0 ok");
        assertThat(audit(BRAVO)).allSatisfy(a -> assertThat(a.path("client").asText()).isEqualTo(BRAVO));
        List<String> controller = Files.readAllLines(fx.auditLog());
        assertThat(controller).anySatisfy(l -> assertThat(l).contains("\"client\":\"" + ALPHA + "\""))
                .anySatisfy(l -> assertThat(l).contains("\"client\":\"" + BRAVO + "\""))
                .allSatisfy(l -> assertThat(l).contains("\"decision\":\"allow\""));
    }
}
