package io.budgetctl.portal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.budgetctl.itbm.AppLicenceCheck;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The portal over real HTTP on loopback with an H2 file database: licences, rotation, history, heartbeats. */
class PortalApiTest {
    static final String ACME = "{\"customer\": \"acme\", \"modules\": [\"sso\", \"forecasting\"],"
            + " \"limits\": {\"users\": 250}, \"valid_from\": \"2026-01-01\", \"expires\": \"2027-01-31\"}";

    @TempDir
    Path dir;
    TestPortal.MovableClock clock = new TestPortal.MovableClock(Instant.parse("2026-12-05T08:00:00Z"));
    TestPortal portal;

    @BeforeEach
    void start() throws Exception {
        portal = TestPortal.start(dir, TestPortal.h2(dir), dir.resolve("key-1"), clock);
    }

    @AfterEach
    void stop() {
        if (portal != null) {
            portal.close();
        }
    }

    private String publicKey(String keyDir) throws Exception {
        return Files.readString(dir.resolve(keyDir).resolve("licence-signing.pub")).strip();
    }

    private void acme() {
        assertThat(portal.admin("PUT", "/api/v1/customers/acme", "{\"name\": \"ACME Manufacturing\"}").status())
                .isEqualTo(200);
        assertThat(portal.admin("PUT", "/api/v1/licences/LIC-2024-0001", ACME).status()).isEqualTo(200);
    }

    @Test
    void aLicenceIssuedByThePortalIsAcceptedByTheAppsOwnCheck() throws Exception {
        // given
        acme();

        // when
        TestPortal.Response file = portal.admin("GET", "/api/v1/customers/acme/licence", null);

        // then
        assertThat(file.status()).isEqualTo(200);
        AppLicenceCheck.Accepted l = AppLicenceCheck.verify(file.body(), publicKey("key-1"));
        assertThat(l.customer()).isEqualTo("acme");
        assertThat(l.expires()).isEqualTo(LocalDate.of(2027, 1, 31));
        assertThat(l.modules()).containsExactlyInAnyOrder("sso", "forecasting");
        JsonNode payload = TestPortal.JSON.readTree(Base64.getDecoder().decode(file.json().get("payload").asText()));
        assertThat(payload.get("licence").asText()).isEqualTo("LIC-2024-0001");
        assertThat(payload.get("limits").get("users").asInt()).isEqualTo(250);
        assertThat(payload.get("key_id").asText()).isEqualTo(file.json().get("key_id").asText())
                .isEqualTo(portal.server.currentKeyId());
        // a changed byte in the payload is refused by the app
        String tampered = file.body().replace(file.json().get("payload").asText(), Base64.getEncoder().encodeToString(
                new String(Base64.getDecoder().decode(file.json().get("payload").asText()), StandardCharsets.UTF_8)
                        .replace("\"sso\"", "\"api\"").getBytes(StandardCharsets.UTF_8)));
        assertThatThrownBy(() -> AppLicenceCheck.verify(tampered, publicKey("key-1")))
                .hasMessageContaining("signature does not match");
    }

    @Test
    void afterAKeyRotationOldLicencesStillVerifyAndNewOnesUseTheNewKey() throws Exception {
        // given: LIC-1 signed with key 1
        acme();
        String oldFile = portal.admin("GET", "/api/v1/licences/LIC-2024-0001/file", null).body();
        String key1 = portal.server.currentKeyId();
        portal.close();
        clock.advance(Duration.ofDays(30));

        // when: the portal restarts on the same database with key 2
        portal = TestPortal.start(dir, TestPortal.h2(dir), dir.resolve("key-2"), clock);
        String key2 = portal.server.currentKeyId();
        portal.admin("PUT", "/api/v1/customers/beta", "{\"name\": \"Beta\"}");
        portal.admin("PUT", "/api/v1/licences/LIC-2024-0002", "{\"customer\": \"beta\", \"modules\": [\"api\"],"
                + " \"expires\": \"2027-06-30\"}");

        // then: the old licence is served unchanged and verifies with key 1; the new one is signed with key 2
        assertThat(key2).isNotEqualTo(key1);
        assertThat(portal.admin("GET", "/api/v1/licences/LIC-2024-0001/file", null).body()).isEqualTo(oldFile);
        assertThat(AppLicenceCheck.verify(oldFile, publicKey("key-1")).customer()).isEqualTo("acme");
        assertThatThrownBy(() -> AppLicenceCheck.verify(oldFile, publicKey("key-2")))
                .hasMessageContaining("signature does not match");
        TestPortal.Response beta = portal.admin("GET", "/api/v1/licences/LIC-2024-0002/file", null);
        assertThat(beta.json().get("key_id").asText()).isEqualTo(key2);
        assertThat(AppLicenceCheck.verify(beta.body(), publicKey("key-2")).modules()).containsExactly("api");
        // the key list names both, the new one current; anyone may read it
        JsonNode keys = portal.call("GET", "/api/v1/keys", null, null).json();
        assertThat(keys.get("current").asText()).isEqualTo(key2);
        List<String> ids = new ArrayList<>();
        keys.get("keys").forEach(k -> ids.add(k.get("key_id").asText()));
        assertThat(ids).containsExactly(key1, key2);
        assertThat(keys.get("keys").get(0).get("public_key").asText()).isEqualTo(publicKey("key-1"));
        // re-signing moves the old licence to key 2, same content
        TestPortal.Response resigned = portal.admin("POST", "/api/v1/licences/LIC-2024-0001/resign", null);
        assertThat(resigned.json().get("key_id").asText()).isEqualTo(key2);
        assertThat(AppLicenceCheck.verify(resigned.json().get("file").asText(), publicKey("key-2")).modules())
                .containsExactlyInAnyOrder("sso", "forecasting");
    }

    @Test
    void everyLicenceChangeIsInItsHistoryWithWhoWhenAndWhat() {
        // given
        acme();
        clock.advance(Duration.ofHours(1));

        // when
        TestPortal.Response changed = portal.call("PUT", "/api/v1/licences/LIC-2024-0001", TestPortal.TOKEN,
                ACME.replace("[\"sso\", \"forecasting\"]", "[\"sso\", \"forecasting\", \"audit\"]")
                        .replace("250", "300"), "X-Portal-Actor", "maria@vendor");

        // then
        assertThat(changed.status()).isEqualTo(200);
        assertThat(changed.json().get("revision").asInt()).isEqualTo(2);
        assertThat(changed.json().get("updated_by").asText()).isEqualTo("api:maria@vendor");
        JsonNode history = portal.admin("GET", "/api/v1/licences/LIC-2024-0001/history", null).json();
        assertThat(history).hasSize(2);
        assertThat(history.get(0).get("action").asText()).isEqualTo("licence_created");
        assertThat(history.get(0).get("actor").asText()).isEqualTo("api");
        assertThat(history.get(0).get("at").asText()).isEqualTo("2026-12-05T08:00:00Z");
        JsonNode second = history.get(1);
        assertThat(second.get("action").asText()).isEqualTo("licence_changed");
        assertThat(second.get("actor").asText()).isEqualTo("api:maria@vendor");
        assertThat(second.get("at").asText()).isEqualTo("2026-12-05T09:00:00Z");
        List<String> fields = new ArrayList<>();
        second.get("change").fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactlyInAnyOrder("modules", "limits", "revision");
        assertThat(second.get("change").get("modules").get("to").toString())
                .isEqualTo("[\"audit\",\"forecasting\",\"sso\"]");
        assertThat(second.get("change").get("limits").get("from").get("users").asInt()).isEqualTo(250);
    }

    @Test
    void heartbeatsNeedTheInstancesOwnTokenAndItsOwnLicence() {
        // given: two customers, one instance each
        acme();
        portal.admin("PUT", "/api/v1/customers/beta", "{\"name\": \"Beta\"}");
        portal.admin("PUT", "/api/v1/licences/LIC-2024-0002", "{\"customer\": \"beta\", \"modules\": [],"
                + " \"expires\": \"2027-06-30\"}");
        TestPortal.Response enrolled = portal.admin("POST", "/api/v1/customers/acme/instances",
                "{\"instance_id\": \"acme-prod\", \"licence\": \"LIC-2024-0001\"}");
        assertThat(enrolled.status()).isEqualTo(201);
        String token = enrolled.json().get("token").asText();
        String betaToken = portal.admin("POST", "/api/v1/customers/beta/instances",
                "{\"instance_id\": \"beta-prod\", \"licence\": \"LIC-2024-0002\"}").json().get("token").asText();

        // when / then
        assertThat(portal.call("POST", "/api/v1/heartbeats", token, beat("acme-prod", "LIC-2024-0001")).status())
                .isEqualTo(204);
        assertThat(portal.call("POST", "/api/v1/heartbeats", betaToken, beat("acme-prod", "LIC-2024-0001")).status())
                .as("another instance's token").isEqualTo(401);
        assertThat(portal.call("POST", "/api/v1/heartbeats", null, beat("acme-prod", "LIC-2024-0001")).status())
                .as("no token").isEqualTo(401);
        assertThat(portal.call("POST", "/api/v1/heartbeats", token, beat("acme-prod", "LIC-2024-0002")).status())
                .as("another customer's licence").isEqualTo(403);
        assertThat(portal.call("POST", "/api/v1/heartbeats", token, beat("nobody", "LIC-2024-0001")).status())
                .as("unknown instance").isEqualTo(401);
        assertThat(portal.call("POST", "/api/v1/heartbeats", TestPortal.TOKEN, beat("acme-prod", "LIC-2024-0001"))
                .status()).as("the API token is not an instance token").isEqualTo(401);
        // enrolling again is refused (the token is shown once); a revoked token no longer works
        assertThat(portal.admin("POST", "/api/v1/customers/acme/instances",
                "{\"instance_id\": \"acme-prod\", \"licence\": \"LIC-2024-0001\"}").status()).isEqualTo(409);
        assertThat(portal.admin("DELETE", "/api/v1/instances/acme-prod", null).status()).isEqualTo(204);
        TestPortal.Response revoked = portal.call("POST", "/api/v1/heartbeats", token,
                beat("acme-prod", "LIC-2024-0001"));
        assertThat(revoked.status()).isEqualTo(401);
        assertThat(revoked.json().get("error").asText()).isEqualTo("unknown instance or wrong token");

        // the refusals are recorded for the instance, never with a token
        JsonNode fleet = portal.admin("GET", "/api/v1/fleet", null).json();
        assertThat(fleet.toString()).doesNotContain(token).doesNotContain(betaToken);
        JsonNode acme = fleet.get("customers").get(0);
        assertThat(acme.get("last_heartbeat").get("version").asText()).isEqualTo("v1.4.0");
        assertThat(acme.get("last_heartbeat").get("active_modules").toString()).isEqualTo("[\"forecasting\",\"sso\"]");
        assertThat(acme.get("instances").get(0).get("revoked").asBoolean()).isTrue();
    }

    @Test
    void refusedHeartbeatsAreAuditedWithoutTheToken() throws Exception {
        // given
        acme();
        portal.admin("POST", "/api/v1/customers/acme/instances",
                "{\"instance_id\": \"acme-prod\", \"licence\": \"LIC-2024-0001\"}");
        String wrong = "wrong-token-that-must-not-be-stored-anywhere";

        // when
        portal.call("POST", "/api/v1/heartbeats", wrong, beat("acme-prod", "LIC-2024-0001"));
        portal.close();
        portal = null;

        // then: the database holds the refusal with its reason, and the token nowhere
        try (Database db = Database.open(TestPortal.h2(dir), "", "");
             var c = db.connection();
             var r = c.createStatement().executeQuery(
                     "SELECT action, detail FROM audit_events WHERE subject = 'acme-prod' ORDER BY id")) {
            List<String> rows = new ArrayList<>();
            while (r.next()) {
                rows.add(r.getString(1) + " " + r.getString(2));
            }
            assertThat(rows).hasSize(2);
            assertThat(rows.get(0)).startsWith("instance_enrolled");
            assertThat(rows.get(1)).startsWith("heartbeat_refused").contains("wrong token");
        }
        try (var files = Files.walk(dir.resolve("db"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertThat(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1)).doesNotContain(wrong);
            }
        }
    }

    @Test
    void aCustomerIsStaleWhenItsLastHeartbeatIsOlderThanTwoIntervals() {
        // given: interval 60 s
        acme();
        String token = portal.admin("POST", "/api/v1/customers/acme/instances",
                "{\"instance_id\": \"acme-prod\", \"licence\": \"LIC-2024-0001\"}").json().get("token").asText();
        portal.call("POST", "/api/v1/heartbeats", token, beat("acme-prod", "LIC-2024-0001"));

        // when / then
        clock.advance(Duration.ofSeconds(120));
        JsonNode fresh = portal.admin("GET", "/api/v1/fleet", null).json().get("customers").get(0);
        assertThat(fresh.get("stale").asBoolean()).isFalse();
        assertThat(fresh.get("age_seconds").asLong()).isEqualTo(120);
        clock.advance(Duration.ofSeconds(1));
        JsonNode stale = portal.admin("GET", "/api/v1/fleet", null).json().get("customers").get(0);
        assertThat(stale.get("stale").asBoolean()).isTrue();
        assertThat(stale.get("licensed_modules").toString()).isEqualTo("[\"forecasting\",\"sso\"]");
    }

    @Test
    void theApiNeedsItsTokenAndBadInputGetsAReason() {
        // when / then
        TestPortal.Response none = portal.call("GET", "/api/v1/fleet", null, null);
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.json().get("error").asText()).isEqualTo("API token missing or wrong");
        assertThat(portal.call("GET", "/api/v1/fleet", "nope", null).status()).isEqualTo(401);
        portal.admin("PUT", "/api/v1/customers/acme", "{\"name\": \"ACME\"}");
        TestPortal.Response unknown = portal.admin("PUT", "/api/v1/licences/L1",
                "{\"customer\": \"acme\", \"modules\": [\"payroll\"], \"expires\": \"2027-01-01\"}");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().get("error").asText()).isEqualTo("unknown module \"payroll\"");
        assertThat(unknown.json().get("hint").asText()).contains("forecasting");
        assertThat(portal.admin("PUT", "/api/v1/licences/L1", "{\"customer\": \"acme\", \"modules\": [],"
                + " \"expires\": \"31.01.2027\"}").json().get("error").asText())
                .isEqualTo("'expires' is not a date: '31.01.2027'");
        assertThat(portal.admin("PUT", "/api/v1/licences/L1", "not json").status()).isEqualTo(400);
        assertThat(portal.admin("PUT", "/api/v1/licences/L1", "{\"customer\": \"nobody\", \"modules\": [],"
                + " \"expires\": \"2027-01-01\"}").status()).isEqualTo(404);
        assertThat(portal.admin("GET", "/api/v1/customers/acme/licence", null).status()).isEqualTo(404);
        TestPortal.Response route = portal.admin("GET", "/api/v1/nothing", null);
        assertThat(route.status()).isEqualTo(404);
        assertThat(route.json().get("error").asText()).isEqualTo("no such endpoint: GET /api/v1/nothing");
    }

    @Test
    void everyPathInTheOpenApiDocumentIsServedAndDocumentsAreThere() throws Exception {
        // given
        JsonNode doc = portal.call("GET", "/openapi.json", null, null).json();
        acme();

        // when / then: each documented operation answers something other than "no such endpoint"
        List<String> ops = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = doc.get("paths").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> p = it.next();
            for (Iterator<String> m = p.getValue().fieldNames(); m.hasNext(); ) {
                String method = m.next().toUpperCase();
                String path = p.getKey().replace("{id}", p.getKey().contains("licences") ? "LIC-X" : "zz-nobody")
                        .replace("{name}", "zz-nobody");
                TestPortal.Response r = portal.admin(method, path, method.equals("GET") || method.equals("DELETE")
                        ? null : "{}");
                assertThat(r.body()).as(method + " " + path).doesNotContain("no such endpoint");
                ops.add(method + " " + p.getKey());
            }
        }
        assertThat(ops).hasSize(19);
        // the document under docs/ is the one served
        assertThat(TestPortal.JSON.readTree(Files.readString(Path.of("../docs/portal-openapi.json")))).isEqualTo(doc);
    }

    @Test
    void theModuleListIsTheDeploymentsRepositorySchemas() throws Exception {
        // given
        JsonNode schema = TestPortal.JSON.readTree(Files.readString(Path.of("../schemas/client.schema.json")));

        // when
        List<String> known = new ArrayList<>();
        schema.get("$defs").get("knownModules").get("enum").forEach(m -> known.add(m.asText()));

        // then
        assertThat(Portal.KNOWN_MODULES).containsExactlyElementsOf(known);
        assertThat(Set.copyOf(known)).hasSize(8);
    }

    static String beat(String instance, String licence) {
        return "{\"instance_id\": \"" + instance + "\", \"licence\": \"" + licence + "\", \"version\": \"v1.4.0\","
                + " \"git_sha\": \"d0c67ec5c5fd\", \"schema\": \"3\", \"uptime_seconds\": 3600,"
                + " \"active_modules\": [\"sso\", \"forecasting\"], \"health\": \"ok\"}";
    }
}
