package io.budgetctl.portal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.HttpStatus;
import io.javalin.http.SameSite;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.thymeleaf.TemplateEngine;
import org.thymeleaf.templatemode.TemplateMode;
import org.thymeleaf.templateresolver.ClassLoaderTemplateResolver;

/**
 * The web UI for the vendor's team under {@code /ui} (docs/licence-portal.md "Web UI"): sign-in, the fleet table (stale and
 * drift in colour), a customer page with its heartbeat history, a licence page with its history and, for a
 * licence-admin, the edit form. Pages are Thymeleaf templates ({@code resources/ui}) that escape every value; forms
 * carry the session's CSRF token; responses forbid framing, inline scripts and caching.
 */
final class WebUi {
    private static final Logger LOG = LogManager.getLogger(WebUi.class);
    static final String COOKIE = "portal_session";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);
    private static final int HISTORY_ROWS = 100;

    private final Portal portal;
    private final UiAccounts accounts;
    private final UiSessions sessions;
    private final TemplateEngine engine = new TemplateEngine();
    private final Clock clock;
    private final String css;

    WebUi(Portal portal, UiAccounts accounts, Clock clock) {
        this.portal = portal;
        this.clock = clock;
        this.accounts = accounts;
        this.sessions = new UiSessions(clock);
        ClassLoaderTemplateResolver r = new ClassLoaderTemplateResolver(WebUi.class.getClassLoader());
        r.setPrefix("ui/");
        r.setSuffix(".html");
        r.setTemplateMode(TemplateMode.HTML);
        r.setCharacterEncoding("UTF-8");
        r.setCacheable(true);
        engine.setTemplateResolver(r);
        try (InputStream in = WebUi.class.getResourceAsStream("/ui/style.css")) {
            css = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void routes(RoutesConfig routes) {
        routes.get("/", ctx -> ctx.redirect("/ui/fleet", HttpStatus.SEE_OTHER));
        routes.get("/ui", ctx -> ctx.redirect("/ui/fleet", HttpStatus.SEE_OTHER));
        routes.get("/ui/style.css", ctx -> ctx.contentType("text/css").header("Cache-Control", "max-age=300").result(css));
        routes.get("/ui/login", ctx -> page(ctx, 200, "login", Map.of("error", "")));
        routes.post("/ui/login", this::login);
        routes.post("/ui/logout", ctx -> {
            Signed s = signed(ctx);
            if (s != null && csrfMatches(ctx, s)) {
                sessions.close(ctx.cookie(COOKIE));
            }
            ctx.removeCookie(COOKIE, "/ui");
            ctx.redirect("/ui/login", HttpStatus.SEE_OTHER);
        });
        routes.get("/ui/fleet", ctx -> withUser(ctx, s -> fleetPage(ctx, s)));
        routes.get("/ui/customers/{id}", ctx -> withUser(ctx, s -> customerPage(ctx, s, ctx.pathParam("id"))));
        routes.get("/ui/licences/{id}", ctx -> withUser(ctx, s -> licencePage(ctx, s, ctx.pathParam("id"), 200,
                null, null)));
        routes.post("/ui/licences/{id}", ctx -> withUser(ctx, s -> saveLicence(ctx, s, ctx.pathParam("id"))));
        routes.get("/ui/enrol", ctx -> withUser(ctx, s -> {
            if (mayEdit(ctx, s, "enrol a customer")) {
                enrolPage(ctx, s, 200, null, null);
            }
        }));
        routes.post("/ui/enrol", ctx -> withUser(ctx, s -> enrol(ctx, s)));
    }

    /** Renders an error page for a UI request (the server's exception handlers call this for /ui paths). */
    void error(Context ctx, int status, String message, String hint) {
        Map<String, Object> vars = new HashMap<>();
        vars.put("status", status);
        vars.put("message", message);
        vars.put("hint", hint == null ? "" : hint);
        Signed s = signed(ctx);
        page(ctx, status, "error", s == null ? vars : s.vars(vars));
    }

    // ---- sign-in --------------------------------------------------------------------------------------------

    /** The signed-in user of this request: the session and the account as it is now (role changes apply at once). */
    private record Signed(UiSessions.Session session, UiAccounts.Account account) {
        Map<String, Object> vars(Map<String, Object> more) {
            Map<String, Object> v = new HashMap<>(more);
            v.put("user", Map.of("username", account.username(), "role", account.role()));
            v.put("csrf", session.csrf());
            v.put("canEdit", account.canEditLicences());
            return v;
        }
    }

    private Signed signed(Context ctx) {
        UiSessions.Session s = sessions.get(ctx.cookie(COOKIE));
        if (s == null) {
            return null;
        }
        UiAccounts.Account a = accounts.find(s.username());
        return a == null ? null : new Signed(s, a);
    }

    @FunctionalInterface
    private interface SignedHandler {
        void handle(Signed s) throws Exception;
    }

    private void withUser(Context ctx, SignedHandler h) throws Exception {
        Signed s = signed(ctx);
        if (s == null) {
            ctx.redirect("/ui/login", HttpStatus.SEE_OTHER);
            return;
        }
        h.handle(s);
    }

    private void login(Context ctx) {
        try {
            UiAccounts.Account a = accounts.login(ctx.formParam("username"), ctx.formParam("password"), ctx.ip());
            String token = sessions.open(a.username());
            Cookie c = new Cookie(COOKIE, token, "/ui", -1, secure(ctx), true, null, SameSite.STRICT);
            ctx.cookie(c);
            LOG.info("ui: {} signed in from {}", a.username(), ctx.ip());
            ctx.redirect("/ui/fleet", HttpStatus.SEE_OTHER);
        } catch (UiAccounts.LoginRefused e) {
            LOG.warn("ui: sign-in refused from {}: {}", ctx.ip(), e.getMessage());
            page(ctx, e.throttled ? 429 : 401, "login", Map.of("error", e.getMessage()));
        }
    }

    private static boolean secure(Context ctx) {
        return "https".equalsIgnoreCase(ctx.scheme()) || "https".equalsIgnoreCase(ctx.header("X-Forwarded-Proto"));
    }

    private static boolean csrfMatches(Context ctx, Signed s) {
        String sent = ctx.formParam("csrf");
        return sent != null && MessageDigest.isEqual(sent.getBytes(StandardCharsets.UTF_8),
                s.session().csrf().getBytes(StandardCharsets.UTF_8));
    }

    // ---- pages ----------------------------------------------------------------------------------------------

    private void fleetPage(Context ctx, Signed s) {
        ObjectNode fleet = portal.fleet();
        List<Map<String, Object>> rows = new ArrayList<>();
        int stale = 0;
        int drift = 0;
        for (JsonNode cu : fleet.get("customers")) {
            Map<String, Object> row = fleetRow(cu);
            stale += Boolean.TRUE.equals(row.get("stale")) ? 1 : 0;
            drift += Boolean.TRUE.equals(row.get("drifting")) ? 1 : 0;
            rows.add(row);
        }
        Map<String, Object> vars = new HashMap<>();
        vars.put("rows", rows);
        vars.put("generatedAt", TIME.format(Instant.parse(fleet.get("generated_at").asText())));
        vars.put("interval", age(fleet.get("heartbeat_interval_seconds").asLong()));
        vars.put("staleCount", stale);
        vars.put("driftCount", drift);
        page(ctx, 200, "fleet", s.vars(vars));
    }

    /** One customer of the fleet document as the table shows it. */
    private Map<String, Object> fleetRow(JsonNode cu) {
        Map<String, Object> row = new HashMap<>();
        row.put("customer", cu.get("customer").asText());
        row.put("name", cu.get("name").asText());
        row.put("licence", cu.path("licence").isTextual() ? cu.get("licence").asText() : "");
        row.put("expires", cu.path("expires").asText(""));
        JsonNode hb = cu.get("last_heartbeat");
        boolean never = hb == null || hb.isNull();
        Set<String> licensed = strings(cu.get("licensed_modules"));
        Set<String> active = never ? Set.of() : strings(hb.get("active_modules"));
        row.put("never", never);
        row.put("version", never ? "" : hb.get("version").asText());
        row.put("health", never ? "" : hb.get("health").asText());
        row.put("uptime", never ? "" : age(hb.get("uptime_seconds").asLong()));
        row.put("lastHeartbeat", never ? "never" : TIME.format(Instant.parse(hb.get("received_at").asText())));
        row.put("age", never ? "" : age(cu.get("age_seconds").asLong()) + " ago");
        row.put("modules", moduleCells(licensed, active, never));
        boolean stale = cu.path("stale").asBoolean(true);
        row.put("stale", stale);
        List<String> drift = new ArrayList<>();
        if (cu.path("drift").isArray()) {
            cu.get("drift").forEach(d -> drift.add(d.asText()));
        }
        row.put("drift", drift);
        row.put("drifting", !drift.isEmpty());
        row.put("desiredVersion", cu.path("desired_version").asText(""));
        String status;
        if (never) {
            status = "NO HEARTBEAT";
        } else if (stale) {
            status = "STALE";
        } else if (!drift.isEmpty()) {
            status = "DRIFT";
        } else {
            status = "OK";
        }
        row.put("status", status);
        row.put("rowClass", stale ? "stale" : drift.isEmpty() ? "ok" : "drift");
        return row;
    }

    /** Licensed and reported-active modules side by side: both, licensed but not active, active but not licensed. */
    private static List<Map<String, String>> moduleCells(Set<String> licensed, Set<String> active, boolean never) {
        Set<String> all = new LinkedHashSet<>(licensed);
        all.addAll(active);
        List<Map<String, String>> out = new ArrayList<>();
        for (String m : all) {
            String state;
            if (never || licensed.contains(m) && active.contains(m)) {
                state = "both";
            } else if (licensed.contains(m)) {
                state = "inactive";
            } else {
                state = "unlicensed";
            }
            out.add(Map.of("name", m, "state", state, "title", switch (state) {
                case "inactive" -> "licensed, not reported active";
                case "unlicensed" -> "reported active, not licensed";
                default -> "licensed";
            }));
        }
        return out;
    }

    private void customerPage(Context ctx, Signed s, String id) {
        ObjectNode c = portal.customer(id, HISTORY_ROWS);
        Map<String, Object> row = fleetRow(c.get("fleet_row"));
        List<Map<String, Object>> beats = new ArrayList<>();
        for (JsonNode hb : c.get("heartbeats")) {
            Map<String, Object> b = new HashMap<>();
            b.put("at", TIME.format(Instant.parse(hb.get("received_at").asText())));
            b.put("instance", hb.get("instance_id").asText());
            b.put("version", hb.get("version").asText());
            b.put("gitSha", hb.get("git_sha").asText());
            b.put("schema", hb.get("schema").asText());
            b.put("uptime", age(hb.get("uptime_seconds").asLong()));
            b.put("health", hb.get("health").asText());
            b.put("modules", String.join(", ", strings(hb.get("active_modules"))));
            beats.add(b);
        }
        List<Map<String, Object>> licences = new ArrayList<>();
        for (JsonNode l : c.get("licences")) {
            licences.add(Map.of("id", l.get("id").asText(), "revision", l.get("revision").asInt(),
                    "expires", l.get("expires").asText(), "modules", String.join(", ", strings(l.get("modules")))));
        }
        Map<String, Object> vars = new HashMap<>();
        vars.put("customer", id);
        vars.put("name", c.get("name").asText());
        vars.put("row", row);
        vars.put("beats", beats);
        vars.put("licences", licences);
        String enrolled = ctx.queryParam("enrolled");
        vars.put("enrolled", enrolled != null && Portal.LICENCE_ID.matcher(enrolled).matches() ? enrolled : "");
        page(ctx, 200, "customer", s.vars(vars));
    }

    private void licencePage(Context ctx, Signed s, String id, int status, String error, Map<String, Object> form) {
        Portal.checkId(Portal.LICENCE_ID, "licence id", id);
        ObjectNode l = portal.licence(id);
        Map<String, Object> vars = new HashMap<>();
        vars.put("id", id);
        vars.put("customer", l.get("customer").asText());
        vars.put("revision", l.get("revision").asInt());
        vars.put("validFrom", l.get("valid_from").asText());
        vars.put("expires", l.get("expires").asText());
        vars.put("keyId", l.get("key_id").asText());
        vars.put("updatedAt", TIME.format(Instant.parse(l.get("updated_at").asText())));
        vars.put("updatedBy", l.get("updated_by").asText());
        vars.put("modules", String.join(", ", strings(l.get("modules"))));
        List<String> limits = new ArrayList<>();
        l.get("limits").fields().forEachRemaining(e -> limits.add(e.getKey() + " " + e.getValue().asText()));
        vars.put("limits", String.join(", ", limits));
        vars.put("error", error == null ? "" : error);
        String saved = ctx.queryParam("saved");
        vars.put("saved", saved != null && saved.matches("[0-9]{1,9}") ? saved : "");
        // the edit form: what was typed when it was refused, else the licence as it is
        licenceFields(vars, form, strings(l.get("modules")), l.get("limits"), l.get("valid_from").asText(),
                l.get("expires").asText());
        List<Map<String, Object>> history = new ArrayList<>();
        for (JsonNode h : portal.history(id)) {
            history.add(Map.of("at", TIME.format(Instant.parse(h.get("at").asText())), "actor", h.get("actor").asText(),
                    "action", h.get("action").asText(), "change", describe(h.get("change"))));
        }
        java.util.Collections.reverse(history);
        vars.put("history", history);
        page(ctx, status, "licence", s.vars(vars));
    }

    private void saveLicence(Context ctx, Signed s, String id) {
        if (!csrfOk(ctx, s) || !mayEdit(ctx, s, "licence " + id)) {
            return;
        }
        Portal.checkId(Portal.LICENCE_ID, "licence id", id);
        Map<String, Object> form = licenceForm(ctx);
        try {
            ObjectNode body = licenceBody(form);
            body.put("customer", portal.licence(id).get("customer").asText());
            ObjectNode after = portal.putLicence("ui:" + s.account().username(), id, body);
            ctx.redirect("/ui/licences/" + id + "?saved=" + after.get("revision").asInt(), HttpStatus.SEE_OTHER);
        } catch (ApiException e) {
            if (e.status() != 400) {
                throw e;
            }
            licencePage(ctx, s, id, 400, shown(e), form);
        }
    }

    /** A refusal as the form shows it above itself: the message and, in brackets, the hint. */
    private static String shown(ApiException e) {
        return e.getMessage() + (e.hint() == null ? "" : " (" + e.hint() + ")");
    }

    /** A licence-admin may change licences and enrol customers; anyone else gets a 403 page (and a log line). */
    private boolean mayEdit(Context ctx, Signed s, String what) {
        if (s.account().canEditLicences()) {
            return true;
        }
        LOG.warn("ui: {} refused: {} is a {}", what, s.account().username(), s.account().role());
        error(ctx, 403, "your account (" + s.account().role() + ") may not change licences or enrol customers",
                "ask for the licence-admin role");
        return false;
    }

    private boolean csrfOk(Context ctx, Signed s) {
        if (csrfMatches(ctx, s)) {
            return true;
        }
        LOG.warn("ui: {} {} by {} refused: missing or wrong CSRF token", ctx.method(), ctx.path(),
                s.account().username());
        error(ctx, 403, "this form has expired or did not come from this portal", "open the page again");
        return false;
    }

    /**
     * The licence fields as typed (modules ticked, limits, dates) and the page's {@code more} text fields, stripped,
     * for saving or for showing again.
     */
    private static Map<String, Object> licenceForm(Context ctx, String... more) {
        Map<String, Object> form = new HashMap<>();
        form.put("modules", ctx.formParams("modules"));
        List<String> fields = new ArrayList<>(List.of("users", "cost_centres", "valid_from", "expires"));
        fields.addAll(List.of(more));
        for (String f : fields) {
            String v = ctx.formParam(f);
            form.put(f, v == null ? "" : v.strip());
        }
        return form;
    }

    /** The API's licence body from the form: an empty limit is no limit; a limit must be a whole number. */
    private static ObjectNode licenceBody(Map<String, Object> form) {
        ObjectNode body = Portal.JSON.createObjectNode();
        body.set("modules", Portal.JSON.valueToTree(form.get("modules")));
        ObjectNode limits = body.putObject("limits");
        for (String lim : Portal.KNOWN_LIMITS) {
            String v = (String) form.get(lim);
            if (!v.isEmpty()) {
                if (!v.matches("[0-9]{1,12}")) {
                    throw ApiException.badRequest("limit '" + lim + "' must be a whole number >= 1, got '" + v
                            + "'", "leave it empty for no limit");
                }
                limits.put(lim, Long.parseLong(v));
            }
        }
        for (String date : List.of("valid_from", "expires")) {
            String v = (String) form.get(date);
            if (!v.isEmpty()) {
                body.put(date, v); // left out when empty: valid from today; expires is required
            }
        }
        return body;
    }

    /** The licence form's fields: what was typed when it was refused, else the given values. */
    private static void licenceFields(Map<String, Object> vars, Map<String, Object> form, Set<String> modules,
                                      JsonNode limits, String validFrom, String expires) {
        Set<String> checked = form == null ? modules : Set.copyOf(listOf(form.get("modules")));
        List<Map<String, Object>> boxes = new ArrayList<>();
        for (String m : Portal.KNOWN_MODULES) {
            boxes.add(Map.of("name", m, "checked", checked.contains(m)));
        }
        vars.put("moduleBoxes", boxes);
        vars.put("formUsers", form == null ? limits.path("users").asText("") : form.get("users"));
        vars.put("formCostCentres", form == null ? limits.path("cost_centres").asText("") : form.get("cost_centres"));
        vars.put("formValidFrom", form == null ? validFrom : form.get("valid_from"));
        vars.put("formExpires", form == null ? expires : form.get("expires"));
    }

    // ---- enrolment ------------------------------------------------------------------------------------------

    private void enrolPage(Context ctx, Signed s, int status, String error, Map<String, Object> form) {
        Map<String, Object> vars = new HashMap<>();
        vars.put("error", error == null ? "" : error);
        vars.put("formCustomer", form == null ? "" : form.get("customer"));
        vars.put("formName", form == null ? "" : form.get("name"));
        vars.put("formLicence", form == null ? "" : form.get("licence"));
        LocalDate today = LocalDate.now(clock);
        licenceFields(vars, form, Set.of(), Portal.JSON.createObjectNode(), today.toString(),
                today.plusYears(1).minusDays(1).toString());
        page(ctx, status, "enrol", s.vars(vars));
    }

    private void enrol(Context ctx, Signed s) {
        if (!csrfOk(ctx, s) || !mayEdit(ctx, s, "enrolment")) {
            return;
        }
        Map<String, Object> form = licenceForm(ctx, "customer", "name", "licence");
        String customer = (String) form.get("customer");
        String licence = (String) form.get("licence");
        try {
            portal.enrol("ui:" + s.account().username(), customer,
                    Portal.JSON.createObjectNode().put("name", (String) form.get("name")), licence, licenceBody(form));
            ctx.redirect("/ui/customers/" + customer + "?enrolled=" + licence, HttpStatus.SEE_OTHER);
        } catch (ApiException e) {
            if (e.status() != 400 && e.status() != 409) {
                throw e;
            }
            enrolPage(ctx, s, e.status(), shown(e), form);
        }
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    private void page(Context ctx, int status, String template, Map<String, Object> vars) {
        Map<String, Object> v = new HashMap<>(vars);
        v.putIfAbsent("user", null);
        v.putIfAbsent("csrf", "");
        v.putIfAbsent("canEdit", false);
        String html = engine.process(template, new org.thymeleaf.context.Context(Locale.ROOT, v));
        ctx.status(status)
                .header("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self';"
                        + " form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
                .header("X-Frame-Options", "DENY")
                .header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "same-origin")
                .header("Cache-Control", "no-store")
                .html(html);
    }

    private static Set<String> strings(JsonNode n) {
        Set<String> out = new LinkedHashSet<>();
        if (n != null && n.isArray()) {
            n.forEach(e -> out.add(e.asText()));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static List<String> listOf(Object o) {
        return o instanceof List<?> l ? (List<String>) l : List.of();
    }

    /** A licence history entry's change as one line: {@code modules: [a] -> [a, b]; expires: ... -> ...}. */
    private static String describe(JsonNode change) {
        if (change == null || !change.isObject()) {
            return "";
        }
        List<String> parts = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = change.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            if (v.isObject() && v.has("to")) {
                parts.add(e.getKey() + ": " + plain(v.get("from")) + " \u2192 " + plain(v.get("to")));
            } else {
                parts.add(e.getKey() + ": " + plain(v));
            }
        }
        return String.join("; ", parts);
    }

    private static String plain(JsonNode n) {
        if (n == null || n.isNull()) {
            return "\u2014";
        }
        return n.isTextual() ? n.asText() : n.toString();
    }

    /** Seconds as a short human duration: 45 s, 3 min, 2 h 5 min, 3 d 4 h. */
    static String age(long seconds) {
        if (seconds < 60) {
            return seconds + " s";
        }
        if (seconds < 3600) {
            return seconds / 60 + " min";
        }
        if (seconds < 86_400) {
            return seconds / 3600 + " h " + seconds % 3600 / 60 + " min";
        }
        return seconds / 86_400 + " d " + seconds % 86_400 / 3600 + " h";
    }
}
