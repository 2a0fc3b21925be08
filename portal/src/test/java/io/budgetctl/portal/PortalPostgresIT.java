package io.budgetctl.portal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.budgetctl.engine.testkit.LocalImages;
import io.budgetctl.itbm.AppLicenceCheck;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;

/**
 * The same migrations and API on a real PostgreSQL 15: our {@code itbm/postgres:v1.4.0} image (built by
 * scripts/build-images), started by this test with Testcontainers on a loopback port and removed afterwards.
 */
class PortalPostgresIT {
    static final String IMAGE = "itbm/postgres:v1.4.0";
    static final String PASSWORD = "pg-" + UUID.randomUUID();
    static GenericContainer<?> postgres;
    static String jdbcUrl;

    @TempDir
    Path dir;

    @BeforeAll
    static void startPostgres() throws Exception {
        ensureImage();
        postgres = LocalImages.container(IMAGE, 5432)
                .withEnv(Map.of("POSTGRES_USER", "portal", "POSTGRES_DB", "portal", "POSTGRES_PASSWORD", PASSWORD))
                // printed once, by the server that listens on TCP (the entrypoint's initdb server is silent)
                .waitingFor(Wait.forLogMessage(".*database system is ready to accept connections.*\\n", 1)
                        .withStartupTimeout(Duration.ofMinutes(2)));
        postgres.start();
        jdbcUrl = "jdbc:postgresql://" + postgres.getHost() + ":" + postgres.getMappedPort(5432) + "/portal";
    }

    /** Ryuk is off: this removes the container and its data volume, whatever the test did (a failed start its own). */
    @AfterAll
    static void removePostgres() {
        if (postgres != null) {
            postgres.stop();
        }
    }

    @Test
    void theSameMigrationsAndApiWorkOnPostgresqlAcrossAKeyRotation() throws Exception {
        // given
        Path pw = dir.resolve("db.password");
        Files.writeString(pw, PASSWORD);
        TestPortal.MovableClock clock = new TestPortal.MovableClock(Instant.parse("2026-12-05T08:00:00Z"));
        String oldFile;
        String token;
        try (TestPortal p = TestPortal.start(dir, jdbcUrl, dir.resolve("key-1"), clock,
                "--db-user", "portal", "--db-password-file", pw.toString())) {
            p.admin("PUT", "/api/v1/customers/acme", "{\"name\": \"ACME\"}");
            assertThat(p.admin("PUT", "/api/v1/licences/LIC-1", PortalApiTest.ACME).status()).isEqualTo(200);
            oldFile = p.admin("GET", "/api/v1/customers/acme/licence", null).body();
            token = p.admin("POST", "/api/v1/customers/acme/instances",
                    "{\"instance_id\": \"acme-prod\", \"licence\": \"LIC-1\"}").json().get("token").asText();
        }
        clock.advance(Duration.ofMinutes(5));

        // when: restarted with a new key on the same database
        try (TestPortal p = TestPortal.start(dir, jdbcUrl, dir.resolve("key-2"), clock,
                "--db-user", "portal", "--db-password-file", pw.toString())) {
            assertThat(p.call("POST", "/api/v1/heartbeats", token, PortalApiTest.beat("acme-prod", "LIC-1")).status())
                    .isEqualTo(204);
            assertThat(p.call("POST", "/api/v1/heartbeats", "wrong", PortalApiTest.beat("acme-prod", "LIC-1"))
                    .status()).isEqualTo(401);
            p.admin("PUT", "/api/v1/licences/LIC-1", PortalApiTest.ACME.replace("250", "300"));

            // then
            assertThat(AppLicenceCheck.verify(oldFile, pub("key-1")).customer()).isEqualTo("acme");
            String newFile = p.admin("GET", "/api/v1/customers/acme/licence", null).body();
            assertThat(AppLicenceCheck.verify(newFile, pub("key-2")).modules()).contains("sso");
            JsonNode history = p.admin("GET", "/api/v1/licences/LIC-1/history", null).json();
            List<String> actions = new ArrayList<>();
            history.forEach(h -> actions.add(h.get("action").asText()));
            assertThat(actions).containsExactly("licence_created", "licence_changed");
            JsonNode acme = p.admin("GET", "/api/v1/fleet", null).json().get("customers").get(0);
            assertThat(acme.get("last_heartbeat").get("version").asText()).isEqualTo("v1.4.0");
            assertThat(acme.get("stale").asBoolean()).isFalse();
            assertThat(p.call("GET", "/api/v1/keys", null, null).json().get("keys")).hasSize(2);
            // and the controllers' audit copies (V5) on PostgreSQL: a chain of two, then the same seq changed
            List<String> chain = ControllerAuditTest.chain(2, "deploy");
            for (String line : chain) {
                assertThat(p.call("POST", "/api/v1/audit", TestPortal.TOKEN, line, "X-Budgetctl-Controller", "ctl")
                        .status()).isEqualTo(201);
            }
            assertThat(p.call("POST", "/api/v1/audit", TestPortal.TOKEN, chain.get(1).replace("deploy", "status"),
                    "X-Budgetctl-Controller", "ctl").status()).isEqualTo(409);
            JsonNode stored = p.admin("GET", "/api/v1/audit?controller=ctl", null).json().get("lines");
            assertThat(stored).hasSize(2);
            assertThat(stored.get(1).get("chain").asText()).isEqualTo("ok");
            assertThat(stored.get(1).get("line").asText()).isEqualTo(chain.get(1));
        }
        // Flyway's history on PostgreSQL: each migration (schema, web UI, alert state, alert health, controller
        // audit) applied once
        try (var c = DriverManager.getConnection(jdbcUrl, "portal", PASSWORD);
             var r = c.createStatement().executeQuery("SELECT version, success FROM flyway_schema_history"
                     + " WHERE version IS NOT NULL ORDER BY installed_rank")) {
            List<String> applied = new ArrayList<>();
            while (r.next()) {
                applied.add(r.getString(1) + ":" + r.getBoolean(2));
            }
            assertThat(applied).containsExactly("1:true", "2:true", "3:true", "4:true", "5:true");
        }
    }

    private String pub(String keyDir) throws IOException {
        return Files.readString(dir.resolve(keyDir).resolve("licence-signing.pub")).strip();
    }

    /**
     * Builds the image with scripts/build-images when this machine has none yet (a fresh CI machine running this
     * module alone); the build is cached and serialised by its own lock, so it is quick when other tests made it.
     */
    static void ensureImage() throws IOException, InterruptedException {
        // missing, or built from another commit than this checkout's (then its tag holds another product)
        Path root = Path.of("..").toAbsolutePath().normalize();
        Process p = new ProcessBuilder(root.resolve("scripts/build-images").toString(), "--if-stale", "v1.4.0")
                .directory(root.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new AssertionError("scripts/build-images v1.4.0 failed:\n" + out);
        }
    }
}
