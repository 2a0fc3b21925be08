package io.budgetctl.lifecycle.repo;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.budgetctl.engine.api.EngineException;
import io.budgetctl.engine.api.Secret;
import io.budgetctl.engine.api.SourceLocation;
import io.budgetctl.lifecycle.secrets.PemFiles;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLContext;

/**
 * A copy of every controller audit line sent to the licence portal ({@code BUDGETCTL_AUDIT_PORTAL}, its base URL):
 * {@code POST /api/v1/audit} with the line as the body, unchanged, the portal's API token
 * ({@code BUDGETCTL_AUDIT_PORTAL_TOKEN}) and the controller's host name ({@code X-Budgetctl-Controller}). The portal
 * keeps the line and checks it against the one before it from the same controller (its seq and prev), so an edit of
 * the controller's file after the fact shows there. HTTPS is checked against the JVM's trusted CAs or
 * {@code BUDGETCTL_AUDIT_PORTAL_CA} (PEM); plain http is accepted for 127.0.0.1/localhost only. Any answer but 2xx
 * is a failure, which stops the command ({@link Audit}).
 */
final class PortalAuditSink implements AuditCopy {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI endpoint;
    private final Secret token;
    private final HttpClient http;
    private final String controller;

    private PortalAuditSink(URI endpoint, Secret token, HttpClient http, String controller) {
        this.endpoint = endpoint;
        this.token = token;
        this.http = http;
        this.controller = controller;
    }

    /** The sink for base URL {@code url}; the token and CA are read from {@code env} now, so a bad one stops early. */
    static PortalAuditSink parse(String url, Map<String, String> env) {
        SourceLocation where = SourceLocation.of("$BUDGETCTL_AUDIT_PORTAL");
        String hint = "the licence portal's base URL, e.g. https://licences.vendor.example (docs/access.md)";
        URI u;
        try {
            u = URI.create(url.strip().replaceAll("/+$", ""));
        } catch (IllegalArgumentException e) {
            throw new EngineException(where, "BUDGETCTL_AUDIT_PORTAL '" + url + "' is not a URL", hint);
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("https") || scheme.equals("http")) || u.getHost() == null || u.getQuery() != null) {
            throw new EngineException(where, "BUDGETCTL_AUDIT_PORTAL '" + url + "' is not an http(s) URL", hint);
        }
        if (scheme.equals("http") && !(u.getHost().equals("127.0.0.1") || u.getHost().equals("localhost"))) {
            throw new EngineException(where, "BUDGETCTL_AUDIT_PORTAL '" + url + "' would send the audit and the"
                    + " portal's token in the clear", "use https:// (plain http only for a portal on this machine)");
        }
        String token = env.get("BUDGETCTL_AUDIT_PORTAL_TOKEN");
        if (token == null || token.isBlank()) {
            throw new EngineException(SourceLocation.of("$BUDGETCTL_AUDIT_PORTAL_TOKEN"), "BUDGETCTL_AUDIT_PORTAL is"
                    + " set but BUDGETCTL_AUDIT_PORTAL_TOKEN is not", "set it to the portal's API token (from the"
                    + " pipeline's secrets or the operator's environment, never the repository)");
        }
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER);
        String ca = env.get("BUDGETCTL_AUDIT_PORTAL_CA");
        if (ca != null && !ca.isBlank()) {
            try {
                SSLContext ctx = SSLContext.getInstance("TLS");
                ctx.init(null, PemFiles.trusting(PemFiles.certificates(Path.of(ca))), null);
                b.sslContext(ctx);
            } catch (IOException | java.security.GeneralSecurityException e) {
                throw new EngineException(SourceLocation.of("$BUDGETCTL_AUDIT_PORTAL_CA"), "cannot read the"
                        + " portal's CA " + ca + ": " + e.getMessage(), "a PEM file with the certificate(s) of the CA"
                        + " that signed the portal's certificate");
            }
        }
        return new PortalAuditSink(URI.create(u + "/api/v1/audit"), Secret.of(token.strip()), b.build(), hostname());
    }

    @Override
    public void send(String line, Instant time) throws IOException {
        HttpRequest req = HttpRequest.newBuilder(endpoint).timeout(TIMEOUT)
                .header("Authorization", "Bearer " + token.reveal())
                .header("Content-Type", "application/json")
                .header("X-Budgetctl-Controller", controller)
                .POST(HttpRequest.BodyPublishers.ofString(line)).build();
        HttpResponse<String> r;
        try {
            r = http.send(req, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        if (r.statusCode() / 100 != 2) {
            throw new IOException("HTTP " + r.statusCode() + reason(r.body()));
        }
    }

    @Override
    public String describe() {
        return "the licence portal at " + endpoint;
    }

    @Override
    public String setting() {
        return "BUDGETCTL_AUDIT_PORTAL";
    }

    /** ": the portal's error message" of an error answer ({"error": ..., "hint": ...}), or "" for anything else. */
    private static String reason(String body) {
        try {
            String m = JSON.readTree(body).path("error").asText("");
            return m.isEmpty() ? "" : ": " + m;
        } catch (IOException e) {
            return "";
        }
    }

    /**
     * This controller's name as the portal files its lines: the host name the syslog copy sends too, or "localhost"
     * when it is not one the portal takes (a host name: letters, digits, '.', '-').
     */
    private static String hostname() {
        String h = AuditSink.hostname();
        return h.matches("[A-Za-z0-9][A-Za-z0-9.-]{0,252}") ? h : "localhost";
    }
}
