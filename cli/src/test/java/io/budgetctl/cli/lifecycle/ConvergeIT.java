package io.budgetctl.cli.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.budgetctl.cli.Main;
import io.budgetctl.engine.ssh.CustomerHostsExtension;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Converge, not push (issue 11), through the real CLI against a simulated customer server with its own Docker
 * engine: the client file pins the version (no --version anywhere), the first deploy installs it, {@code plan} then
 * says "in sync" (exit 0), a second deploy changes nothing (same containers, no new release, no new backup,
 * changed=0), a changed setting makes {@code plan} exit 2 and the next deploy renders a new release. One host and
 * one initial deploy are shared by the steps, which run in order. Last, an upgrade without a schema change under a
 * request loop through the ingress: no request fails.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConvergeIT {
    @RegisterExtension
    static final CustomerHostsExtension HOSTS = new CustomerHostsExtension(List.of("conv"), List.of());
    static final String CLIENT = "convco";
    static final int INGRESS_PORT = 8443;
    static final String HEALTH_TIMEOUT = "420";

    static Path repo;

    record Cli(int code, String out, String err) {
        String all() {
            return out + "\n" + err;
        }
    }

    static String clientFile(int users) {
        return clientFile(users, "v1.4.0");
    }

    static String clientFile(int users, String version) {
        return String.join("\n",
                "id: " + CLIENT,
                "name: Converge Test Co",
                "environment: demo",
                "licence: LIC-2025-0043",
                "version: " + version,
                "domain: budget.convco.example",
                "target:",
                "  type: compose",
                "  servers:",
                "    - name: app",
                "      address: 127.0.0.1",
                "      port: " + INGRESS_PORT,
                "ssh:",
                "  port: " + HOSTS.host("conv").port(),
                "limits:",
                "  users: " + users,
                "");
    }

    @BeforeAll
    static void customerAndImages() throws Exception {
        Path root = LifecycleRolesIT.repo();
        repo = Files.createTempDirectory("budgetctl-converge-repo-");
        for (String f : List.of("access.yaml", "releases.yaml")) {
            Files.copy(root.resolve("inventory").resolve(f), repo.resolve(f));
        }
        Files.createDirectories(repo.resolve("environments"));
        try (Stream<Path> envs = Files.list(root.resolve("inventory/environments"))) {
            for (Path e : envs.toList()) {
                Files.copy(e, repo.resolve("environments").resolve(e.getFileName()));
            }
        }
        Files.createDirectories(repo.resolve("clients"));
        Files.writeString(repo.resolve("clients").resolve(CLIENT + ".yaml"), clientFile(50));
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("BUDGETCTL_OPERATOR", "ivan@itbm-vendor.example");
        env.put("BUDGETCTL_AUDIT_LOG", repo.resolve("controller-audit.log").toString());
        LifecycleCommand.environment = env;
        HOSTS.load("conv", "itbm/backend:v1.4.0", "itbm/worker:v1.4.0", "itbm/scheduler:v1.4.0",
                "itbm/frontend:v1.4.0", "itbm/postgres:v1.4.0", "itbm/redis:v1.4.0");
    }

    @AfterAll
    static void environmentBack() {
        LifecycleCommand.environment = null;
    }

    static Cli budgetctl(String... args) {
        List<String> a = new ArrayList<>(List.of(args));
        a.addAll(List.of("--repo", repo.toString(), "-e", "{\"ansible_ssh_private_key_file\": \""
                + HOSTS.inventory().resolveSibling("id_ed25519") + "\", \"budgetctl_known_hosts\": \""
                + HOSTS.inventory().resolveSibling("known_hosts") + "\"}"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), a.toArray(String[]::new));
        Cli c = new Cli(code, out.toString(), err.toString());
        System.err.println("=== budgetctl " + String.join(" ", args) + " -> " + code + "\n" + c.all());
        return c;
    }

    static String onHost(String script) throws Exception {
        return HOSTS.docker("exec", HOSTS.host("conv").container(), "sh", "-c", script).strip();
    }

    /** The containers by id, the release directories, the backups and the current link. */
    static String state() throws Exception {
        String dir = "/opt/itbm/" + CLIENT;
        return onHost("docker ps -a --no-trunc --format '{{.ID}} {{.Names}} {{.State}}' | sort; ls -1 " + dir
                + "/releases; echo backups:; ls -1 " + dir + "/backups; readlink " + dir + "/current");
    }

    static int releases() throws Exception {
        return Integer.parseInt(onHost("ls -1 /opt/itbm/" + CLIENT + "/releases | wc -l"));
    }

    @Test
    @Order(1)
    void theClientFilesVersionIsDeployedWithoutVersionOption() throws Exception {
        Cli deploy = budgetctl("deploy", "--client", CLIENT, "--health-timeout", HEALTH_TIMEOUT);
        assertThat(deploy.code()).as(deploy.all()).isZero();
        assertThat(onHost("cat /opt/itbm/" + CLIENT + "/current/release.json"))
                .containsPattern("\"version\": *\"v1\\.4\\.0\"").containsPattern("\"fingerprint\": *\"sha256:")
                .containsPattern("\"limits\\.users\": *\"50\"");
    }

    @Test
    @Order(2)
    void planIsInSyncAfterTheDeploy() {
        Cli plan = budgetctl("plan", "--client", CLIENT);
        assertThat(plan.code()).as(plan.all()).isZero();
        assertThat(plan.out()).contains("version:    v1.4.0 (unchanged)").contains("up to date");
    }

    @Test
    @Order(3)
    void aSecondDeployOfTheSameChangesNothing() throws Exception {
        // given
        String before = state();
        // when
        Cli again = budgetctl("deploy", "--client", CLIENT, "--health-timeout", HEALTH_TIMEOUT);
        // then
        assertThat(again.code()).as(again.all()).isZero();
        assertThat(again.out()).contains("up to date").containsPattern("changed=0\\b")
                .containsPattern("skipped +\\d+\\.\\d  take the deploy lock\n");
        assertThat(state()).isEqualTo(before);
    }

    @Test
    @Order(4)
    void aChangedSettingShowsInPlanAndMakesANewRelease() throws Exception {
        // given
        Files.writeString(repo.resolve("clients").resolve(CLIENT + ".yaml"), clientFile(75));
        int before = releases();
        // when
        Cli plan = budgetctl("plan", "--client", CLIENT, "--json");
        // then: plan reads, changes nothing, and says what deploy would do
        assertThat(plan.code()).as(plan.all()).isEqualTo(2);
        assertThat(plan.out()).containsPattern("\"path\" *: *\"limits\\.users\"").containsPattern("\"from\" *: *\"50\"")
                .containsPattern("\"to\" *: *\"75\"").containsPattern("\"in_sync\" *: *false");
        assertThat(releases()).isEqualTo(before);
        assertThat(onHost("test -d /opt/itbm/" + CLIENT + "/lock && echo held || echo free")).isEqualTo("free");
        // when
        Cli deploy = budgetctl("deploy", "--client", CLIENT, "--health-timeout", HEALTH_TIMEOUT);
        // then
        assertThat(deploy.code()).as(deploy.all()).isZero();
        assertThat(releases()).isEqualTo(before + 1);
        assertThat(onHost("cat /opt/itbm/" + CLIENT + "/current/release.json")).containsPattern("\"limits\\.users\": *\"75\"");
        Cli synced = budgetctl("plan", "--client", CLIENT);
        assertThat(synced.code()).as(synced.all()).isZero();
    }

    /** The id of the project's (non one-off) container of a service. */
    static String containerOf(String service) throws Exception {
        return onHost("docker ps -q --no-trunc --filter label=com.docker.compose.project=itbm-" + CLIENT
                + " --filter label=com.docker.compose.oneoff=False --filter label=com.docker.compose.service=" + service);
    }

    @Test
    @Order(5)
    void anUpgradeWithoutASchemaChangeFailsNoRequestThroughTheIngress() throws Exception {
        // given: v1.4.1 = v1.4.0's images under a new tag (same schema), the client file asking for it, and a loop on
        // the customer's server sending GET /api/version (backend) and GET / (frontend) through the HTTPS ingress
        // 5 times a second, one line per request; a request not answered within 2 s counts as failed (as in
        // bench/lifecycle: Caddy's retries alone would hold requests until the new backend listens)
        onHost("for s in backend worker scheduler frontend postgres redis; do docker tag itbm/$s:v1.4.0 itbm/$s:v1.4.1; done");
        Files.writeString(repo.resolve("releases.yaml"), "\n  - version: v1.4.1\n    date: \"2025-07-01\"\n"
                + "    notes: v1.4.0 retagged (same schema), for the zero-downtime upgrade\n", StandardOpenOption.APPEND);
        Files.writeString(repo.resolve("clients").resolve(CLIENT + ".yaml"), clientFile(75, "v1.4.1"));
        String ingress = containerOf("ingress");
        String backend = containerOf("backend");
        String frontend = containerOf("frontend");
        String domain = "budget." + CLIENT + ".example";
        onHost("rm -f /tmp/probe.log /tmp/probe.stop");
        HOSTS.docker("exec", "-d", HOSTS.host("conv").container(), "sh", "-c",
                "while [ ! -e /tmp/probe.stop ]; do for p in /api/version /; do"
                        + " c=$(curl -sk -o /dev/null -m 2 -w '%{time_total} %{http_code}' --resolve " + domain + ":" + INGRESS_PORT
                        + ":127.0.0.1 https://" + domain + ":" + INGRESS_PORT + "$p); echo \"$(date +%s.%N) $p $c\";"
                        + " done >>/tmp/probe.log; sleep 0.2; done");
        // (and what Docker did meanwhile, to tell a failed request's moment if there is one)
        HOSTS.docker("exec", "-d", HOSTS.host("conv").container(), "sh", "-c", "exec docker events --format"
                + " '{{.TimeNano}} {{.Type}} {{.Action}} {{.Actor.Attributes.name}}' >/tmp/events.log");
        Thread.sleep(2000);
        // when
        Cli deploy = budgetctl("deploy", "--client", CLIENT, "--health-timeout", HEALTH_TIMEOUT);
        Thread.sleep(2000);
        onHost("touch /tmp/probe.stop");
        Thread.sleep(1000);
        // then: deployed, with new backend and frontend containers behind the same ingress container, no bridge left
        assertThat(deploy.code()).as(deploy.all()).isZero();
        assertThat(onHost("readlink /opt/itbm/" + CLIENT + "/current")).contains("v1.4.1-");
        assertThat(containerOf("ingress")).isEqualTo(ingress);
        assertThat(containerOf("backend")).isNotEqualTo(backend);
        assertThat(containerOf("frontend")).isNotEqualTo(frontend);
        assertThat(onHost("docker ps -a --format '{{.Names}}'")).doesNotContain("bridge", "candidate");
        // and every request of the loop, from before the deploy to after it, was answered 200
        List<String> lines = List.of(onHost("cat /tmp/probe.log").split("\n"));
        List<String> failed = lines.stream().filter(l -> !l.endsWith(" 200")).toList();
        double slowest = lines.stream().mapToDouble(l -> Double.parseDouble(l.split(" ")[2])).max().orElse(0);
        System.err.println("probe: " + lines.size() + " requests, slowest " + slowest + " s, failed: " + failed);
        System.err.println("probe, the slow ones (over 0.5 s):\n" + String.join("\n",
                lines.stream().filter(l -> Double.parseDouble(l.split(" ")[2]) > 0.5).toList()));
        if (!failed.isEmpty()) {
            System.err.println("docker events:\n" + onHost("grep -v ' exec_' /tmp/events.log"));
        }
        assertThat(lines.size()).as("requests sent during the deploy").isGreaterThan(40);
        assertThat(failed).as("requests not answered 200").isEmpty();
    }
}
