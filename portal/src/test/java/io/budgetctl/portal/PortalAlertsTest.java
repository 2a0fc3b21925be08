package io.budgetctl.portal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import com.sun.net.httpserver.HttpServer;
import jakarta.mail.internet.MimeMessage;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Alerts on silence against a real SMTP server (GreenMail, in this JVM) and a webhook receiver on loopback: a
 * customer that never reported and one that falls silent raise one STALE alert each, a customer that reports again a
 * RECOVERED one, nothing is repeated (not even after a restart), and an alert no channel took is tried again.
 */
class PortalAlertsTest {
    @RegisterExtension
    static final GreenMailExtension SMTP = new GreenMailExtension(
            new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());

    @TempDir
    Path dir;
    TestPortal.MovableClock clock = new TestPortal.MovableClock(Instant.parse("2026-12-05T08:00:00Z"));
    HttpServer hook;
    final List<String> posted = new CopyOnWriteArrayList<>();
    final AtomicInteger hookStatus = new AtomicInteger(200);

    @BeforeEach
    void webhook() throws Exception {
        hook = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        hook.createContext("/hooks/alerts", ex -> {
            posted.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            ex.sendResponseHeaders(hookStatus.get(), -1);
            ex.close();
        });
        hook.start();
    }

    @AfterEach
    void stop() {
        hook.stop(0);
    }

    private String hookUrl() {
        return "http://127.0.0.1:" + hook.getAddress().getPort() + "/hooks/alerts";
    }

    private TestPortal start(String... alerting) throws Exception {
        return TestPortal.start(dir, TestPortal.h2(dir), dir.resolve("key"), clock, alerting);
    }

    private String[] mailAndHook() {
        return new String[] {"--alert-smtp", "127.0.0.1:" + SMTP.getSmtp().getPort(), "--alert-smtp-starttls", "false",
            "--alert-from", "portal@vendor.example", "--alert-to", "ops@vendor.example, oncall@vendor.example",
            "--alert-webhook", hookUrl(), "--alert-check-interval", "3600"};
    }

    private static String enrol(TestPortal p, String customer) {
        assertThat(p.admin("PUT", "/api/v1/customers/" + customer, "{\"name\": \"" + customer + " Ltd\"}").status())
                .isEqualTo(200);
        assertThat(p.admin("PUT", "/api/v1/licences/LIC-" + customer, "{\"customer\": \"" + customer + "\","
                + " \"modules\": [], \"valid_from\": \"2026-01-01\", \"expires\": \"2099-01-01\"}").status()).isEqualTo(200);
        return p.admin("POST", "/api/v1/customers/" + customer + "/instances", "{\"instance_id\": \"" + customer
                + "-prod\", \"licence\": \"LIC-" + customer + "\"}").json().get("token").asText();
    }

    private static void beat(TestPortal p, String customer, String token) {
        beat(p, customer, token, "ok");
    }

    private static void beat(TestPortal p, String customer, String token, String health) {
        assertThat(p.call("POST", "/api/v1/heartbeats", token, "{\"instance_id\": \"" + customer + "-prod\","
                + " \"licence\": \"LIC-" + customer + "\", \"version\": \"v1.4.0\", \"git_sha\": \"abc\", \"schema\":"
                + " \"3\", \"uptime_seconds\": 10, \"active_modules\": [], \"health\": \"" + health + "\"}").status())
                .isEqualTo(204);
    }

    @Test
    void staleAndRecoveredAreSaidOnceByMailAndWebhookAndSurviveARestart() throws Exception {
        String acmeToken;
        try (TestPortal p = start(mailAndHook())) {
            acmeToken = enrol(p, "acme");
            enrol(p, "beta");
            p.admin("PUT", "/api/v1/customers/gamma", "{\"name\": \"not enrolled\"}");
            beat(p, "acme", acmeToken);

            // beta never reported: one alert; acme is fresh; gamma has no instance to expect anything from
            assertThat(p.server.checkAlerts()).containsExactly("STALE: beta (beta Ltd)");
            assertThat(p.server.checkAlerts()).isEmpty();
            MimeMessage[] mails = SMTP.getReceivedMessages();
            assertThat(mails).hasSize(2);  // one message, two recipients
            assertThat(mails[0].getSubject()).isEqualTo("[licence portal] STALE: beta (beta Ltd)");
            assertThat(GreenMailUtil.getBody(mails[0])).contains("never sent a heartbeat");
            assertThat(posted).hasSize(1);
            assertThat(posted.get(0)).startsWith("{\"text\":\"STALE: beta (beta Ltd)\\n");

            // acme falls silent for three minutes (interval 60 s)
            clock.advance(Duration.ofMinutes(3));
            assertThat(p.server.checkAlerts()).containsExactly("STALE: acme (acme Ltd)");
            assertThat(posted.get(1)).contains("has sent no heartbeat for 3 min").contains("version v1.4.0");
            // and reports again
            beat(p, "acme", acmeToken);
            assertThat(p.server.checkAlerts()).containsExactly("RECOVERED: acme (acme Ltd)");
            assertThat(SMTP.getReceivedMessages()).hasSize(6);
        }
        // a restart on the same database repeats nothing
        try (TestPortal p = start(mailAndHook())) {
            assertThat(p.server.checkAlerts()).isEmpty();
            assertThat(posted).hasSize(3);
        }
    }

    @Test
    void anUnhealthyCustomerIsSaidOnceAndItsRecoveryToo() throws Exception {
        try (TestPortal p = start(mailAndHook())) {
            String token = enrol(p, "acme");
            beat(p, "acme", token);
            assertThat(p.server.checkAlerts()).isEmpty();

            // its heartbeats say degraded (database up, Redis down): one alert, however many checks and heartbeats
            beat(p, "acme", token, "degraded");
            assertThat(p.server.checkAlerts()).containsExactly("UNHEALTHY: acme (acme Ltd)");
            beat(p, "acme", token, "failing");
            assertThat(p.server.checkAlerts()).isEmpty();
            assertThat(posted).hasSize(1);
            assertThat(posted.get(0)).contains("reports health degraded").contains("budgetctl status --client acme");

            // then it falls silent (stale wins), comes back unhealthy, then healthy
            clock.advance(Duration.ofMinutes(3));
            assertThat(p.server.checkAlerts()).containsExactly("STALE: acme (acme Ltd)");
            beat(p, "acme", token, "degraded");
            assertThat(p.server.checkAlerts()).containsExactly("UNHEALTHY: acme (acme Ltd)");
            beat(p, "acme", token);
            assertThat(p.server.checkAlerts()).containsExactly("RECOVERED: acme (acme Ltd)");
            assertThat(p.server.checkAlerts()).isEmpty();
            assertThat(posted).hasSize(4);
        }
    }

    @Test
    void anAlertNoChannelTookIsTriedAgainAtTheNextCheck() throws Exception {
        try (TestPortal p = start("--alert-webhook", hookUrl(), "--alert-check-interval", "3600")) {
            enrol(p, "beta");
            hookStatus.set(500);
            assertThat(p.server.checkAlerts()).isEmpty();
            assertThat(p.server.checkAlerts()).isEmpty();
            hookStatus.set(200);
            assertThat(p.server.checkAlerts()).containsExactly("STALE: beta (beta Ltd)");
            assertThat(p.server.checkAlerts()).isEmpty();
            assertThat(posted).hasSize(3);  // two refused, one taken
        }
    }

    @Test
    void badAlertSettingsStopTheStartWithAHint() {
        assertThatThrownBy(() -> PortalConfig.from(List.of("--admin-token-file", "/nonexistent"), Map.of()))
                .isInstanceOf(PortalConfig.ConfigException.class);
        Map<String, String> env = Map.of("PORTAL_ADMIN_TOKEN", "x".repeat(30), "PORTAL_SIGNING_KEY", "/k.key");
        assertThatThrownBy(() -> PortalConfig.from(List.of("--alert-smtp", "smtp.example:587"), env))
                .isInstanceOf(PortalConfig.ConfigException.class)
                .hasMessage("alert mail needs --alert-from and --alert-to");
        assertThatThrownBy(() -> PortalConfig.from(List.of("--alert-smtp", "smtp example"), env))
                .hasMessage("alert-smtp 'smtp example' is not HOST[:PORT]");
        assertThatThrownBy(() -> PortalConfig.from(List.of("--alert-webhook", "ftp://x"), env))
                .hasMessage("alert-webhook is not an http(s) URL");
        assertThat(PortalConfig.from(List.of(), env).alerting().any()).isFalse();
    }
}
