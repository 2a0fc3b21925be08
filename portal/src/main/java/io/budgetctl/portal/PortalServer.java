package io.budgetctl.portal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The portal's HTTP API (Javalin on embedded Jetty), documented in {@code openapi.json} (served at
 * {@code /openapi.json}) and docs/licence-portal.md. Three kinds of caller: anyone ({@code /healthz}, the OpenAPI document,
 * the public keys), an instance with its own token (heartbeats), and the API token of budgetctl and the vendor's
 * tools (everything else). Errors are {@code {"error": ..., "hint": ...}}, never a stack trace.
 */
public final class PortalServer implements AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(PortalServer.class);
    private static final Pattern ACTOR = Pattern.compile("[A-Za-z0-9._@+-]{1,100}");
    private static final String JSON_TYPE = "application/json";
    /** Set on a request whose error body is written, so the 404 page does not replace a "no licence" answer. */
    private static final String ERROR_SET = "portal.error";

    private final Database db;
    private final Portal portal;
    private final UiAccounts accounts;
    private final WebUi ui;
    private final Alerter alerter;
    private final PortalConfig config;
    private final Javalin app;

    /** The controllers' audit lines (POST/GET /api/v1/audit). */
    private final ControllerAudit audit;

    private PortalServer(PortalConfig config, Clock clock) {
        this.config = config;
        SigningKeys.Loaded key = SigningKeys.load(config.signingKey(), config.signingPub());
        this.db = Database.open(config.dbUrl(), config.dbUser(), config.dbPassword());
        try {
            this.portal = new Portal(db, key, clock, config.heartbeatInterval());
            this.audit = new ControllerAudit(portal);
            this.accounts = new UiAccounts(portal, clock);
            this.ui = new WebUi(portal, accounts, clock);
            this.alerter = config.alerting().any() ? new Alerter(portal, config.alerting(), clock) : null;
            this.app = Javalin.create(cfg -> {
                cfg.startup.showJavalinBanner = false;
                cfg.http.maxRequestSize = 64 * 1024;
                cfg.routes.get("/healthz", ctx -> ctx.contentType(JSON_TYPE).result("{\"status\":\"ok\"}"));
                cfg.routes.get("/openapi.json", ctx -> ctx.contentType(JSON_TYPE).result(openapi()));
                cfg.routes.get("/api/v1/keys", ctx -> json(ctx, 200, keysDoc()));
                cfg.routes.post("/api/v1/heartbeats", ctx -> {
                    portal.heartbeat(Tokens.bearer(ctx.header("Authorization")), body(ctx), ctx.ip());
                    ctx.status(204);
                });
                cfg.routes.put("/api/v1/customers/{id}", admin((ctx, who) ->
                        json(ctx, 200, portal.putCustomer(who, ctx.pathParam("id"), body(ctx)))));
                cfg.routes.post("/api/v1/customers/{id}/instances", admin((ctx, who) ->
                        json(ctx, 201, portal.enrol(who, ctx.pathParam("id"), body(ctx)))));
                cfg.routes.get("/api/v1/customers/{id}/licence", admin((ctx, who) -> ctx.contentType(JSON_TYPE)
                        .result(portal.customerLicenceFile(ctx.pathParam("id")))));
                cfg.routes.delete("/api/v1/instances/{id}", admin((ctx, who) -> {
                    portal.revoke(who, ctx.pathParam("id"));
                    ctx.status(204);
                }));
                cfg.routes.put("/api/v1/licences/{id}", admin((ctx, who) ->
                        json(ctx, 200, portal.putLicence(who, ctx.pathParam("id"), body(ctx)))));
                cfg.routes.get("/api/v1/licences/{id}", admin((ctx, who) ->
                        json(ctx, 200, portal.licence(ctx.pathParam("id")))));
                cfg.routes.get("/api/v1/licences/{id}/file", admin((ctx, who) -> ctx.contentType(JSON_TYPE)
                        .result(portal.licence(ctx.pathParam("id")).get("file").asText())));
                cfg.routes.get("/api/v1/licences/{id}/history", admin((ctx, who) ->
                        json(ctx, 200, portal.history(ctx.pathParam("id")))));
                cfg.routes.post("/api/v1/licences/{id}/resign", admin((ctx, who) ->
                        json(ctx, 200, portal.resign(who, ctx.pathParam("id")))));
                cfg.routes.get("/api/v1/fleet", admin((ctx, who) -> json(ctx, 200, portal.fleet())));
                cfg.routes.post("/api/v1/audit", admin((ctx, who) -> {
                    ObjectNode r = audit.receive(who, ctx.header("X-Budgetctl-Controller"), ctx.body());
                    json(ctx, r.path("stored").asBoolean() ? 201 : 200, r);
                }));
                cfg.routes.get("/api/v1/audit", admin((ctx, who) -> json(ctx, 200, audit.list(
                        ctx.queryParam("controller"), limit(ctx.queryParam("limit"))))));
                cfg.routes.put("/api/v1/desired-state", admin((ctx, who) ->
                        json(ctx, 200, portal.putDesiredState(who, body(ctx)))));
                cfg.routes.put("/api/v1/users/{name}", admin((ctx, who) ->
                        json(ctx, 200, accounts.put(who, ctx.pathParam("name"), body(ctx)))));
                cfg.routes.delete("/api/v1/users/{name}", admin((ctx, who) -> {
                    accounts.disable(who, ctx.pathParam("name"));
                    ctx.status(204);
                }));
                ui.routes(cfg.routes);
                cfg.routes.exception(ApiException.class, (e, ctx) -> error(ctx, e.status(), e.getMessage(), e.hint()));
                cfg.routes.exception(Exception.class, (e, ctx) -> {
                    LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
                    error(ctx, 500, "internal error", "the portal's log has the details");
                });
                cfg.routes.error(404, ctx -> {
                    if (ctx.attribute(ERROR_SET) == null) {
                        error(ctx, 404, "no such endpoint: " + ctx.method() + " " + ctx.path(),
                                "GET /openapi.json lists the API");
                    }
                });
            });
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }

    /**
     * Starts the portal from flags and {@code PORTAL_*} variables as {@code java -jar portal.jar} does (for tests
     * in other modules that need a real portal); the caller closes it.
     */
    public static PortalServer start(List<String> args, Map<String, String> env, Clock clock) {
        return start(PortalConfig.from(args, env), clock);
    }

    /** Starts the portal; the caller closes it. */
    static PortalServer start(PortalConfig config, Clock clock) {
        PortalServer s = new PortalServer(config, clock);
        try {
            s.app.start(config.host(), config.port());
        } catch (RuntimeException e) {
            s.db.close();
            throw new PortalConfig.ConfigException("cannot listen on " + config.host() + ":" + config.port() + ": "
                    + e.getMessage(), "choose another --port, or stop what listens there");
        }
        LOG.info("licence portal listening on {}:{} (database {}, signing key {})", config.host(), s.port(),
                config.dbUrl(), s.portal.currentKeyId());
        if (s.alerter != null) {
            s.alerter.start();
        }
        return s;
    }

    public int port() {
        return app.port();
    }

    /** The address it listens on (--host). */
    public String host() {
        return config.host();
    }

    String currentKeyId() {
        return portal.currentKeyId();
    }

    /** One alert check now (tests; the timer does the same every --alert-check-interval). */
    List<String> checkAlerts() {
        return alerter == null ? List.of() : alerter.check();
    }

    @Override
    public void close() {
        if (alerter != null) {
            alerter.close();
        }
        app.stop();
        db.close();
    }

    /** A handler that needs the API token; {@code who} is "api", or "api:NAME" from {@code X-Portal-Actor}. */
    private Handler admin(AdminHandler h) {
        return ctx -> {
            String token = Tokens.bearer(ctx.header("Authorization"));
            if (!Tokens.matches(token, config.adminTokenHash())) {
                LOG.warn("API request refused ({}): {} {} from {}", token == null ? "no token" : "wrong token",
                        ctx.method(), ctx.path(), ctx.ip());
                throw new ApiException(401, "API token missing or wrong",
                        "send 'Authorization: Bearer <the portal's API token>'");
            }
            String actor = ctx.header("X-Portal-Actor");
            String who = "api";
            if (actor != null && !actor.isBlank()) {
                if (!ACTOR.matcher(actor).matches()) {
                    throw ApiException.badRequest("X-Portal-Actor is not valid", "allowed: " + ACTOR.pattern());
                }
                who = "api:" + actor;
            }
            h.handle(ctx, who);
        };
    }

    @FunctionalInterface
    private interface AdminHandler {
        void handle(Context ctx, String who) throws Exception;
    }

    private ObjectNode keysDoc() {
        ObjectNode doc = Portal.JSON.createObjectNode();
        doc.put("current", portal.currentKeyId());
        doc.set("keys", portal.keys());
        return doc;
    }

    /** ?limit=N of a listing: 1000 when absent, refused when not a number. */
    private static int limit(String q) {
        if (q == null || q.isBlank()) {
            return 1000;
        }
        try {
            return Integer.parseInt(q.strip());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("limit must be a number, not '" + q + "'", "e.g. ?limit=100");
        }
    }

    private static JsonNode body(Context ctx) {
        String b = ctx.body();
        try {
            JsonNode n = Portal.JSON.readTree(b);
            if (n == null || !n.isObject()) {
                throw ApiException.badRequest("the request body must be a JSON object", null);
            }
            return n;
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("the request body is not JSON: " + e.getOriginalMessage(), null);
        }
    }

    private static void json(Context ctx, int status, JsonNode doc) throws JsonProcessingException {
        ctx.status(status).contentType(JSON_TYPE).result(Portal.JSON.writeValueAsString(doc));
    }

    /** An error as JSON for the API, as a page for the web UI's paths. */
    private void error(Context ctx, int status, String message, String hint) {
        if (ctx.path().equals("/ui") || ctx.path().startsWith("/ui/")) {
            ctx.attribute(ERROR_SET, Boolean.TRUE);
            ui.error(ctx, status, message, hint);
            return;
        }
        ObjectNode e = Portal.JSON.createObjectNode().put("error", message);
        if (hint != null) {
            e.put("hint", hint);
        }
        ctx.attribute(ERROR_SET, Boolean.TRUE);
        ctx.status(status).contentType(JSON_TYPE).result(e.toString());
    }

    static String openapi() {
        try (InputStream in = PortalServer.class.getResourceAsStream("/openapi.json")) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
