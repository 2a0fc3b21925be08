package io.budgetctl.itbm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.budgetctl.portal.PortalFixture;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The app's heartbeat sender (the scheduler's {@link PortalHeartbeat}) against the real licence portal: a licence the
 * portal signed, the instance's own token from a secret file, the heartbeat on the fleet; the portal stopped (quiet,
 * bounded retries, nothing queued) and started again on the same address (delivered again); a revoked token.
 */
class PortalHeartbeatTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AppVersion VERSION = AppVersion.of("v1.4.0", "d0c67ec5c5fd");
    private static final Api.Readiness READY = new Api.Readiness(true, true, 3, 3);

    @TempDir
    Path dir;

    @Test
    void heartbeatsReachTheFleetStopQuietlyWhileThePortalIsDownAndResume() throws Exception {
        PortalFixture portal = PortalFixture.start(dir.resolve("portal"));
        int port = portal.port();
        portal.licence("acme", "LIC-ACME", "[\"forecasting\", \"sso\"]", "{\"users\": 50}", "2099-01-31");
        Licence licence = Licence.verify(portal.admin("GET", "/api/v1/licences/LIC-ACME/file", null).getValue()
                .getBytes(StandardCharsets.UTF_8), Licence.publicKey(portal.publicKey()));
        assertThat(licence.id()).isEqualTo("LIC-ACME");
        String token = JSON.readTree(portal.admin("POST", "/api/v1/customers/acme/instances",
                "{\"instance_id\": \"acme-prod\", \"licence\": \"LIC-ACME\"}").getValue()).get("token").asText();
        Path tokenFile = Files.writeString(dir.resolve("portal_token"), token + "\n");
        ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
        PrintStream log = new PrintStream(logBytes, true, StandardCharsets.UTF_8);
        PortalHeartbeat hb = new PortalHeartbeat(Config.fromEnvironment(Map.of("LICENCE_PORTAL_URL", portal.url() + "/",
                "LICENCE_PORTAL_TOKEN_FILE", tokenFile.toString(), "INSTANCE_ID", "acme-prod",
                "HEARTBEAT_INTERVAL_SECONDS", "300")), log, Clock.systemUTC());

        assertThat(hb.send(licence, READY, Duration.ofSeconds(42), VERSION)).isEqualTo(Duration.ofSeconds(300));
        JsonNode acme = fleetRow(portal);
        assertThat(acme.get("stale").asBoolean()).isFalse();
        JsonNode last = acme.get("last_heartbeat");
        assertThat(last.get("instance_id").asText()).isEqualTo("acme-prod");
        assertThat(last.get("version").asText()).isEqualTo("v1.4.0");
        assertThat(last.get("git_sha").asText()).isEqualTo("d0c67ec5c5fd");
        assertThat(last.get("schema").asText()).isEqualTo("3");
        assertThat(last.get("uptime_seconds").asLong()).isEqualTo(42);
        assertThat(last.get("health").asText()).isEqualTo("ok");
        assertThat(last.get("active_modules").toString()).isEqualTo("[\"forecasting\",\"sso\"]");

        // the portal goes away: three quick retries, logged; then back to the interval and quiet
        portal.close();
        for (int i = 1; i <= PortalHeartbeat.RETRIES; i++) {
            assertThat(hb.send(licence, READY, Duration.ofSeconds(60), VERSION)).isEqualTo(PortalHeartbeat.RETRY);
        }
        for (int i = 0; i < 5; i++) {
            assertThat(hb.send(licence, READY, Duration.ofSeconds(60), VERSION)).isEqualTo(Duration.ofSeconds(300));
        }
        String logged = logBytes.toString(StandardCharsets.UTF_8);
        assertThat(logged.lines().filter(l -> l.contains("heartbeat failed"))).hasSize(PortalHeartbeat.RETRIES);
        assertThat(logged).contains("heartbeat failed (1 in a row): ConnectException").doesNotContain(token);

        // back on the same address: delivered again, said once
        PortalFixture again = PortalFixture.start(dir.resolve("portal"), "--port", String.valueOf(port));
        try {
            assertThat(hb.send(licence, new Api.Readiness(true, false, 3, 3), Duration.ofSeconds(900), VERSION))
                    .isEqualTo(Duration.ofSeconds(300));
            assertThat(logBytes.toString(StandardCharsets.UTF_8))
                    .contains("heartbeat delivered again after 8 failed");
            JsonNode resumed = fleetRow(again).get("last_heartbeat");
            assertThat(resumed.get("uptime_seconds").asLong()).isEqualTo(900);
            assertThat(resumed.get("health").asText()).isEqualTo("degraded");

            // a revoked token: refused, logged with the reason, never the token
            assertThat(again.admin("DELETE", "/api/v1/instances/acme-prod", null).getKey()).isEqualTo(204);
            assertThat(hb.send(licence, READY, Duration.ofSeconds(901), VERSION)).isEqualTo(PortalHeartbeat.RETRY);
            assertThat(logBytes.toString(StandardCharsets.UTF_8))
                    .contains("the portal answered HTTP 401 (the instance token is wrong or revoked)")
                    .doesNotContain(token);
        } finally {
            again.close();
        }
    }

    @Test
    void aPortalUrlWithoutTheInstanceTokenOrABadProxyIsAConfigurationError() {
        assertThatThrownBy(() -> new PortalHeartbeat(Config.fromEnvironment(Map.of("LICENCE_PORTAL_URL",
                "http://127.0.0.1:9")), System.out, Clock.systemUTC())).isInstanceOf(ConfigException.class)
                .hasMessageContaining("LICENCE_PORTAL_TOKEN_FILE");
        assertThatThrownBy(() -> new PortalHeartbeat(Config.fromEnvironment(Map.of("LICENCE_PORTAL_URL",
                "http://127.0.0.1:9", "LICENCE_PORTAL_TOKEN", "t", "LICENCE_PORTAL_PROXY", "proxy:3128")),
                System.out, Clock.systemUTC())).isInstanceOf(ConfigException.class)
                .hasMessage("LICENCE_PORTAL_PROXY 'proxy:3128' is not http://HOST:PORT");
        PortalHeartbeat viaProxy = new PortalHeartbeat(Config.fromEnvironment(Map.of("LICENCE_PORTAL_URL",
                "https://portal.vendor.example/", "LICENCE_PORTAL_TOKEN", "t", "LICENCE_PORTAL_PROXY",
                "http://proxy.acme.local:3128")), System.out, Clock.systemUTC());
        assertThat(viaProxy.endpoint()).hasToString("https://portal.vendor.example/api/v1/heartbeats");
    }

    private static JsonNode fleetRow(PortalFixture portal) throws Exception {
        return JSON.readTree(portal.admin("GET", "/api/v1/fleet", null).getValue()).get("customers").get(0);
    }
}
