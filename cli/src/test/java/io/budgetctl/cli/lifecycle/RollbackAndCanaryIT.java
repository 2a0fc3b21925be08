package io.budgetctl.cli.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.budgetctl.cli.lifecycle.LifecycleFixture.Cli;
import io.budgetctl.engine.ssh.CustomerHostsExtension;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The parts of the lifecycle that must not interrupt a customer, through the real CLI (in this JVM) on a
 * simulated customer server with its own Docker engine: secrets and .env are private to the deploy user, status
 * counts the finished migrate one-shot as completed, a release whose backend never gets ready fails in the candidate
 * check while the running release answers every request, and a rollback to a version whose release (and images)
 * were pruned renders that version again. The steps build on each other, so they run in order and share the host.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RollbackAndCanaryIT {
    @RegisterExtension
    static final CustomerHostsExtension HOSTS = new CustomerHostsExtension(List.of("canary"), List.of());
    static final String CLIENT = "canaryco";
    static final String DIR = "/opt/itbm/" + CLIENT;
    static final String DOMAIN = "budget.canaryco.example";
    /** Generous: CI machines can be loaded (a fresh install took 3 min under a load average of 60). */
    static final String HEALTH_TIMEOUT = "420";
    static final String[] V132 = {"itbm/backend:v1.3.2", "itbm/worker:v1.3.2", "itbm/scheduler:v1.3.2",
        "itbm/frontend:v1.3.2", "itbm/postgres:v1.3.2", "itbm/redis:v1.3.2"};
    static final String[] V140 = {"itbm/backend:v1.4.0", "itbm/worker:v1.4.0", "itbm/scheduler:v1.4.0",
        "itbm/frontend:v1.4.0", "itbm/postgres:v1.4.0", "itbm/redis:v1.4.0"};

    static LifecycleFixture fx;

    @BeforeAll
    static void customerAndImages() throws Exception {
        fx = LifecycleFixture.open(HOSTS);
        fx.customer(CLIENT, "canary", DOMAIN);
        List<String> images = new ArrayList<>(List.of(V132));
        images.addAll(List.of(V140));
        HOSTS.load("canary", images.toArray(String[]::new));
    }

    @AfterAll
    static void cleanUp() throws IOException {
        if (fx != null) {
            fx.close();
        }
    }

    static Cli budgetctl(String... args) {
        return fx.budgetctl(args);
    }

    static String onHost(String script) throws Exception {
        return fx.onHost("canary", script);
    }

    static String curlApi(String method, String path, String json) {
        return fx.curlApi(CLIENT, method, path, json);
    }

    static String api(String method, String path, String json) throws Exception {
        return fx.api(CLIENT, method, path, json);
    }

    /** The project's running containers: name, image and id (what a switch would change). */
    static String runningContainers() throws Exception {
        return onHost("docker ps --filter label=com.docker.compose.project=itbm-" + CLIENT
                + " --format '{{.Names}} {{.Image}} {{.ID}}' | sort");
    }

    @Test
    @Order(1)
    void aFreshInstallKeepsSecretsAndEnvPrivateAndStatusCountsMigrateAsCompleted() throws Exception {
        // when
        Cli deploy = budgetctl("deploy", "--client", CLIENT, "--version", "v1.3.2", "--health-timeout", HEALTH_TIMEOUT);
        // then
        assertThat(deploy.code()).as(deploy.all()).isZero();
        assertThat(api("POST", "/cost-centres", "{\"code\":\"CC-OLD\",\"name\":\"Before the upgrade\"}"))
                .contains("CC-OLD");
        // .env and the client's secrets: 0600, owned by the deploy user (the SSH login)
        assertThat(onHost("cd " + DIR + " && stat -c '%n %a %U' current/.env shared/secrets/db_password"
                + " shared/secrets/redis_password")).isEqualTo(String.join("\n",
                "current/.env 600 deploy", "shared/secrets/db_password 600 deploy",
                "shared/secrets/redis_password 600 deploy"));
        // the release's copies (bind-mounted into containers running as other users) are 0400 files of the user
        // of the containers that read them, in a 0700 directory of the deploy user: another user of the host reads
        // neither them nor .env; unused secrets are empty files
        assertThat(onHost("cd " + DIR + " && stat -c '%a %U' current/secrets")).isEqualTo("700 deploy");
        assertThat(onHost("cd " + DIR + " && stat -c '%n %a %u' current/secrets/db_password"
                + " current/secrets/redis_password current/secrets/postgres/db_password"
                + " current/secrets/redis/redis_password current/secrets/smtp_password"
                + " && stat -c %s current/secrets/smtp_password")).isEqualTo(String.join("\n",
                "current/secrets/db_password 400 10001",
                "current/secrets/redis_password 400 10001", "current/secrets/postgres/db_password 400 100",
                "current/secrets/redis/redis_password 400 100", "current/secrets/smtp_password 400 10001", "0"));
        // the application's copy and the database's hold the same password
        assertThat(onHost("cd " + DIR + " && sudo cmp current/secrets/db_password current/secrets/postgres/db_password"
                + " && echo same")).isEqualTo("same");
        assertThat(onHost("for f in current/secrets/db_password current/secrets/redis_password current/.env"
                + " shared/secrets/db_password; do runuser -u deploypw -- cat " + DIR + "/$f >/dev/null 2>&1"
                + " && echo \"readable $f\"; done; echo done")).isEqualTo("done");
        // the finished migrate one-shot is completed, not unhealthy
        Cli status = budgetctl("status", "--client", CLIENT);
        assertThat(status.code()).as(status.all()).isZero();
        assertThat(status.out()).contains("HEALTHY").containsPattern("migrate +completed ");
        Cli json = budgetctl("status", "--client", CLIENT, "--output", "json");
        assertThat(json.code()).as(json.all()).isZero();
        assertThat(json.out()).containsPattern("\"service\" *: *\"migrate\",\\s*\"state\" *: *\"completed\"");
    }

    @Test
    @Order(2)
    void anUpgradeKeepingOneReleasePrunesTheOldReleaseAndItsImages() throws Exception {
        // when
        Cli deploy = budgetctl("deploy", "--client", CLIENT, "--version", "v1.4.0", "--health-timeout", HEALTH_TIMEOUT,
                "-e", "itbm_keep_releases=1");
        // then
        assertThat(deploy.code()).as(deploy.all()).isZero();
        assertThat(api("GET", "/version", null)).contains("\"version\":\"v1.4.0\"").contains("\"schema\":3");
        assertThat(onHost("ls " + DIR + "/releases")).doesNotContain("v1.3.2-").contains("v1.4.0-");
        // all of v1.3.2's images but the frontend, which the ingress still runs (it keeps its image across upgrades)
        assertThat(onHost("docker images --format '{{.Repository}}:{{.Tag}}' | grep ':v1.3.2$' || true"))
                .isEqualTo("itbm/frontend:v1.3.2");
        assertThat(onHost("sed -n 's/^ITBM_INGRESS_VERSION=//p' " + DIR + "/current/.env")).isEqualTo("v1.3.2");
        assertThat(api("POST", "/cost-centres", "{\"code\":\"CC-NEW\",\"name\":\"After the upgrade\"}"))
                .contains("CC-NEW");
    }

    @Test
    @Order(3)
    void aReleaseWhoseBackendNeverGetsReadyFailsBeforeTheSwitchAndTheOldOneAnswersEveryRequest() throws Exception {
        // given: the running v1.4.0, polled through the ingress every 300 ms from the host
        String containersBefore = runningContainers();
        String currentBefore = onHost("readlink " + DIR + "/current");
        List<String> polls = Collections.synchronizedList(new ArrayList<>());
        onHost("rm -f /tmp/stop-polling");
        Process poller = new ProcessBuilder("docker", "exec", HOSTS.host("canary").container(), "sh", "-c",
                "while [ ! -e /tmp/stop-polling ]; do"
                        + " if r=$(" + curlApi("GET", "/version", null).replace("--max-time 20", "--max-time 5")
                        + " 2>&1); then echo \"ok $r\"; else echo \"FAILED $r\"; fi; sleep 0.3; done")
                .redirectErrorStream(true).start();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(poller.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    polls.add(line);
                }
            } catch (java.io.IOException e) {
                polls.add("FAILED reading the poller: " + e);
            }
        }, "ingress-poller");
        reader.start();
        Cli broken;
        try {
            Thread.sleep(2000);
            // when: v1.4.0 again, but its backend cannot reach Redis, so /readyz never turns 200
            broken = budgetctl("deploy", "--client", CLIENT, "--version", "v1.4.0", "--health-timeout", "60",
                    "-e", "{\"itbm_env_overrides\": {\"REDIS_URL\": \"redis://nowhere:6379\"},"
                            + " \"itbm_revert_health_timeout\": " + HEALTH_TIMEOUT + "}");
            Thread.sleep(2000);
        } finally {
            onHost("touch /tmp/stop-polling");
            poller.waitFor(30, TimeUnit.SECONDS);
            poller.destroy();
            reader.join(10_000);
        }
        // then: it failed in the candidate check, said so, and switched nothing
        assertThat(broken.code()).as(broken.all()).isEqualTo(2);
        assertThat(broken.all()).contains("deploy of v1.4.0 to " + CLIENT + " FAILED at ")
                .contains("the candidate backend was not ready after 60s")
                .contains("Not switched: " + currentBefore.replace("releases/", "") + " kept running throughout");
        assertThat(onHost("readlink " + DIR + "/current")).isEqualTo(currentBefore);
        assertThat(runningContainers()).isEqualTo(containersBefore);
        assertThat(onHost("docker ps -aq --filter name=itbm-" + CLIENT + "-candidate | wc -l")).isEqualTo("0");
        assertThat(onHost("tail -n1 " + DIR + "/audit.log")).containsPattern("\"result\": *\"rolled_back\"")
                .containsPattern("\"switched\": *false");
        // and the running release answered every poll while the candidate was tried
        List<String> seen = List.copyOf(polls);
        System.err.println("=== " + seen.size() + " polls through the ingress, "
                + seen.stream().filter(p -> !p.startsWith("ok ")).count() + " failed: "
                + seen.stream().filter(p -> !p.startsWith("ok ")).limit(5).toList());
        assertThat(seen).hasSizeGreaterThan(60);
        assertThat(seen).allSatisfy(p -> assertThat(p).startsWith("ok ").contains("\"version\":\"v1.4.0\""));
        Cli status = budgetctl("status", "--client", CLIENT);
        assertThat(status.code()).as(status.all()).isZero();
    }

    @Test
    @Order(4)
    void aRollbackToAPrunedVersionWhoseImagesAreGoneSaysWhichImagesAreMissing() throws Exception {
        // when
        Cli refused = budgetctl("rollback", "--client", CLIENT, "--to", "v1.3.2", "--restore-db");
        // then
        assertThat(refused.code()).isEqualTo(2);
        assertThat(refused.all()).contains("rollback of " + CLIENT + " to v1.3.2 failed at")
                .contains("missing images: backend worker scheduler postgres redis")
                .contains("v1.3.2 has no kept release on " + CLIENT + ", so it is rendered again");
        assertThat(api("GET", "/version", null)).contains("\"version\":\"v1.4.0\"");
        assertThat(onHost("ls " + DIR + "/releases")).doesNotContain("v1.3.2-");
    }

    @Test
    @Order(5)
    void aRollbackToAPrunedVersionRendersItAgainFromTheRepository() throws Exception {
        // given: the images of v1.3.2 are back on the host
        HOSTS.load("canary", V132);
        // when
        Cli rollback = budgetctl("rollback", "--client", CLIENT, "--to", "v1.3.2", "--restore-db",
                "-e", "itbm_health_timeout=" + HEALTH_TIMEOUT);
        // then
        assertThat(rollback.code()).as(rollback.all()).isZero();
        assertThat(api("GET", "/version", null)).contains("\"version\":\"v1.3.2\"").contains("\"schema\":2");
        assertThat(api("GET", "/cost-centres", null)).contains("CC-OLD").doesNotContain("CC-NEW");
        String current = onHost("readlink " + DIR + "/current");
        assertThat(current).startsWith("releases/v1.3.2-");
        assertThat(onHost("cat " + DIR + "/current/release.json")).containsPattern("\"result\" *: *\"ok\"")
                .containsPattern("\"rendered_by\" *: *\"rollback\"").containsPattern("\"version\" *: *\"v1.3.2\"");
        assertThat(onHost("cd " + DIR + " && stat -c '%a %U' current/.env")).isEqualTo("600 deploy");
        assertThat(onHost("tail -n1 " + DIR + "/audit.log")).containsPattern("\"action\": *\"rollback\"")
                .containsPattern("\"rerendered\": *true").containsPattern("\"database_restored\": *true");
        Cli status = budgetctl("status", "--client", CLIENT);
        assertThat(status.code()).as(status.all()).isZero();
        assertThat(status.out()).contains("version v1.3.2");
    }
}
