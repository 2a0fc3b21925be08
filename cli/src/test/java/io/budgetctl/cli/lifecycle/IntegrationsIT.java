package io.budgetctl.cli.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static io.budgetctl.engine.testkit.Polling.poll;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.budgetctl.engine.ssh.CustomerHostsExtension;
import jakarta.mail.internet.MimeMessage;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The integrations end to end (issue 11): one customer whose client file has SMTP, OIDC single sign-on and the 1C
 * exchange, with every secret in a SOPS file, deployed once to a simulated customer server. The customer's other
 * systems run in this JVM on the gateway address of the host's network (where the containers on the host reach
 * them, as they would reach the customer's own servers): GreenMail's SMTP with a user and password (behind a relay
 * that records what the client said, to see the AUTH), an HTTPS OIDC issuer stand-in serving the discovery document
 * and the key set with a certificate from a test CA (delivered as {@code integrations.sso.ca}), and an HTTP 1C
 * receiver that checks basic auth. The steps share the deploy and run in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class IntegrationsIT {
    @RegisterExtension
    static final CustomerHostsExtension HOSTS = new CustomerHostsExtension(List.of("integ"), List.of());
    static final String CLIENT = "integco";
    static List<String> clientLines;
    static final String HEALTH_TIMEOUT = "420";
    static final ObjectMapper JSON = new ObjectMapper();
    /** The secrets, random per run so a hit can only come from this run. */
    static final String SMTP_PASSWORD = "smtp-" + random();
    static final String OIDC_SECRET = "oidc-" + random();
    static final String ONEC_PASSWORD = "onec-" + random();

    static LifecycleFixture fx;
    static String gateway;
    static GreenMail smtp;
    static SmtpRelay relay;
    static HttpsServer issuer;
    static HttpServer onec;
    static final AtomicInteger discoveryHits = new AtomicInteger();
    static final AtomicInteger jwksHits = new AtomicInteger();
    /** What the 1C receiver got: "auth-ok <query> <first line of the body>" or "auth-refused ...". */
    static final List<String> onecRequests = new CopyOnWriteArrayList<>();
    /** The 1C side changed the exchange user's password: every request is refused from now on. */
    static final AtomicBoolean onecRefuses = new AtomicBoolean();
    static final List<LifecycleFixture.Cli> outputs = new CopyOnWriteArrayList<>();

    static String random() {
        return Long.toHexString(Double.doubleToLongBits(Math.random())) + Long.toHexString(System.nanoTime());
    }

    @BeforeAll
    static void customerAndItsSystems() throws Exception {
        fx = LifecycleFixture.open(HOSTS);
        gateway = HOSTS.docker("inspect", "-f", "{{range .NetworkSettings.Networks}}{{.Gateway}}{{end}}",
                HOSTS.host("integ").container()).strip();
        Path dir = Files.createTempDirectory("budgetctl-integrations-");
        // SMTP: GreenMail on loopback with the mailer's account; the relay on the gateway records the client's side
        smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", "smtp").dynamicPort())
                .withConfiguration(GreenMailConfiguration.aConfig().withUser("itbm-mailer", SMTP_PASSWORD));
        smtp.start();
        relay = new SmtpRelay(gateway, smtp.getSmtp().getPort());
        // OIDC: an HTTPS issuer stand-in whose certificate (for the gateway's address) a test CA signed
        String caPem = issuerCertificate(dir);
        issuer = HttpsServer.create(new InetSocketAddress(gateway, 0), 0);
        issuer.setHttpsConfigurator(new HttpsConfigurator(tls(dir)));
        String base = "https://" + gateway + ":" + issuer.getAddress().getPort() + "/realms/itbm";
        issuer.createContext("/realms/itbm/.well-known/openid-configuration", ex -> {
            discoveryHits.incrementAndGet();
            respond(ex, "{\"issuer\":\"" + base + "\",\"jwks_uri\":\"" + base + "/protocol/openid-connect/certs\","
                    + "\"authorization_endpoint\":\"" + base + "/protocol/openid-connect/auth\"}");
        });
        issuer.createContext("/realms/itbm/protocol/openid-connect/certs", ex -> {
            jwksHits.incrementAndGet();
            respond(ex, "{\"keys\":[{\"kty\":\"RSA\",\"kid\":\"itbm-2026\",\"use\":\"sig\",\"n\":\"AQAB\",\"e\":\"AQAB\"},"
                    + "{\"kty\":\"EC\",\"kid\":\"itbm-next\",\"use\":\"sig\"}]}");
        });
        issuer.start();
        // 1C: HTTP with basic auth
        String expected = "Basic " + Base64.getEncoder().encodeToString(("exchange:" + ONEC_PASSWORD)
                .getBytes(StandardCharsets.UTF_8));
        onec = HttpServer.create(new InetSocketAddress(gateway, 0), 0);
        onec.createContext("/buh/hs/itbm/expenses", ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            boolean ok = !onecRefuses.get() && expected.equals(ex.getRequestHeaders().getFirst("Authorization"))
                    && ex.getRequestMethod().equals("POST");
            onecRequests.add((ok ? "auth-ok " : "auth-refused ") + ex.getRequestURI().getQuery() + " "
                    + body.lines().findFirst().orElse(""));
            ex.sendResponseHeaders(ok ? 200 : 401, -1);
            ex.close();
        });
        onec.start();
        // the repository: secrets in SOPS for a fresh age key, the client file with all three integrations
        Path key = dir.resolve("age.txt");
        TestCerts.exec("age-keygen", "-o", key.toString());
        String pub = Files.readAllLines(key).stream().filter(l -> l.startsWith("# public key: ")).findFirst()
                .orElseThrow().substring("# public key: ".length());
        Files.writeString(fx.repo().resolve(".sops.yaml"), "creation_rules:\n  - path_regex: secrets/.*\\.sops\\.yaml$\n"
                + "    age: " + pub + "\n");
        Files.createDirectories(fx.repo().resolve("secrets"));
        Path sops = fx.repo().resolve("secrets/" + CLIENT + ".sops.yaml");
        Files.writeString(sops, "smtp_password: " + SMTP_PASSWORD + "\noidc_client_secret: " + OIDC_SECRET
                + "\nonec_credentials: exchange:" + ONEC_PASSWORD + "\noidc_ca: |\n"
                + caPem.lines().map(l -> "  " + l + "\n").reduce("", String::concat));
        Map<String, String> env = new HashMap<>(LifecycleCommand.environment);
        env.put("SOPS_AGE_KEY_FILE", key.toString());
        LifecycleCommand.environment = env;
        LifecycleFixture.Cli encrypt = fx.budgetctlExactly("secrets", "encrypt", sops.toString());
        assertThat(encrypt.code()).as(encrypt.all()).isZero();
        assertThat(Files.readString(sops)).doesNotContain(SMTP_PASSWORD, OIDC_SECRET, ONEC_PASSWORD);
        String ref = "sops:secrets/" + CLIENT + ".sops.yaml#";
        clientLines = List.of("version: v1.4.0",
                "modules: [integrations-1c, sso]",
                "integrations:",
                "  smtp:",
                "    host: " + gateway,
                "    port: " + relay.port(),
                "    user: itbm-mailer",
                "    password: " + ref + "smtp_password",
                "    sender: budget@integco.example",
                "    starttls: false",
                "    recipients: [finance@integco.example, it@integco.example]",
                "  sso:",
                "    protocol: oidc",
                "    issuer: " + base,
                "    client_id: itbm-budget",
                "    client_secret: " + ref + "oidc_client_secret",
                "    ca: " + ref + "oidc_ca",
                "    scopes: [openid, email]",
                "  onec:",
                "    base_url: http://" + gateway + ":" + onec.getAddress().getPort() + "/buh/hs/itbm",
                "    credentials: " + ref + "onec_credentials",
                "    schedule: \"* * * * *\"");
        fx.customer(CLIENT, "integ", "budget.integco.example", clientLines.toArray(String[]::new));
        HOSTS.load("integ", "itbm/backend:v1.4.0", "itbm/worker:v1.4.0", "itbm/scheduler:v1.4.0",
                "itbm/frontend:v1.4.0", "itbm/postgres:v1.4.0", "itbm/redis:v1.4.0");
    }

    @AfterAll
    static void stopEverything() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {() -> issuer.stop(0), () -> onec.stop(0), relay, smtp::stop, fx}) {
            try {
                c.close();
            } catch (Exception | Error e) {
                // the others still stop
            }
        }
    }

    /** A CA and the issuer's certificate for the gateway's address, signed by it (openssl); returns the CA's PEM. */
    static String issuerCertificate(Path dir) throws Exception {
        String ca = dir.resolve("ca").toString();
        String leaf = dir.resolve("issuer").toString();
        TestCerts.exec("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", ca + ".key", "-out",
                ca + ".crt", "-subj", "/CN=IntegrationsIT test CA", "-days", "2", "-addext",
                "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        TestCerts.exec("openssl", "req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", leaf + ".key", "-out",
                leaf + ".csr", "-subj", "/CN=" + gateway);
        Files.writeString(Path.of(leaf + ".ext"), "subjectAltName=IP:" + gateway
                + "\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n");
        TestCerts.exec("openssl", "x509", "-req", "-in", leaf + ".csr", "-CA", ca + ".crt", "-CAkey", ca + ".key",
                "-CAcreateserial", "-out", leaf + ".crt", "-days", "2", "-extfile", leaf + ".ext");
        TestCerts.exec("openssl", "pkcs12", "-export", "-in", leaf + ".crt", "-inkey", leaf + ".key", "-out",
                leaf + ".p12", "-passout", "pass:changeit");
        return Files.readString(Path.of(ca + ".crt"));
    }

    static SSLContext tls(Path dir) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (FileInputStream in = new FileInputStream(dir.resolve("issuer.p12").toFile())) {
            ks.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "changeit".toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        return ctx;
    }

    static void respond(com.sun.net.httpserver.HttpExchange ex, String json) throws IOException {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(200, b.length);
        ex.getResponseBody().write(b);
        ex.close();
    }

    static LifecycleFixture.Cli budgetctl(String... args) {
        LifecycleFixture.Cli c = fx.budgetctl(args);
        outputs.add(c);
        return c;
    }

    /** GET /api/integrations through the customer's ingress, by name. */
    static Map<String, JsonNode> integrations() throws Exception {
        Map<String, JsonNode> byName = new HashMap<>();
        for (JsonNode i : JSON.readTree(fx.api(CLIENT, "GET", "/integrations", null))) {
            byName.put(i.path("name").asText(), i);
        }
        return byName;
    }

    /** Polls /api/integrations every 2 s until {@code until} holds (at most {@code seconds}). */
    static Map<String, JsonNode> awaitIntegrations(String what, int seconds, Predicate<Map<String, JsonNode>> until)
            throws Exception {
        return poll("/api/integrations shows " + what, Duration.ofSeconds(seconds), Duration.ofSeconds(2))
                .until(IntegrationsIT::integrations, until);
    }

    static boolean state(Map<String, JsonNode> m, String name, String state) {
        return m.containsKey(name) && m.get(name).path("state").asText().equals(state);
    }

    @Test
    @Order(1)
    void theDeployDeliversEveryIntegrationAndEachReportsOk() throws Exception {
        // when
        LifecycleFixture.Cli deploy = budgetctl("deploy", "--client", CLIENT, "--health-timeout", HEALTH_TIMEOUT);
        // then
        assertThat(deploy.code()).as(deploy.all()).isZero();
        Map<String, JsonNode> i = awaitIntegrations("all three ok", 120, m -> state(m, "smtp", "ok")
                && state(m, "sso", "ok") && state(m, "onec", "ok"));
        assertThat(i.get("sso").path("reason").asText()).isEqualTo(
                "discovery and 2 signing key(s) (kid itbm-2026, itbm-next) loaded from " + gateway);
        assertThat(i.get("sso").path("client_id").asText()).isEqualTo("itbm-budget");
        assertThat(i.get("sso").path("scopes").asText()).isEqualTo("openid email");
        // the check at the worker's start, or already a mail: the scheduler enqueues last month's report at start
        assertThat(i.get("smtp").path("reason").asText()).matches("connected and authenticated as itbm-mailer|sent 'IT"
                + " Budget Manager: monthly report \\d{4}-\\d{2} is ready' to finance@integco.example, it@integco.example");
        assertThat(i.get("onec").path("reason").asText()).matches("sent \\d+ expenses of \\d{4}-\\d{2} to "
                + gateway.replace(".", "\\.") + " \\(HTTP 200\\)");
        assertThat(i.get("onec").path("schedule").asText()).isEqualTo("* * * * *");
        for (JsonNode n : i.values()) {
            assertThat(n.path("configured").asBoolean()).as(n.toString()).isTrue();
            assertThat(n.path("last_checked").asText()).as(n.toString()).matches("\\d{4}-\\d{2}-\\d{2}T.*Z");
        }
        // the issuer stand-in served both documents; the 1C receiver got the exchange with the credentials
        assertThat(discoveryHits.get()).isPositive();
        assertThat(jwksHits.get()).isPositive();
        assertThat(onecRequests).isNotEmpty().allMatch(r -> r.startsWith("auth-ok period=")
                && r.endsWith(" cost_centre;spent_on;amount;description"));
    }

    @Test
    @Order(2)
    void theMonthlyReportIsMailedFromTheSenderAfterLoggingInAsTheMailer() throws Exception {
        // given
        assertThat(fx.api(CLIENT, "POST", "/cost-centres", "{\"code\":\"CC-IT\",\"name\":\"IT\"}")).contains("CC-IT");
        // when: the product's event: a monthly report is written by the worker (October: the scheduler enqueues only
        // the previous month's by itself)
        assertThat(fx.api(CLIENT, "POST", "/reports", "{\"period\":\"2026-10\"}")).contains("queued");
        // then: one mail per recipient
        List<MimeMessage> mails = poll("the October report's mail, once per recipient",
                Duration.ofSeconds(60), Duration.ofSeconds(1))
                .until(() -> {
                    List<MimeMessage> october = new ArrayList<>();
                    for (MimeMessage m : smtp.getReceivedMessages()) {
                        if ("IT Budget Manager: monthly report 2026-10 is ready".equals(m.getSubject())) {
                            october.add(m);
                        }
                    }
                    return october;
                }, october -> october.size() >= 2);
        assertThat(mails).as("the October report's mail, once per recipient, within 60 s").hasSize(2);
        MimeMessage mail = mails.get(0);
        assertThat(mail.getFrom()[0].toString()).isEqualTo("budget@integco.example");
        assertThat(List.of(mail.getAllRecipients()).toString()).contains("finance@integco.example",
                "it@integco.example");
        assertThat(((String) mail.getContent())).contains("The monthly report for 2026-10 has been written.",
                "Instance: integco (v1.4.0)");
        // the client logged in as the configured user with the configured password before MAIL FROM
        String said = relay.clientSaid();
        assertThat(relay.authenticatedAs()).as(said).isEqualTo("itbm-mailer:" + SMTP_PASSWORD);
        assertThat(said.indexOf("AUTH ")).isLessThan(said.indexOf("MAIL FROM:<budget@integco.example>"))
                .isNotNegative();
        Map<String, JsonNode> i = awaitIntegrations("the October mail as smtp's last result", 30, m -> m.get("smtp")
                .path("reason").asText().contains("2026-10"));
        assertThat(i.get("smtp").path("reason").asText()).isEqualTo("sent 'IT Budget Manager: monthly report 2026-10"
                + " is ready' to finance@integco.example, it@integco.example");
    }

    @Test
    @Order(3)
    void statusShowsEachIntegrationAndEachSecretOnlyReachesTheServiceThatUsesIt() throws Exception {
        // when
        LifecycleFixture.Cli human = budgetctl("status", "--client", CLIENT);
        LifecycleFixture.Cli json = budgetctl("status", "--client", CLIENT, "-o", "json");
        // then
        assertThat(human.code()).as(human.all()).isZero();
        assertThat(human.out()).contains("  integrations:\n    smtp  ok              sent 'IT Budget Manager",
                "\n    sso   ok              discovery and 2 signing key(s)", "\n    onec  ok              sent ");
        assertThat(json.code()).as(json.all()).isZero();
        JsonNode doc = JSON.readTree(json.out());
        assertThat(doc.path("integrations").findValuesAsText("state")).containsExactly("ok", "ok", "ok");
        // least privilege: the backend has the OIDC secret and CA, the worker the SMTP password and 1C credentials
        assertThat(mounts("backend")).contains("/run/secrets/oidc_client_secret", "/run/secrets/oidc_ca")
                .doesNotContain("/run/secrets/smtp_password", "/run/secrets/onec_credentials");
        assertThat(mounts("worker")).contains("/run/secrets/smtp_password", "/run/secrets/onec_credentials")
                .doesNotContain("/run/secrets/oidc_client_secret");
        assertThat(fx.onHostOf(CLIENT, "cd /opt/itbm/" + CLIENT + "/current/secrets && stat -c '%n %a %u'"
                + " smtp_password oidc_client_secret oidc_ca onec_credentials")).isEqualTo(String.join("\n",
                "smtp_password 400 10001", "oidc_client_secret 400 10001", "oidc_ca 400 10001",
                "onec_credentials 400 10001"));
    }

    static String mounts(String service) throws Exception {
        return fx.onHostOf(CLIENT, "docker inspect -f '{{range .Mounts}}{{.Destination}} {{end}}' "
                + fx.container(CLIENT, service));
    }

    @Test
    @Order(4)
    void refusedCredentialsShowAsFailingWithTheReasonInTheApiAndStatus() throws Exception {
        // when: the 1C side changes the exchange user's password
        onecRefuses.set(true);
        // then: the next scheduled exchange (every minute) fails and says why
        Map<String, JsonNode> i = awaitIntegrations("onec failing", 100, m -> state(m, "onec", "failing"));
        String reason = i.get("onec").path("reason").asText();
        assertThat(reason).startsWith("1C refused the credentials of user exchange (HTTP 401 from " + gateway + ":");
        assertThat(onecRequests).anyMatch(r -> r.startsWith("auth-refused "));
        assertThat(i.get("smtp").path("state").asText()).isEqualTo("ok");
        LifecycleFixture.Cli status = budgetctl("status", "--client", CLIENT);
        assertThat(status.code()).as("the services are still healthy: " + status.all()).isZero();
        assertThat(status.out()).contains("    onec  failing         " + reason);
    }

    @Test
    @Order(5)
    void aSettingOfOneServiceRecreatesThatServiceOnlyAsPlanSays() throws Exception {
        // given: every container's id, and the 1C schedule changed in the client file (the worker's setting)
        List<String> services = List.of("backend", "scheduler", "worker", "frontend", "ingress", "postgres", "redis");
        Map<String, String> before = new java.util.LinkedHashMap<>();
        for (String s : services) {
            before.put(s, fx.container(CLIENT, s));
        }
        assertThat(before.values()).allMatch(id -> !id.isEmpty());
        List<String> lines = new ArrayList<>(clientLines);
        lines.set(lines.indexOf("    schedule: \"* * * * *\""), "    schedule: \"*/5 * * * *\"");
        fx.reconfigure(CLIENT, lines.toArray(String[]::new));

        // when
        LifecycleFixture.Cli plan = budgetctl("plan", "--client", CLIENT);
        LifecycleFixture.Cli deploy = budgetctl("deploy", "--client", CLIENT, "--health-timeout", HEALTH_TIMEOUT);

        // then: plan names the worker alone, and the deploy recreated the worker alone (mounts and secrets kept
        // their paths); the worker runs with the new schedule
        assertThat(plan.code()).as(plan.all()).isEqualTo(2);
        assertThat(plan.out()).contains("integrations.onec.schedule: * * * * * -> */5 * * * *")
                .contains("restarts:   worker\n");
        assertThat(deploy.code()).as(deploy.all()).isZero();
        for (String s : services) {
            String now = fx.container(CLIENT, s);
            if (s.equals("worker")) {
                assertThat(now).as(s).isNotEqualTo(before.get(s));
            } else {
                assertThat(now).as(s + " kept its container").isEqualTo(before.get(s));
            }
        }
        assertThat(fx.onHostOf(CLIENT, "docker inspect -f '{{range .Config.Env}}{{println .}}{{end}}' "
                + fx.container(CLIENT, "worker"))).contains("ONEC_SCHEDULE=*/5 * * * *");
        // and the new release mounts exactly what the one before it did (licence, ingress, tls and 11 secrets)
        String mounts = fx.onHostOf(CLIENT, "cd /opt/itbm/" + CLIENT + "/releases && for r in $(ls -1tr | tail -n 2);"
                + " do grep '^ITBM_MOUNT_' \"$r/.env\" | sort | md5sum; done");
        assertThat(mounts.lines().distinct().count()).as(mounts).isEqualTo(1);
        assertThat(fx.onHostOf(CLIENT, "grep -c '^ITBM_MOUNT_' /opt/itbm/" + CLIENT + "/current/.env").strip())
                .isEqualTo("14");
    }

    @Test
    @Order(6)
    void noSecretInOutputEnvReleaseRecordContainerEnvironmentLogsOrAudit() throws Exception {
        // given
        String dir = "/opt/itbm/" + CLIENT;
        Map<String, String> places = new java.util.LinkedHashMap<>();
        StringBuilder cli = new StringBuilder();
        outputs.forEach(c -> cli.append(c.all()).append('\n'));
        places.put("budgetctl output", cli.toString());
        places.put(".env", fx.onHostOf(CLIENT, "cat " + dir + "/current/.env"));
        places.put("release.json", fx.onHostOf(CLIENT, "cat " + dir + "/current/release.json"));
        places.put("docker inspect", fx.onHostOf(CLIENT, "docker inspect $(docker ps -aq)"));
        places.put("container logs", fx.onHostOf(CLIENT, "for c in $(docker ps -aq); do docker logs $c 2>&1; done"));
        places.put("host audit.log", fx.hostAudit(CLIENT));
        places.put("controller audit", Files.exists(fx.auditLog()) ? Files.readString(fx.auditLog()) : "");
        places.put("/api/integrations", fx.api(CLIENT, "GET", "/integrations", null));
        // then: the non-secret settings are there, the secrets nowhere
        assertThat(places.get(".env")).contains("SMTP_USER=itbm-mailer", "OIDC_CLIENT_ID=itbm-budget",
                "ONEC_SCHEDULE=*/5 * * * *");
        assertThat(places.get("container logs")).contains("worker: integration onec failing: 1C refused");
        List<String> hits = new ArrayList<>();
        for (Map.Entry<String, String> p : places.entrySet()) {
            for (String secret : List.of(SMTP_PASSWORD, OIDC_SECRET, ONEC_PASSWORD)) {
                if (p.getValue().contains(secret)) {
                    hits.add(p.getKey() + " holds " + secret.substring(0, 4) + "...");
                }
            }
        }
        assertThat(hits).isEmpty();
    }

    /**
     * A TCP relay in front of GreenMail on {@code bind}: forwards both ways and keeps what the client said (plain SMTP
     * here, so AUTH and MAIL FROM can be read).
     */
    static final class SmtpRelay implements AutoCloseable {
        private final ServerSocket server;
        private final StringBuffer said = new StringBuffer();

        SmtpRelay(String bind, int target) throws IOException {
            server = new ServerSocket(0, 50, InetAddress.getByName(bind));
            Thread accept = new Thread(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket client = server.accept();
                        Socket upstream = new Socket("127.0.0.1", target);
                        pump(client.getInputStream(), upstream.getOutputStream(), true, client, upstream);
                        pump(upstream.getInputStream(), client.getOutputStream(), false, client, upstream);
                    } catch (IOException e) {
                        // closed
                    }
                }
            }, "smtp-relay");
            accept.setDaemon(true);
            accept.start();
        }

        private void pump(InputStream in, OutputStream out, boolean record, Socket a, Socket b) {
            Thread t = new Thread(() -> {
                byte[] buf = new byte[8192];
                try (a; b) {
                    for (int n; (n = in.read(buf)) > 0; ) {
                        if (record) {
                            said.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
                        }
                        out.write(buf, 0, n);
                        out.flush();
                    }
                } catch (IOException e) {
                    // connection over
                }
            }, "smtp-relay-pump");
            t.setDaemon(true);
            t.start();
        }

        int port() {
            return server.getLocalPort();
        }

        String clientSaid() {
            return said.toString();
        }

        /**
         * "user:password" of the last AUTH LOGIN or AUTH PLAIN the client sent (decoded), or "" when it sent none.
         */
        String authenticatedAs() {
            List<String> lines = List.of(said.toString().split("\r\n"));
            String found = "";
            for (int k = 0; k < lines.size(); k++) {
                String l = lines.get(k);
                if (l.startsWith("AUTH PLAIN")) {
                    String blob = l.length() > "AUTH PLAIN ".length() ? l.substring("AUTH PLAIN ".length())
                            : lines.get(k + 1);
                    String[] parts = decode(blob).split("\0", -1);
                    found = parts[1] + ":" + parts[2];
                } else if (l.startsWith("AUTH LOGIN")) {
                    String user = l.length() > "AUTH LOGIN ".length() ? decode(l.substring("AUTH LOGIN ".length()))
                            : decode(lines.get(++k));
                    found = user + ":" + decode(lines.get(k + 1));
                }
            }
            return found;
        }

        private static String decode(String b64) {
            return new String(Base64.getDecoder().decode(b64.strip()), StandardCharsets.UTF_8);
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
