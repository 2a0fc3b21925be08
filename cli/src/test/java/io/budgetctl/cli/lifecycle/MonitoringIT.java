package io.budgetctl.cli.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static io.budgetctl.engine.testkit.Polling.poll;

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
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.awaitility.core.ConditionTimeoutException;
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
 * changes nothing; no secret reaches any output; remove leaves nothing behind. The log shipper (rsyslog in
 * itbm/log-shipper) sends the backend's container lines and the host's journal (a real systemd-journald on the
 * simulated host) over RELP and TLS to a real rsyslog collector (same image, on the outer Docker on the hosts'
 * network, mutual TLS from a test CA: the collector accepts only the customer's client certificate, whose key comes
 * from SOPS), labelled exactly; lines written while the collector is down wait in the disk queue
 * and arrive when it is back. The steps share one host and one deploy and run in order.
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
    static final String COLLECTOR_NAME = "collector.itbm.test";
    /** The name on the customer's client certificate, the only one the collector lets in. */
    static final String SHIPPER_NAME = CLIENT + ".shippers.itbm.test";
    static String shipperKeyPem;
    static List<String> clientLines;
    static String collector;
    static String collectorIp;

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
        startCollector(repo);
        Files.writeString(secrets, "node_exporter_password: " + new ObjectMapper().writeValueAsString(PASSWORD)
                + "\nnode_exporter_key: |\n" + keyPem.indent(2) + "log_shipper_key: |\n" + shipperKeyPem.indent(2));
        Cli encrypt = fixture.budgetctlExactly("secrets", "encrypt", secrets.toString());
        assertThat(encrypt.code()).as(encrypt.all()).isZero();
        assertThat(Files.readString(secrets)).doesNotContain(PASSWORD).doesNotContain("PRIVATE KEY-----\n");
        Map<String, String> env = new HashMap<>(LifecycleCommand.env());
        env.put("SOPS_AGE_KEY_FILE", age.toString());
        LifecycleCommand.environment = env;
        clientLines = List.of("version: v1.4.0",
                "monitoring:",
                "  node_exporter:",
                "    listen: 0.0.0.0:9100",
                "    user: vendor-prometheus",
                "    password: sops:secrets/" + CLIENT + ".sops.yaml#node_exporter_password",
                "    tls:",
                "      cert: monitoring/monco-node.crt",
                "      key: sops:secrets/" + CLIENT + ".sops.yaml#node_exporter_key",
                "  logs:",
                "    collector: " + collectorIp + ":2514",
                "    name: " + COLLECTOR_NAME,
                "    ca: monitoring/collector-ca.pem",
                "    cert: monitoring/" + CLIENT + "-shipper.crt",
                "    key: sops:secrets/" + CLIENT + ".sops.yaml#log_shipper_key",
                "    buffer: 64m");
        fixture.customer(CLIENT, "mon", "budget.monco.example", clientLines.toArray(String[]::new));
        HOSTS.load("mon", "itbm/backend:v1.4.0", "itbm/worker:v1.4.0", "itbm/scheduler:v1.4.0",
                "itbm/frontend:v1.4.0", "itbm/postgres:v1.4.0", "itbm/redis:v1.4.0", "itbm/node-exporter:1.5.0",
                "itbm/log-shipper:8.2302");
        Cli deploy = record(fixture.budgetctl("deploy", "--client", CLIENT, "--health-timeout", "420"));
        assertThat(deploy.code()).as(deploy.all()).isZero();
    }

    @AfterAll
    static void cleanUp() throws Exception {
        if (prometheus != null) {
            prometheus.destroy();
        }
        if (collector != null) {
            HOSTS.docker("rm", "-f", collector);
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
    void theCollectorReceivesTheBackendsLinesAndTheJournalLabelled() throws Exception {
        // given: the shipper runs with nothing but what it needs
        assertThat(onHost("docker inspect -f '{{.State.Status}} {{.HostConfig.ReadonlyRootfs}} {{.HostConfig.CapDrop}}'"
                + " itbm-monitoring-logs-rsyslog")).isEqualTo("running true [ALL]\n");
        assertThat(onHost("stat -c '%a %U' /opt/itbm-monitoring/logs/rsyslog.conf /var/lib/itbm-monitoring/log-shipper"
                + " /opt/itbm-monitoring/logs/shipper.key")).isEqualTo("444 root\n700 root\n400 root\n");
        String marker = "itbm-log-" + Long.toHexString(System.nanoTime());

        // when: the backend writes a line to its standard output, a host service to the journal (through /dev/log)
        onHost("docker exec " + backend() + " sh -c 'echo " + marker + "-backend >/proc/1/fd/1'");
        onHost("logger -t itbm-it " + marker + "-journal");

        // then: both arrive, labelled exactly (customer, environment, host, source, service, version, stream)
        JsonNode b = awaitReceived(marker + "-backend", 60).get(0);
        assertThat(b.path("customer").asText()).isEqualTo(CLIENT);
        assertThat(b.path("environment").asText()).isEqualTo("demo");
        assertThat(b.path("source").asText()).isEqualTo("container");
        assertThat(b.path("service").asText()).isEqualTo("backend");
        assertThat(b.path("version").asText()).isEqualTo("v1.4.0");
        assertThat(b.path("stream").asText()).isEqualTo("stdout");
        assertThat(b.path("message").asText()).isEqualTo(marker + "-backend");
        assertThat(b.path("time").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        JsonNode j = awaitReceived(marker + "-journal", 60).get(0);
        assertThat(j.path("customer").asText()).isEqualTo(CLIENT);
        assertThat(j.path("environment").asText()).isEqualTo("demo");
        assertThat(j.path("source").asText()).isEqualTo("journal");
        assertThat(j.path("service").asText()).isEqualTo("itbm-it");
        assertThat(j.path("message").asText()).isEqualTo(marker + "-journal");
        assertThat(j.path("host").asText()).isEqualTo(b.path("host").asText()).isNotEmpty();
        // and nothing of other Compose projects leaves the server (the node exporter's, the shipper's own lines)
        assertThat(collectorFile()).doesNotContain("\"service\":\"node-exporter\"")
                .doesNotContain("\"service\":\"rsyslog\"");
    }

    @Test
    @Order(2)
    void theCollectorLetsInOnlyTheCustomersCertificate() throws Exception {
        // the shipper's lines arriving prove something only if the collector refuses what is not that certificate:
        // a RELP open (openssl as the client, from the controller) with the customer's certificate gets its answer,
        // without a certificate the handshake fails, with another name from the same CA the session is closed
        Path other = work.resolve("other.key");
        issueFromLogCa("other.shippers.itbm.test", other, work.resolve("other.crt"));
        assertThat(relpOpen(work.resolve("shipper.key"), fixture.repo().resolve("monitoring/" + CLIENT
                + "-shipper.crt"))).contains("1 rsp ").contains("200 OK");
        assertThat(relpOpen(null, null)).doesNotContain("rsp")
                .containsAnyOf("certificate required", "errno=104", "unexpected eof");
        // (librelp either answers serverclose or resets the connection, depending on timing: never a session)
        assertThat(relpOpen(other, work.resolve("other.crt"))).doesNotContain("200 OK").doesNotContain("relp_software")
                .containsAnyOf("serverclose", "errno=104", "unexpected eof");
    }

    @Test
    @Order(3)
    void aSecondInstallChangesNothing() {
        // when
        Cli again = record(fixture.budgetctl("monitoring", "install", "--client", CLIENT));

        // then
        assertThat(again.code()).as(again.all()).isZero();
        assertThat(again.all()).containsPattern("changed=0\\b");
    }

    @Test
    @Order(4)
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
    @Order(5)
    void statusShowsTheCertificateToPinAndFreshMetrics() {
        // when
        Cli status = record(fixture.budgetctl("monitoring", "status", "--client", CLIENT));

        // then
        assertThat(status.code()).as(status.all()).isZero();
        assertThat(status.all()).contains("node exporter running at https://0.0.0.0:9100/metrics")
                .contains("certificate SHA-256 " + certSha256).containsPattern("product metrics written \\d+ s ago")
                .contains("log shipper running sending to " + collectorIp + ":2514 (RELP over TLS)");
    }

    @Test
    @Order(6)
    void linesWrittenWhileTheCollectorIsDownArriveWhenItIsBack() throws Exception {
        // given: the collector's rsyslog is stopped (its container, address and received file stay)
        stopCollector();
        String marker = "itbm-away-" + Long.toHexString(System.nanoTime());

        // when: the backend logs 20 lines meanwhile
        onHost("docker exec " + backend() + " sh -c 'for i in $(seq 1 20); do echo " + marker
                + "-$i >/proc/1/fd/1; sleep 0.05; done'");

        // then: they wait in the disk queue on the server (rsyslog writes it in checkpoints of 10), not in the collector
        String queued = "cat /var/lib/itbm-monitoring/log-shipper/itbm-forward.0* 2>/dev/null"
                + " | grep -ao '" + marker + "-[0-9]*' | sort -u | wc -l";
        poll("lines in the disk queue", Duration.ofSeconds(30), Duration.ofMillis(500))
                .untilAsserted(() -> assertThat(Integer.parseInt(onHost(queued).strip()))
                        .as("lines of %s in the disk queue", marker).isGreaterThanOrEqualTo(10));
        assertThat(collectorFile()).doesNotContain(marker);
        Cli status = record(fixture.budgetctl("monitoring", "status", "--client", CLIENT));
        assertThat(status.all()).containsPattern("log shipper running .* [1-9][0-9]* bytes queued on disk");

        // and when the collector is back, every one of them arrives, labelled
        startCollectorProcess();
        awaitReceived(marker + "-20", 60);
        for (int i = 1; i <= 20; i++) {
            JsonNode line = awaitReceived(marker + "-" + i, 5).get(0);
            assertThat(line.path("service").asText()).isEqualTo("backend");
            assertThat(line.path("customer").asText()).isEqualTo(CLIENT);
        }
    }

    @Test
    @Order(7)
    void removeLeavesNothingBehindAndTheAppRuns() throws Exception {
        // when
        Cli remove = record(fixture.budgetctl("monitoring", "remove", "--client", CLIENT));
        Cli status = record(fixture.budgetctl("monitoring", "status", "--client", CLIENT));

        // then
        assertThat(remove.code()).as(remove.all()).isZero();
        assertThat(onHost("ls -d /opt/itbm-monitoring /var/lib/itbm-monitoring /usr/local/lib/itbm-monitoring "
                + "/etc/cron.d/itbm-metrics-" + CLIENT + " 2>/dev/null; docker ps -aq --filter "
                + "label=com.docker.compose.project=itbm-monitoring; docker ps -aq --filter "
                + "label=com.docker.compose.project=itbm-monitoring-logs")).isEmpty();
        assertThat(status.code()).as(status.all()).isZero();
        assertThat(status.all()).contains("not installed").contains("log shipper not installed");
        awaitQuery("up{job=\"itbm\"}", v -> v.equals("0"));
        assertThat(onHost("docker ps --filter label=com.docker.compose.project=itbm-" + CLIENT
                + " --filter label=com.docker.compose.service=backend --format '{{.Status}}'")).contains("healthy");
    }

    @Test
    @Order(8)
    void thePackageSourceRunsDebiansExporterAndRemoveTakesItAway() throws Exception {
        // given: the same customer switched to Debian's package (the simulated server's apt source is a local
        // mirror holding prometheus-node-exporter, deploy/images/customerhost)
        List<String> lines = new ArrayList<>(clientLines);
        lines.add(lines.indexOf("  node_exporter:") + 1, "    source: package");
        fixture.reconfigure(CLIENT, lines.toArray(String[]::new));

        // when
        Cli install = record(fixture.budgetctl("monitoring", "install", "--client", CLIENT));

        // then: the package's exporter runs as its own user with our arguments, no container; the key and the web
        // config are readable by its group only; Prometheus scrapes it as before, through TLS and the password
        assertThat(install.code()).as(install.all()).isZero();
        assertThat(onHost("dpkg-query -W -f '${Status}' prometheus-node-exporter")).isEqualTo("install ok installed");
        assertThat(onHost("ps -o user= -C prometheus-node-exporter")).isEqualTo("prometheus\n");
        assertThat(onHost("cat /etc/default/prometheus-node-exporter")).contains("--web.listen-address=0.0.0.0:9100"
                + " --web.config.file=/opt/itbm-monitoring/node-exporter/web-config.yml");
        assertThat(onHost("docker ps -aq --filter label=com.docker.compose.project=itbm-monitoring")).isEmpty();
        assertThat(onHost("stat -c '%a %U:%G' /opt/itbm-monitoring/node-exporter/tls.key "
                + "/opt/itbm-monitoring/node-exporter/web-config.yml"))
                .isEqualTo("440 root:prometheus\n440 root:prometheus\n");
        awaitQuery("up{job=\"itbm\"}", v -> v.equals("1"));
        awaitQuery("up{job=\"wrong-password\"}", v -> v.equals("0"));
        awaitQuery("itbm_container_up{job=\"itbm\",client=\"monco\",service=\"backend\"}", v -> v.equals("1"));

        // and a second install changes nothing, status names the source
        Cli again = record(fixture.budgetctl("monitoring", "install", "--client", CLIENT));
        assertThat(again.code()).as(again.all()).isZero();
        assertThat(again.all()).containsPattern("changed=0\\b");
        Cli status = record(fixture.budgetctl("monitoring", "status", "--client", CLIENT));
        assertThat(status.code()).as(status.all()).isZero();
        assertThat(status.all()).contains("node exporter (Debian package) running at https://0.0.0.0:9100/metrics");

        // when: removed
        Cli remove = record(fixture.budgetctl("monitoring", "remove", "--client", CLIENT));

        // then: the package is purged with its argument file, no exporter runs, nothing of ours is left
        assertThat(remove.code()).as(remove.all()).isZero();
        assertThat(onHost("dpkg -s prometheus-node-exporter >/dev/null 2>&1 && echo installed; "
                + "ls /etc/default/prometheus-node-exporter /opt/itbm-monitoring 2>/dev/null; "
                + "pidof prometheus-node-exporter; true")).isEmpty();
        awaitQuery("up{job=\"itbm\"}", v -> v.equals("0"));
    }

    @Test
    @Order(9)
    void noSecretReachedAnyOutputOrTheAuditLog() throws Exception {
        // then: the password, its JSON-escaped form, the key's body, in every command's output and the audit log
        String audit = Files.readString(fixture.auditLog());
        String keyBody = keyPem.lines().filter(l -> !l.startsWith("-----")).findFirst().orElseThrow();
        String shipperKeyBody = shipperKeyPem.lines().filter(l -> !l.startsWith("-----")).findFirst().orElseThrow();
        for (String text : concat(outputs, List.of(audit))) {
            assertThat(text).doesNotContain(PASSWORD).doesNotContain(PASSWORD.replace("\\", "\\\\"))
                    .doesNotContain(PASSWORD.replace("\"", "\\\"")).doesNotContain(keyBody)
                    .doesNotContain(shipperKeyBody);
        }
        assertThat(audit).contains("\"action\":\"monitoring\"");
    }

    private static String backend() throws Exception {
        String id = onHost("docker ps -q --filter label=com.docker.compose.project=itbm-" + CLIENT
                + " --filter label=com.docker.compose.service=backend").strip();
        assertThat(id).matches("[0-9a-f]{12}");
        return id;
    }

    /**
     * The vendor's side: rsyslog (the shipper's own image) on the outer Docker, on the customer hosts' network,
     * receiving RELP over TLS with a certificate for {@link #COLLECTOR_NAME} from a test CA whose certificate goes
     * into the deployments repository; it writes each message (the shipper's JSON) as a line to
     * /var/log/received.log inside its container. The container idles; rsyslogd runs in it through docker exec, so
     * the test can stop and start the collector's process while its address stays.
     */
    private static void startCollector(Path repo) throws Exception {
        Path dir = Files.createDirectories(work.resolve("collector"));
        TestCerts.exec("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-days", "30", "-subj", "/CN=itbm test log CA", "-keyout", work.resolve("log-ca.key").toString(),
                "-out", dir.resolve("ca.pem").toString());
        issueFromLogCa(COLLECTOR_NAME, dir.resolve("key.pem"), dir.resolve("cert.pem"));
        Files.copy(dir.resolve("ca.pem"), repo.resolve("monitoring/collector-ca.pem"));
        // the customer's client certificate from the same CA: the certificate into the repository, its key to SOPS
        issueFromLogCa(SHIPPER_NAME, work.resolve("shipper.key"), repo.resolve("monitoring/" + CLIENT + "-shipper.crt"));
        shipperKeyPem = Files.readString(work.resolve("shipper.key"));
        Files.writeString(dir.resolve("collector.conf"), String.join("\n",
                "global(workDirectory=\"/tmp\")",
                "module(load=\"imrelp\" tls.tlslib=\"openssl\")",
                "input(type=\"imrelp\" port=\"2514\" tls=\"on\" tls.caCert=\"/c/ca.pem\""
                        + " tls.myCert=\"/c/cert.pem\" tls.myPrivKey=\"/c/key.pem\""
                        + " tls.authMode=\"name\" tls.permittedPeer=[\"" + SHIPPER_NAME + "\"])",
                "template(name=\"json\" type=\"string\" string=\"%msg%\\n\")",
                "action(type=\"omfile\" file=\"/var/log/received.log\" template=\"json\")", ""));
        for (String f : List.of("ca.pem", "cert.pem", "key.pem", "collector.conf")) {
            dir.resolve(f).toFile().setReadable(true, false);
        }
        String host = HOSTS.host("mon").container();
        String network = HOSTS.docker("inspect", "-f",
                "{{range $k, $v := .NetworkSettings.Networks}}{{$k}}{{end}}", host).strip();
        collector = host + "-collector";
        // --init: something reaps the collector's rsyslogd when the test stops it
        HOSTS.docker("run", "-d", "--init", "--name", collector, "--network", network, "-v", dir + ":/c:ro",
                "--entrypoint", "sleep", "itbm/log-shipper:8.2302", "infinity");
        collectorIp = HOSTS.docker("inspect", "-f", "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}",
                collector).strip();
        startCollectorProcess();
    }

    /** What the collector answers a RELP open over TLS presenting {@code cert} (none when null). */
    private static String relpOpen(Path key, Path cert) throws Exception {
        String offers = "relp_version=0\nrelp_software=itbm-it\ncommands=syslog";
        List<String> cmd = new ArrayList<>(List.of("timeout", "5", "openssl", "s_client", "-quiet", "-connect",
                collectorIp + ":2514", "-CAfile", work.resolve("collector/ca.pem").toString(), "-verify_hostname",
                COLLECTOR_NAME));
        if (cert != null) {
            cmd.addAll(List.of("-cert", cert.toString(), "-key", key.toString()));
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().write(("1 open " + offers.length() + " " + offers + "\n").getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().flush();
        // s_client ends at the server's alert or close; a session that was let in stays open until timeout ends it
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }

    /** A key and a certificate for {@code name} (CN and DNS SAN), signed by the test's log CA. */
    private static void issueFromLogCa(String name, Path key, Path cert) throws Exception {
        Path csr = work.resolve(name + ".csr");
        TestCerts.exec("openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-subj",
                "/CN=" + name, "-addext", "subjectAltName=DNS:" + name, "-keyout", key.toString(), "-out",
                csr.toString());
        TestCerts.exec("openssl", "x509", "-req", "-in", csr.toString(), "-CA",
                work.resolve("collector/ca.pem").toString(), "-CAkey", work.resolve("log-ca.key").toString(),
                "-CAcreateserial", "-days", "30", "-copy_extensions", "copy", "-out", cert.toString());
    }

    private static void startCollectorProcess() throws Exception {
        HOSTS.docker("exec", collector, "rsyslogd", "-i", "/run/collector.pid", "-f", "/c/collector.conf");
        try {
            poll("the collector listens on 2514", Duration.ofSeconds(5), Duration.ofMillis(100))
                    .until(() -> HOSTS.docker("exec", collector, "sh", "-c", "test -s /run/collector.pid && "
                            + "grep -qi ':09D2 ' /proc/net/tcp /proc/net/tcp6 && echo up || true").contains("up"));
        } catch (ConditionTimeoutException notYet) {
            // not listening yet was never a failure here: the tests check what the collector receives (awaitReceived)
        }
    }

    /** Ends the collector's rsyslogd (the one the test started, by its pid file) and waits until it is gone. */
    private static void stopCollector() throws Exception {
        HOSTS.docker("exec", collector, "sh", "-c", "pid=$(cat /run/collector.pid) && kill $pid && "
                + "while kill -0 $pid 2>/dev/null; do sleep 0.1; done; rm -f /run/collector.pid");
    }

    private static String collectorFile() throws Exception {
        return HOSTS.docker("exec", collector, "sh", "-c", "cat /var/log/received.log 2>/dev/null || true");
    }

    /** The collector's lines whose message is exactly {@code message}, once one arrived (within {@code seconds}). */
    private static List<JsonNode> awaitReceived(String message, int seconds) throws Exception {
        ObjectMapper json = new ObjectMapper();
        AtomicReference<String> all = new AtomicReference<>("");
        try {
            return poll("the collector received '" + message + "'", Duration.ofSeconds(seconds), Duration.ofMillis(500))
                    .until(() -> {
                        all.set(collectorFile());
                        List<JsonNode> found = new ArrayList<>();
                        for (String line : all.get().lines().toList()) {
                            if (line.contains(message)) {
                                JsonNode node = json.readTree(line.strip());
                                if (node.path("message").asText().equals(message)) {
                                    found.add(node);
                                }
                            }
                        }
                        return found;
                    }, found -> !found.isEmpty());
        } catch (ConditionTimeoutException never) {
            throw new AssertionError("the collector never received '" + message + "'; it has:\n"
                    + LifecycleFixture.tail(all.get(), 3000) + "\nthe shipper's log:\n"
                    + onHost("docker logs --tail 30 itbm-monitoring-logs-rsyslog 2>&1 || true"), never);
        }
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
        AtomicReference<String> last = new AtomicReference<>("");
        try {
            poll("Prometheus answers " + query, Duration.ofSeconds(100), Duration.ofSeconds(1))
                    .until(() -> {
                        try {
                            last.set(http.send(HttpRequest.newBuilder(uri).GET().build(),
                                    HttpResponse.BodyHandlers.ofString()).body());
                            JsonNode result = new ObjectMapper().readTree(last.get()).path("data").path("result");
                            return result.size() == 1 && ok.test(result.get(0).path("value").get(1).asText());
                        } catch (IOException notYet) {
                            last.set(notYet.toString());
                            return false;
                        }
                    });
        } catch (ConditionTimeoutException never) {
            throw new AssertionError("Prometheus never answered " + query + " as expected; last answer: "
                    + last.get() + "\nits log: "
                    + LifecycleFixture.tail(Files.readString(work.resolve("prometheus.log")), 2000), never);
        }
    }
}
