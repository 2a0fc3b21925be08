package io.budgetctl.cli.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static io.budgetctl.engine.testkit.Polling.poll;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.budgetctl.cli.lifecycle.LifecycleFixture.Cli;
import io.budgetctl.engine.ssh.CustomerHostsExtension;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A customer server that dies in the middle of a deploy: budgetctl runs as its own process (as an engineer's
 * would), the customer host's container is {@code docker kill}ed once the deploy holds the lock and has switched
 * to the new release, and then started again (its dockerd and sshd come back; its file system, so the lock, is
 * kept). The deploy ends UNREACHABLE (exit 4); the lock it left is named stale because its holder process is gone,
 * a deploy is refused with that reason, {@code budgetctl lock release} clears it without {@code --force}, and a
 * new deploy succeeds.
 */
class InterruptedDeployIT {
    @RegisterExtension
    static final CustomerHostsExtension HOSTS = new CustomerHostsExtension(List.of("intr"), List.of());
    static final String CLIENT = "intco";
    static final String HOST = "intr";
    static final String HEALTH_TIMEOUT = "420";

    static LifecycleFixture fx;

    @BeforeAll
    static void customerAndImages() throws Exception {
        fx = LifecycleFixture.open(HOSTS);
        fx.customer(CLIENT, HOST, "budget.intco.example");
        HOSTS.load(HOST, "itbm/backend:v1.3.2", "itbm/worker:v1.3.2", "itbm/scheduler:v1.3.2",
                "itbm/frontend:v1.3.2", "itbm/postgres:v1.3.2", "itbm/redis:v1.3.2");
    }

    @AfterAll
    static void cleanUp() throws IOException {
        if (fx != null) {
            fx.close();
        }
    }

    @Test
    void aHostKilledMidDeployLeavesAStaleLockThatIsReleasedAndANewDeploySucceeds() throws Exception {
        // given: a deploy in its own process, past the lock, the release switched in and its health gate waiting
        String container = HOSTS.host(HOST).container();
        Path log = Files.createTempFile("budgetctl-e2e-interrupted-", ".log");
        Process deploy = fx.budgetctlProcess(log, "deploy", "--client", CLIENT, "--version", "v1.3.2",
                "--health-timeout", HEALTH_TIMEOUT);
        String details;
        try {
            poll("lock and backend container", Duration.ofSeconds(900), Duration.ofMillis(500))
                    .failFast(() -> assertThat(deploy.isAlive()).as("the deploy still runs:\n" + Files.readString(log))
                            .isTrue())
                    .untilAsserted(() -> {
                        assertThat(fx.lockState(CLIENT)).as("the deploy lock").isEqualTo("held");
                        assertThat(fx.container(CLIENT, "backend")).as("the backend container").isNotEmpty();
                    });
            details = fx.onHost(HOST, "cat /opt/itbm/" + CLIENT + "/lock/details.json");
            assertThat(fx.onHost(HOST, "readlink /opt/itbm/" + CLIENT + "/current")).startsWith("releases/v1.3.2-");

            // when
            HOSTS.docker("kill", container);

            // then: the run ends UNREACHABLE
            assertThat(deploy.waitFor(300, TimeUnit.SECONDS)).as("the deploy ends after its host died").isTrue();
        } finally {
            deploy.destroyForcibly();
        }
        String out = Files.readString(log);
        Files.delete(log);
        System.err.println("=== budgetctl deploy (own process, host killed) -> " + deploy.exitValue() + "\n" + out);
        assertThat(deploy.exitValue()).as(out).isEqualTo(4);
        assertThat(out).contains("fatal: [" + CLIENT + "]: UNREACHABLE!").containsPattern("unreachable=1");
        JsonNode lock = new ObjectMapper().readTree(details);
        assertThat(lock.path("pid").asLong()).as("the lock names the budgetctl process").isEqualTo(deploy.pid());
        assertThat(lock.path("holder").asText()).isEqualTo(LifecycleFixture.OPERATOR);

        // and when the server is back
        HOSTS.docker("start", container);
        fx.hostRestarted(HOST, LifecycleFixture.waitForSshd(HOSTS, container, 300));
        assertThat(fx.lockState(CLIENT)).as("the lock survived the crash").isEqualTo("held");

        // then the lock is stale: its holder process is gone
        String holderGone = "holder process " + deploy.pid() + " on " + InetAddress.getLocalHost().getHostName()
                + " is gone";
        Cli status = fx.budgetctl("lock", "status", "--client", CLIENT);
        assertThat(status.code()).as(status.all()).isZero();
        assertThat(status.out()).contains("STALE: " + holderGone).contains("by " + LifecycleFixture.OPERATOR)
                .contains("for version v1.3.2");
        Cli refused = fx.budgetctl("deploy", "--client", CLIENT, "--version", "v1.3.2");
        assertThat(refused.code()).as(refused.all()).isEqualTo(2);
        assertThat(refused.all()).contains("It is STALE (" + holderGone + ")")
                .contains("budgetctl lock release --client " + CLIENT);
        assertThat(fx.lockState(CLIENT)).isEqualTo("held");

        // and released without --force
        Cli release = fx.budgetctl("lock", "release", "--client", CLIENT);
        assertThat(release.code()).as(release.all()).isZero();
        assertThat(fx.lockState(CLIENT)).isEqualTo("free");

        // and a new deploy succeeds
        Cli again = fx.budgetctl("deploy", "--client", CLIENT, "--version", "v1.3.2", "--health-timeout",
                HEALTH_TIMEOUT);
        assertThat(again.code()).as(again.all()).isZero();
        assertThat(fx.version(CLIENT)).contains("\"version\":\"v1.3.2\"").contains("\"schema\":2");
        assertThat(fx.api(CLIENT, "POST", "/cost-centres", "{\"code\":\"CC-AFTER\",\"name\":\"After the crash\"}"))
                .contains("CC-AFTER");
        assertThat(fx.lockState(CLIENT)).isEqualTo("free");
        Cli healthy = fx.budgetctl("status", "--client", CLIENT);
        assertThat(healthy.code()).as(healthy.all()).isZero();

        // and when `current` is on a release that never finished (what a run killed after its switch leaves) while
        // a good release exists, a deploy is refused before it changes anything and names the rollback
        String dir = "/opt/itbm/" + CLIENT;
        String good = fx.onHost(HOST, "readlink " + dir + "/current");
        String pending = "releases/v1.4.0-29990101T000000Z";
        fx.onHost(HOST, "cd " + dir + " && mkdir " + pending + " && printf '{\"version\": \"v1.4.0\", \"result\": "
                + "\"pending\"}\\n' > " + pending + "/release.json && ln -sfn " + pending + " current");
        Cli overPending = fx.budgetctl("deploy", "--client", CLIENT, "--version", "v1.3.2");
        assertThat(overPending.code()).as(overPending.all()).isEqualTo(2);
        assertThat(overPending.all()).contains("whose deploy never finished")
                .contains("last good release (" + good.substring("releases/".length()) + ")")
                .contains("--to v1.3.2").contains("Nothing was changed on the host.");
        assertThat(fx.onHost(HOST, "readlink " + dir + "/current")).isEqualTo(pending);
        assertThat(fx.lockState(CLIENT)).isEqualTo("free");
    }
}
