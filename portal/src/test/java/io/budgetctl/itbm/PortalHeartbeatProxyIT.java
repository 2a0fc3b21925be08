package io.budgetctl.itbm;

import static org.assertj.core.api.Assertions.assertThat;
import static io.budgetctl.engine.testkit.Polling.poll;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.budgetctl.portal.PortalFixture;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The heartbeat through a customer's outbound HTTP proxy (LICENCE_PORTAL_PROXY): Debian's tinyproxy (scripts/setup
 * installs it) between the app's sender and the real portal. The heartbeat arrives and the proxy's log shows it
 * passed there; with the proxy stopped the heartbeat fails although the portal itself is reachable, so the sender
 * really goes through the proxy and nowhere else.
 */
class PortalHeartbeatProxyIT {
    static final Path TINYPROXY = Paths.get("/usr/bin/tinyproxy");

    @TempDir
    Path dir;

    @Test
    void theHeartbeatGoesThroughTheProxyAndOnlyThroughIt() throws Exception {
        assertThat(TINYPROXY).as("Debian's tinyproxy (scripts/setup installs it)").isExecutable();
        PortalFixture portal = PortalFixture.start(dir.resolve("portal"));
        Process proxy = null;
        try {
            portal.licence("acme", "LIC-ACME", "[\"sso\"]", "{}", "2099-01-31");
            Licence licence = Licence.verify(portal.admin("GET", "/api/v1/licences/LIC-ACME/file", null).getValue()
                    .getBytes(StandardCharsets.UTF_8), Licence.publicKey(portal.publicKey()));
            String token = new ObjectMapper().readTree(portal.admin("POST", "/api/v1/customers/acme/instances",
                    "{\"instance_id\": \"acme-prod\", \"licence\": \"LIC-ACME\"}").getValue()).get("token").asText();
            Path tokenFile = Files.writeString(dir.resolve("portal_token"), token);
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            Path conf = Files.writeString(dir.resolve("tinyproxy.conf"), String.join("\n", "User nobody",
                    "Group nogroup", "Port " + port, "Listen 127.0.0.1", "Timeout 30", "LogLevel Info",
                    "MaxClients 10", "Allow 127.0.0.1", "DisableViaHeader Yes", ""));
            Path proxyLog = dir.resolve("tinyproxy.log");
            proxy = new ProcessBuilder(TINYPROXY.toString(), "-d", "-c", conf.toString()).redirectErrorStream(true)
                    .redirectOutput(proxyLog.toFile()).start();
            awaitListening(port);

            ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
            PortalHeartbeat hb = new PortalHeartbeat(Config.fromEnvironment(Map.of("LICENCE_PORTAL_URL", portal.url(),
                    "LICENCE_PORTAL_TOKEN_FILE", tokenFile.toString(), "INSTANCE_ID", "acme-prod",
                    "HEARTBEAT_INTERVAL_SECONDS", "300", "LICENCE_PORTAL_PROXY", "http://127.0.0.1:" + port)),
                    new PrintStream(logBytes, true, StandardCharsets.UTF_8), Clock.systemUTC());
            Api.Readiness ready = new Api.Readiness(true, true, 3, 3);
            AppVersion version = AppVersion.of("v1.4.0", "d0c67ec5c5fd");

            assertThat(hb.send(licence, ready, Duration.ofSeconds(5), version)).as(logBytes.toString())
                    .isEqualTo(Duration.ofSeconds(300));
            assertThat(portal.admin("GET", "/api/v1/fleet", null).getValue()).contains("\"instance_id\":\"acme-prod\"");
            assertThat(Files.readString(proxyLog)).contains("POST " + portal.url() + "/api/v1/heartbeats");

            proxy.destroy();
            assertThat(proxy.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(hb.send(licence, ready, Duration.ofSeconds(6), version)).isEqualTo(PortalHeartbeat.RETRY);
            assertThat(logBytes.toString(StandardCharsets.UTF_8)).contains("heartbeat failed (1 in a row)")
                    .doesNotContain(token);
        } finally {
            if (proxy != null) {
                proxy.destroyForcibly();
            }
            portal.close();
        }
    }

    private static void awaitListening(int port) {
        poll("tinyproxy listens on " + port, Duration.ofSeconds(10), Duration.ofMillis(100))
                .until(() -> {
                    try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
                        return true;
                    } catch (java.io.IOException notYet) {
                        return false;
                    }
                });
    }
}
