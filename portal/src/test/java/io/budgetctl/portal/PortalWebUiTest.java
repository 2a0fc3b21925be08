package io.budgetctl.portal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web UI's guards over real HTTP (no browser: PortalWebUiIT drives chromium): sign-in and its throttle,
 * session cookies and expiry, CSRF and role checks on the licence form, disabled accounts, security headers, error
 * pages; and the API that feeds the UI (accounts, desired state and drift).
 */
class PortalWebUiTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
    private static final String ADMIN_PW = "admin-password-123";
    private static final String VIEWER_PW = "viewer-password-123";

    @TempDir
    Path dir;
    TestPortal.MovableClock clock = new TestPortal.MovableClock(Instant.parse("2026-12-05T08:00:00Z"));
    TestPortal portal;

    @BeforeEach
    void start() throws Exception {
        portal = TestPortal.start(dir, TestPortal.h2(dir), dir.resolve("key"), clock);
        ok(portal.admin("PUT", "/api/v1/customers/acme", "{\"name\": \"Acme\"}"));
        ok(portal.admin("PUT", "/api/v1/licences/LIC-1", "{\"customer\": \"acme\", \"modules\": [\"sso\"],"
                + " \"valid_from\": \"2026-01-01\", \"expires\": \"2027-01-31\"}"));
        ok(portal.admin("PUT", "/api/v1/users/ada", "{\"role\": \"licence-admin\", \"password\": \"" + ADMIN_PW + "\"}"));
        ok(portal.admin("PUT", "/api/v1/users/val", "{\"role\": \"viewer\", \"password\": \"" + VIEWER_PW + "\"}"));
    }

    @AfterEach
    void stop() {
        portal.close();
    }

    @Test
    void pagesNeedASignInAndTheSessionCookieIsLockedDown() {
        for (String p : List.of("/ui/fleet", "/ui/customers/acme", "/ui/licences/LIC-1")) {
            HttpResponse<String> r = get(p, null);
            assertThat(r.statusCode()).as(p).isEqualTo(303);
            assertThat(r.headers().firstValue("Location")).hasValue("/ui/login");
        }
        assertThat(get("/", null).headers().firstValue("Location")).hasValue("/ui/fleet");

        HttpResponse<String> wrong = post("/ui/login", null, "username", "ada", "password", "nope-nope-nope");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).contains("wrong user name or password").doesNotContain("nope-nope-nope");
        assertThat(post("/ui/login", null, "username", "nobody", "password", ADMIN_PW).statusCode()).isEqualTo(401);

        HttpResponse<String> in = post("/ui/login", null, "username", "ADA ", "password", ADMIN_PW);
        assertThat(in.statusCode()).isEqualTo(303);
        String setCookie = in.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie).startsWith(WebUi.COOKIE + "=").contains("Path=/ui").containsIgnoringCase("HttpOnly")
                .containsIgnoringCase("SameSite=Strict");
        String cookie = cookieOf(in);
        HttpResponse<String> fleet = get("/ui/fleet", cookie);
        assertThat(fleet.statusCode()).isEqualTo(200);
        assertThat(fleet.headers().firstValue("Content-Security-Policy").orElseThrow())
                .contains("default-src 'none'").contains("frame-ancestors 'none'");
        assertThat(fleet.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        assertThat(fleet.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(fleet.body()).contains("id=\"row-acme\"").doesNotContain("<script");

        // a made-up cookie is no session
        assertThat(get("/ui/fleet", WebUi.COOKIE + "=" + "A".repeat(43)).statusCode()).isEqualTo(303);
        // 30 idle minutes end the session
        clock.advance(UiSessions.IDLE.plusSeconds(1));
        assertThat(get("/ui/fleet", cookie).statusCode()).isEqualTo(303);
    }

    @Test
    void tenWrongPasswordsLockTheAccountForAMinuteOnly() {
        for (int i = 0; i < UiAccounts.MAX_FAILURES; i++) {
            assertThat(post("/ui/login", null, "username", "ada", "password", "guess-" + i).statusCode())
                    .isEqualTo(401);
        }
        HttpResponse<String> locked = post("/ui/login", null, "username", "ada", "password", ADMIN_PW);
        assertThat(locked.statusCode()).isEqualTo(429);
        assertThat(locked.body()).contains("too many failed sign-ins");
        // another account is not affected
        assertThat(post("/ui/login", null, "username", "val", "password", VIEWER_PW).statusCode()).isEqualTo(303);
        clock.advance(UiAccounts.FAILURE_WINDOW.plusSeconds(1));
        assertThat(post("/ui/login", null, "username", "ada", "password", ADMIN_PW).statusCode()).isEqualTo(303);
    }

    @Test
    void theLicenceFormNeedsTheSessionsCsrfTokenAndTheLicenceAdminRole() {
        String ada = signIn("ada", ADMIN_PW);
        String page = get("/ui/licences/LIC-1", ada).body();
        assertThat(page).contains("id=\"licence-form\"");
        String csrf = csrf(page);

        HttpResponse<String> noToken = post("/ui/licences/LIC-1", ada, "modules", "sso", "modules", "api",
                "valid_from", "2026-01-01", "expires", "2027-01-31");
        assertThat(noToken.statusCode()).isEqualTo(403);
        assertThat(noToken.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
        HttpResponse<String> otherToken = post("/ui/licences/LIC-1", ada, "csrf", csrf + "x", "modules", "api",
                "valid_from", "2026-01-01", "expires", "2027-01-31");
        assertThat(otherToken.statusCode()).isEqualTo(403);

        String val = signIn("val", VIEWER_PW);
        String viewerPage = get("/ui/licences/LIC-1", val).body();
        assertThat(viewerPage).doesNotContain("id=\"licence-form\"").contains("may not change licences");
        HttpResponse<String> viewer = post("/ui/licences/LIC-1", val, "csrf", csrf(viewerPage), "modules", "api",
                "valid_from", "2026-01-01", "expires", "2027-01-31");
        assertThat(viewer.statusCode()).isEqualTo(403);
        assertThat(viewer.body()).contains("(viewer) may not change licences");
        assertThat(revision()).isEqualTo(1);

        HttpResponse<String> badLimit = post("/ui/licences/LIC-1", ada, "csrf", csrf, "modules", "api",
                "users", "lots", "valid_from", "2026-01-01", "expires", "2027-01-31");
        assertThat(badLimit.statusCode()).isEqualTo(400);
        assertThat(badLimit.body()).contains("limit &#39;users&#39; must be a whole number");
        HttpResponse<String> badModule = post("/ui/licences/LIC-1", ada, "csrf", csrf, "modules", "<x>",
                "valid_from", "2026-01-01", "expires", "2027-01-31");
        assertThat(badModule.statusCode()).isEqualTo(400);
        assertThat(badModule.body()).contains("unknown module").doesNotContain("<x>");
        assertThat(revision()).isEqualTo(1);

        HttpResponse<String> saved = post("/ui/licences/LIC-1", ada, "csrf", csrf, "modules", "api", "modules",
                "sso", "users", "40", "valid_from", "2026-01-01", "expires", "2027-01-31");
        assertThat(saved.statusCode()).isEqualTo(303);
        assertThat(saved.headers().firstValue("Location")).hasValue("/ui/licences/LIC-1?saved=2");
        JsonNode l = portal.admin("GET", "/api/v1/licences/LIC-1", null).json();
        assertThat(l.get("modules").toString()).isEqualTo("[\"api\",\"sso\"]");
        assertThat(l.get("limits").toString()).isEqualTo("{\"users\":40}");
        assertThat(l.get("updated_by").asText()).isEqualTo("ui:ada");
    }

    @Test
    void aDisabledAccountLosesItsOpenSessionAndCannotSignIn() {
        String val = signIn("val", VIEWER_PW);
        assertThat(get("/ui/fleet", val).statusCode()).isEqualTo(200);
        assertThat(portal.admin("DELETE", "/api/v1/users/val", null).status()).isEqualTo(204);
        assertThat(get("/ui/fleet", val).statusCode()).isEqualTo(303);
        assertThat(post("/ui/login", null, "username", "val", "password", VIEWER_PW).statusCode()).isEqualTo(401);
        assertThat(portal.admin("DELETE", "/api/v1/users/val", null).status()).isEqualTo(404);
    }

    @Test
    void unknownPagesAndIdsGetAnHtmlErrorPageNotAStackTrace() {
        String ada = signIn("ada", ADMIN_PW);
        HttpResponse<String> none = get("/ui/licences/LIC-404", ada);
        assertThat(none.statusCode()).isEqualTo(404);
        assertThat(none.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
        assertThat(none.body()).contains("no licence &#39;LIC-404&#39;");
        HttpResponse<String> bad = get("/ui/customers/Not_An_Id", ada);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("customer id &#39;Not_An_Id&#39; is not valid").doesNotContain("Exception");
        assertThat(get("/ui/nothing-here", ada).statusCode()).isEqualTo(404);
    }

    @Test
    void accountsAreSetThroughTheApiOnlyWithGoodInput() {
        assertThat(portal.call("PUT", "/api/v1/users/eve", null, "{\"role\": \"viewer\", \"password\": \""
                + "x".repeat(20) + "\"}").status()).isEqualTo(401);
        TestPortal.Response shortPw = portal.admin("PUT", "/api/v1/users/eve", "{\"role\": \"viewer\","
                + " \"password\": \"short\"}");
        assertThat(shortPw.status()).isEqualTo(400);
        assertThat(shortPw.json().get("error").asText()).contains("12 to 72 characters");
        assertThat(portal.admin("PUT", "/api/v1/users/eve", "{\"role\": \"root\", \"password\": \""
                + "x".repeat(20) + "\"}").status()).isEqualTo(400);
        assertThat(portal.admin("PUT", "/api/v1/users/Eve%20X", "{\"role\": \"viewer\", \"password\": \""
                + "x".repeat(20) + "\"}").status()).isEqualTo(400);
        TestPortal.Response made = portal.admin("PUT", "/api/v1/users/eve", "{\"role\": \"viewer\", \"password\": \""
                + "x".repeat(20) + "\"}");
        assertThat(made.json().get("created").asBoolean()).isTrue();
        assertThat(made.body()).doesNotContain("xxxx");
    }

    @Test
    void driftComparesTheLastHeartbeatWithTheRepositorysDesiredState() {
        String token = portal.admin("POST", "/api/v1/customers/acme/instances",
                "{\"instance_id\": \"acme-prod\", \"licence\": \"LIC-1\"}").json().get("token").asText();
        assertThat(portal.call("POST", "/api/v1/heartbeats", token, "{\"instance_id\": \"acme-prod\", \"licence\":"
                + " \"LIC-1\", \"version\": \"v1.3.2\", \"git_sha\": \"abc\", \"schema\": \"11\", \"uptime_seconds\":"
                + " 5, \"active_modules\": [\"sso\"], \"health\": \"ok\"}").status()).isEqualTo(204);
        JsonNode unknown = acme();
        assertThat(unknown.get("drift").isNull()).isTrue();

        for (String bad : List.of("{}", "{\"customers\": {}}", "{\"customers\": [1]}",
                "{\"customers\": [{\"customer\": \"acme\", \"version\": \"v1 4\", \"modules\": []}]}",
                "{\"customers\": [{\"customer\": \"acme\", \"version\": \"v1.4.0\", \"modules\": [\"nope\"]}]}",
                "{\"customers\": [{\"customer\": \"acme\", \"version\": \"v1.4.0\", \"modules\": []},"
                        + " {\"customer\": \"acme\", \"version\": \"v1.4.0\", \"modules\": []}]}")) {
            assertThat(portal.admin("PUT", "/api/v1/desired-state", bad).status()).as(bad).isEqualTo(400);
        }
        ok(portal.admin("PUT", "/api/v1/desired-state", "{\"customers\": [{\"customer\": \"acme\", \"version\":"
                + " \"v1.4.0\", \"modules\": [\"sso\", \"api\"]}]}"));
        JsonNode drift = acme().get("drift");
        assertThat(drift).hasSize(2);
        assertThat(drift.get(0).asText()).isEqualTo("runs v1.3.2, the repository wants v1.4.0");
        assertThat(drift.get(1).asText()).contains("[\"sso\"]").contains("[\"api\",\"sso\"]");

        ok(portal.admin("PUT", "/api/v1/desired-state", "{\"customers\": [{\"customer\": \"acme\", \"version\":"
                + " \"v1.3.2\", \"modules\": [\"sso\"]}]}"));
        assertThat(acme().get("drift")).isEmpty();
        // a new snapshot replaces the old one: acme no longer listed means unknown again
        ok(portal.admin("PUT", "/api/v1/desired-state", "{\"customers\": []}"));
        assertThat(acme().get("drift").isNull()).isTrue();
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    @Test
    void enrolmentCreatesTheCustomerAndItsSignedLicenceTogetherOrNeither() {
        // given
        String ada = signIn("ada", ADMIN_PW);
        String fleet = get("/ui/fleet", ada).body();
        assertThat(fleet).contains("id=\"nav-enrol\"");
        String form = get("/ui/enrol", ada).body();
        assertThat(form).contains("id=\"enrol-form\"").contains("value=\"2026-12-05\"").contains("value=\"2027-12-04\"");
        String csrf = csrf(form);

        // a viewer sees no link and is refused; a form without the session's token is refused
        String val = signIn("val", VIEWER_PW);
        assertThat(get("/ui/fleet", val).body()).doesNotContain("nav-enrol");
        assertThat(get("/ui/enrol", val).statusCode()).isEqualTo(403);
        HttpResponse<String> viewer = post("/ui/enrol", val, "csrf", csrf(get("/ui/fleet", val).body()),
                "customer", "beta", "name", "Beta", "licence", "LIC-B", "expires", "2027-12-31");
        assertThat(viewer.statusCode()).isEqualTo(403);
        assertThat(post("/ui/enrol", ada, "customer", "beta", "name", "Beta", "licence", "LIC-B",
                "expires", "2027-12-31").statusCode()).isEqualTo(403);

        // a licence that cannot be issued leaves no customer behind, and the form keeps what was typed
        HttpResponse<String> badDates = post("/ui/enrol", ada, "csrf", csrf, "customer", "beta", "name", "Beta GmbH",
                "licence", "LIC-B", "modules", "api", "valid_from", "2027-01-01", "expires", "2026-12-31");
        assertThat(badDates.statusCode()).isEqualTo(400);
        assertThat(badDates.body()).contains("is before &#39;valid_from&#39;").contains("value=\"Beta GmbH\"");
        HttpResponse<String> badId = post("/ui/enrol", ada, "csrf", csrf, "customer", "Beta Corp", "name", "Beta",
                "licence", "LIC-B", "expires", "2027-12-31");
        assertThat(badId.statusCode()).isEqualTo(400);
        assertThat(portal.admin("GET", "/api/v1/fleet", null).json().get("customers")).hasSize(1);
        assertThat(portal.admin("GET", "/api/v1/licences/LIC-B", null).status()).isEqualTo(404);
        // an existing customer or licence id is refused (409), nothing changes
        assertThat(post("/ui/enrol", ada, "csrf", csrf, "customer", "acme", "name", "Other", "licence", "LIC-B",
                "expires", "2027-12-31").statusCode()).isEqualTo(409);
        HttpResponse<String> takenLicence = post("/ui/enrol", ada, "csrf", csrf, "customer", "beta", "name", "Beta",
                "licence", "LIC-1", "expires", "2027-12-31");
        assertThat(takenLicence.statusCode()).isEqualTo(409);
        assertThat(takenLicence.body()).contains("licence id LIC-1 is in use");
        assertThat(revision()).isEqualTo(1);
        assertThat(portal.admin("GET", "/api/v1/fleet", null).json().get("customers")).hasSize(1);

        // when
        HttpResponse<String> enrolled = post("/ui/enrol", ada, "csrf", csrf, "customer", "beta", "name", "Beta GmbH",
                "licence", "LIC-B", "modules", "api", "modules", "sso", "users", "25", "valid_from", "2026-12-05",
                "expires", "2027-12-04");

        // then: both exist, the licence is signed as revision 1 by ui:ada, the history says who
        assertThat(enrolled.statusCode()).as(enrolled.body()).isEqualTo(303);
        assertThat(enrolled.headers().firstValue("Location")).hasValue("/ui/customers/beta?enrolled=LIC-B");
        assertThat(get("/ui/customers/beta?enrolled=LIC-B", ada).body())
                .contains("Enrolled with licence LIC-B, signed as revision 1");
        JsonNode l = portal.admin("GET", "/api/v1/licences/LIC-B", null).json();
        assertThat(l.get("customer").asText()).isEqualTo("beta");
        assertThat(l.get("modules").toString()).isEqualTo("[\"api\",\"sso\"]");
        assertThat(l.get("limits").toString()).isEqualTo("{\"users\":25}");
        assertThat(l.get("revision").asInt()).isEqualTo(1);
        assertThat(l.get("updated_by").asText()).isEqualTo("ui:ada");
        JsonNode history = portal.admin("GET", "/api/v1/licences/LIC-B/history", null).json();
        assertThat(history.toString()).contains("ui:ada").contains("licence_created");
        assertThat(portal.admin("GET", "/api/v1/fleet", null).json().get("customers")).hasSize(2);
    }

    private JsonNode acme() {
        return portal.admin("GET", "/api/v1/fleet", null).json().get("customers").get(0);
    }

    private int revision() {
        return portal.admin("GET", "/api/v1/licences/LIC-1", null).json().get("revision").asInt();
    }

    private static void ok(TestPortal.Response r) {
        assertThat(r.status()).as(r.body()).isEqualTo(200);
    }

    private String signIn(String user, String password) {
        HttpResponse<String> r = post("/ui/login", null, "username", user, "password", password);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(303);
        return cookieOf(r);
    }

    private static String cookieOf(HttpResponse<String> r) {
        String c = r.headers().firstValue("Set-Cookie").orElseThrow();
        return c.substring(0, c.indexOf(';'));
    }

    private static String csrf(String page) {
        Matcher m = CSRF.matcher(page);
        assertThat(m.find()).as("a CSRF field in the page").isTrue();
        return m.group(1);
    }

    private HttpResponse<String> get(String path, String cookie) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(portal.url + path)).GET();
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        return send(b);
    }

    private HttpResponse<String> post(String path, String cookie, String... form) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < form.length; i += 2) {
            parts.add(URLEncoder.encode(form[i], StandardCharsets.UTF_8) + "="
                    + URLEncoder.encode(form[i + 1], StandardCharsets.UTF_8));
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(portal.url + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(String.join("&", parts)));
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        return send(b);
    }

    private static HttpResponse<String> send(HttpRequest.Builder b) {
        try {
            return HTTP.send(b.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
