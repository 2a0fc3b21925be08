package io.budgetctl.cli.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.budgetctl.cli.lifecycle.LifecycleFixture.Cli;
import io.budgetctl.engine.ssh.CustomerHostsExtension;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code budgetctl monitoring install|status|remove} against a simulated customer server (sshd, its own dockerd,
 * cron) running a real deploy of IT Budget Manager, scraped by a real Prometheus (Debian's, on the controller):
 * the node exporter answers only over TLS (the certificate from the deployments repository, its key and the
 * basic-auth password from SOPS) and only with the password; the product's metrics (containers up, health, version)
 * arrive through the textfile collector and follow a stopped container within cron's minute; a second install
 * changes nothing; no secret reaches any output; remove leaves nothing behind. The steps share one host and one
 * deploy and run in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MonitoringIT {
    @RegisterExtension
    static final CustomerHostsExtension HOSTS = new CustomerHostsExtension("mon");
    static final String CLIENT = "monco";
    static final String PASSWORD = "scr4pe-\"quoted\"-\\-" + Long.toHexString(System.nanoTime());

    static LifecycleFixture fixture;
    static Path work;
    static String ip;
    static String keyPem;
    static String certSha256;
    static Process prometheus;
    static int promPort;
    static final List<String> outputs = new ArrayList<>();

    @BeforeAll
    static void deployedCustomerWithMonitoringSettings() throws Exception {
        fixture = LifecycleFixture.open(HOSTS);
        work = Files.createTempDirectory("budgetctl-monitoring-it-");
        ip = HOSTS.host("mon").ip();
        Path repo = fixture.repo();
        // the exporter's certificate for the server's address; its key and the password go into SOPS
        TestCerts.exec("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-days", "30", "-subj", "/CN=mon", "-addext", "subjectAltName=IP:" + ip, "-keyout",
                work.resolve("node.key").toString(), "-out", work.resolve("node.crt").toString());
        keyPem = Files.readString(work.resolve("node.key"));
        Files.createDirectories(repo.resolve("monitoring"));
        Files.copy(work.resolve("node.crt"), repo.resolve("monitoring/monco-node.crt"));
        certSha256 = TestCerts.exec("openssl", "x509", "-in", work.resolve("node.crt").toString(), "-noout",
                "-fingerprint", "-sha256").strip().replaceFirst(".*=", "");
        Path age = work.resolve("age.txt");
        TestCerts.exec("age-keygen", "-o", age.toString());
        String pub = Files.readAllLines(age).stream().filter(l -> l.startsWith("# public key: ")).findFirst()
                .orElseThrow().substring("# public key: ".length());
        Files.writeString(repo.resolve(".sops.yaml"), "creation_rules:\n  - path_regex: secrets/.*\\.sops\\.yaml$\n"
                + "    age: " + pub + "\n");
        Files.createDirectories(repo.resolve("secrets"));
        Path secrets = repo.resolve("secrets/" + CLIENT + ".sops.yaml");
        Files.writeString(secrets, "node_exporter_password: " + new ObjectMapper().writeValueAsString(PASSWORD)
                + "\nnode_exporter_key: |\n" + keyPem.indent(2));
        Cli encrypt = fixture.budgetctlExactly("secrets", "encrypt", secrets.toString());
        assertThat(encrypt.code()).as(encrypt.all()).isZero();
        assertThat(Files.readString(secrets)).doesNotContain(PASSWORD).doesNotContain("PRIVATE KEY-----\n");
        Map<String, String> env = new HashMap<>(LifecycleCommand.env());
        env.put("SOPS_AGE_KEY_FILE", age.toString());
        LifecycleCommand.environment = env;
        fixture.customer(CLIENT, "mon", "budget.monco.example", "version: v1.4.0",
                "monitoring:",
                "  node_exporter:",
                "    listen: 0.0.0.0:9100",
                "    user: vendor-prometheus",
                "    password: sops:secrets/" + CLIENT + ".sops.yaml#node_exporter_password",
                "    tls:",
                "      cert: monitoring/monco-node.crt",
                "      key: sops:secrets/" + CLIENT + ".sops.yaml#node_exporter_key");
        HOSTS.load("mon", "itbm/backend:v1.4.0", "itbm/worker:v1.4.0", "itbm/scheduler:v1.4.0",
                "itbm/frontend:v1.4.0", "itbm/postgres:v1.4.0", "itbm/redis:v1.4.0", "itbm/node-exporter:1.5.0");
        Cli deploy = record(fixture.budgetctl("deploy", "--client", CLIENT, "--health-timeout", "420"));
        assertThat(deploy.code()).as(deploy.all()).isZero();
    }

    @AfterAll
    static void cleanUp() throws IOException {
        if (prometheus != null) {
            prometheus.destroy();
        }
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    @Order(1)
    void installServesNodeAndProductMetricsOverTlsWithThePasswordOnly() throws Exception {
        // when
        Cli install = record(fixture.budgetctl("monitoring", "install", "--client", CLIENT));

        // then: on the host, the key and the web config are the exporter's (uid 65534) only; the hash is bcrypt
        assertThat(install.code()).as(install.all()).isZero();
        assertThat(onHost("stat -c '%a %u:%g' /opt/itbm-monitoring/node-exporter/tls.key "
                + "/opt/itbm-monitoring/node-exporter/web-config.yml")).isEqualTo("440 0:65534\n440 0:65534\n");
        assertThat(onHost("cat /opt/itbm-monitoring/node-exporter/web-config.yml"))
                .containsPattern("\"vendor-prometheus\": \"\\$2b\\$12\\$[./A-Za-z0-9]{53}\"")
                .doesNotContain(PASSWORD);
        assertThat(onHost("cat /etc/cron.d/itbm-metrics-" + CLIENT)).contains("root /usr/local/lib/itbm-monitoring"
                + "/itbm-metrics " + CLIENT + " itbm-" + CLIENT + " /var/lib/itbm-monitoring/textfile");

        // and a real Prometheus scrapes it: with the CA and password up=1, with a wrong password or plain HTTP up=0
        startPrometheus();
        awaitQuery("up{job=\"itbm\"}", v -> v.equals("1"));
        awaitQuery("up{job=\"wrong-password\"}", v -> v.equals("0"));
        awaitQuery("up{job=\"plain-http\"}", v -> v.equals("0"));
        awaitQuery("count(node_uname_info{job=\"itbm\"})", v -> v.equals("1"));
        awaitQuery("itbm_container_up{job=\"itbm\",client=\"monco\",service=\"backend\"}", v -> v.equals("1"));
        awaitQuery("itbm_container_healthy{job=\"itbm\",service=\"backend\"}", v -> v.equals("1"));
        awaitQuery("itbm_version_info{job=\"itbm\",client=\"monco\",version=\"v1.4.0\"}", v -> v.equals("1"));
        awaitQuery("sum(itbm_container_up{job=\"itbm\"})", v -> Integer.parseInt(v) >= 5);
    }

    @Test
    @Order(2)
    void aSecondInstallChangesNothing() {
        // when
        Cli again = record(fixture.budgetctl("monitoring", "install", "--client", CLIENT));

        // then
        assertThat(again.code()).as(again.all()).isZero();
        assertThat(again.all()).containsPattern("changed=0\\b");
    }

    @Test
    @Order(3)
    void productMetricsFollowAStoppedServiceThroughCron() throws Exception {
        // given
        HOSTS.docker("exec", HOSTS.host("mon").container(), "sh", "-c",
                "docker stop $(docker ps -q --filter label=com.docker.compose.project=itbm-" + CLIENT
                        + " --filter label=com.docker.compose.service=worker)");

        // then: within cron's minute (plus a scrape) the worker is down; the rest stays up
        awaitQuery("itbm_container_up{job=\"itbm\",service=\"worker\"}", v -> v.equals("0"));
        awaitQuery("itbm_container_up{job=\"itbm\",service=\"backend\"}", v -> v.equals("1"));
        HOSTS.docker("exec", HOSTS.host("mon").container(), "sh", "-c",
                "docker start $(docker ps -aq --filter label=com.docker.compose.project=itbm-" + CLIENT
                        + " --filter label=com.docker.compose.service=worker)");
    }

    @Test
    @Order(4)
    void statusShowsTheCertificateToPinAndFreshMetrics() {
        // when
        Cli status = record(fixture.budgetctl("monitoring", "status", "--client", CLIENT));

        // then
        assertThat(status.code()).as(status.all()).isZero();
        assertThat(status.all()).contains("node exporter running at https://0.0.0.0:9100/metrics")
                .contains("certificate SHA-256 " + certSha256).containsPattern("product metrics written \\d+ s ago");
    }

    @Test
    @Order(5)
    void removeLeavesNothingBehindAndTheAppRuns() throws Exception {
        // when
        Cli remove = record(fixture.budgetctl("monitoring", "remove", "--client", CLIENT));
        Cli status = record(fixture.budgetctl("monitoring", "status", "--client", CLIENT));

        // then
        assertThat(remove.code()).as(remove.all()).isZero();
        assertThat(onHost("ls -d /opt/itbm-monitoring /var/lib/itbm-monitoring /usr/local/lib/itbm-monitoring "
                + "/etc/cron.d/itbm-metrics-" + CLIENT + " 2>/dev/null; docker ps -aq --filter "
                + "label=com.docker.compose.project=itbm-monitoring")).isEmpty();
        assertThat(status.code()).as(status.all()).isZero();
        assertThat(status.all()).contains("not installed");
        awaitQuery("up{job=\"itbm\"}", v -> v.equals("0"));
        assertThat(onHost("docker ps --filter label=com.docker.compose.project=itbm-" + CLIENT
                + " --filter label=com.docker.compose.service=backend --format '{{.Status}}'")).contains("healthy");
    }

    @Test
    @Order(6)
    void noSecretReachedAnyOutputOrTheAuditLog() throws Exception {
        // then: the password, its JSON-escaped form, the key's body, in every command's output and the audit log
        String audit = Files.readString(fixture.auditLog());
        String keyBody = keyPem.lines().filter(l -> !l.startsWith("-----")).findFirst().orElseThrow();
        for (String text : concat(outputs, List.of(audit))) {
            assertThat(text).doesNotContain(PASSWORD).doesNotContain(PASSWORD.replace("\\", "\\\\"))
                    .doesNotContain(PASSWORD.replace("\"", "\\\"")).doesNotContain(keyBody);
        }
        assertThat(audit).contains("\"action\":\"monitoring\"");
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    private static Cli record(Cli c) {
        outputs.add(c.all());
        return c;
    }

    private static String onHost(String script) throws Exception {
        return HOSTS.docker("exec", HOSTS.host("mon").container(), "sh", "-c", script);
    }

    /** Debian's Prometheus on 127.0.0.1, scraping the exporter three ways every 2 s. */
    private static void startPrometheus() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            promPort = s.getLocalPort();
        }
        Files.writeString(work.resolve("password"), PASSWORD);
        Files.writeString(work.resolve("wrong"), "not-" + PASSWORD);
        String target = "    static_configs: [{targets: ['" + ip + ":9100']}]\n";
        Files.writeString(work.resolve("prometheus.yml"), String.join("\n",
                "global: {scrape_interval: 2s, scrape_timeout: 1s}",
                "scrape_configs:",
                "  - job_name: itbm",
                "    scheme: https",
                "    tls_config: {ca_file: " + work.resolve("node.crt") + "}",
                "    basic_auth: {username: vendor-prometheus, password_file: " + work.resolve("password") + "}",
                target + "  - job_name: wrong-password",
                "    scheme: https",
                "    tls_config: {ca_file: " + work.resolve("node.crt") + "}",
                "    basic_auth: {username: vendor-prometheus, password_file: " + work.resolve("wrong") + "}",
                target + "  - job_name: plain-http",
                "    scheme: http",
                "    basic_auth: {username: vendor-prometheus, password_file: " + work.resolve("password") + "}",
                target));
        prometheus = new ProcessBuilder("prometheus", "--config.file=" + work.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + work.resolve("tsdb"), "--web.listen-address=127.0.0.1:" + promPort)
                .redirectErrorStream(true).redirectOutput(work.resolve("prometheus.log").toFile()).start();
    }

    /** Polls Prometheus's query API until the one result's value satisfies {@code ok} (100 s at most). */
    private static void awaitQuery(String query, Predicate<String> ok) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        URI uri = URI.create("http://127.0.0.1:" + promPort + "/api/v1/query?query="
                + URLEncoder.encode(query, StandardCharsets.UTF_8));
        String last = "";
        for (long end = System.nanoTime() + 100_000_000_000L; System.nanoTime() < end; Thread.sleep(1000)) {
            try {
                last = http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString())
                        .body();
                JsonNode result = new ObjectMapper().readTree(last).path("data").path("result");
                if (result.size() == 1 && ok.test(result.get(0).path("value").get(1).asText())) {
                    return;
                }
            } catch (IOException notYet) {
                last = notYet.toString();
            }
        }
        throw new AssertionError("Prometheus never answered " + query + " as expected; last answer: " + last
                + "\nits log: " + LifecycleFixture.tail(Files.readString(work.resolve("prometheus.log")), 2000));
    }
}
