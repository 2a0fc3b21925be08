package io.budgetctl.lifecycle.licence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.budgetctl.engine.api.EngineException;
import io.budgetctl.engine.api.SourceLocation;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/**
 * budgetctl's side of the licence portal's API: a customer's signed licence ({@code GET /api/v1/customers/{id}/licence})
 * and the repository's desired state ({@code PUT /api/v1/desired-state}).
 */
public final class PortalClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_BYTES = 256 * 1024;
    private final PortalSettings settings;
    private final Duration timeout;
    private final HttpClient http;

    public PortalClient(PortalSettings settings, Duration timeout) {
        this.settings = settings;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /**
     * The licence file's bytes, unverified.
     *
     * @throws EngineException one line saying what went wrong (unreachable, timeout, refused token, no licence)
     */
    public byte[] licenceFile(String client, String operator) {
        HttpResponse<byte[]> r = send(HttpRequest.newBuilder(URI.create(settings.url() + "/api/v1/customers/" + client
                + "/licence")).GET(), operator);
        if (r.statusCode() == 404) {
            String error = errorOf(r.body());
            throw new EngineException(where(), "the licence portal has no licence for '" + client + "'"
                    + (error == null ? "" : ": " + error), "issue it on the portal (PUT /api/v1/licences/{id})");
        }
        return ok(r);
    }

    /**
     * Replaces the portal's desired state ({@code PUT /api/v1/desired-state}) with {@code document}; returns the
     * number of customers the portal recorded.
     *
     * @throws EngineException one line saying what went wrong (unreachable, timeout, refused token, refused input)
     */
    public int putDesiredState(JsonNode document, String operator) {
        byte[] body;
        try {
            body = JSON.writeValueAsBytes(document);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        HttpResponse<byte[]> r = send(HttpRequest.newBuilder(URI.create(settings.url() + "/api/v1/desired-state"))
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofByteArray(body)), operator);
        byte[] answer = ok(r);
        try {
            JsonNode n = JSON.readTree(answer);
            if (n == null || !n.path("customers").canConvertToInt()) {
                throw new EngineException(where(), "the licence portal's answer is not what it should be (no"
                        + " 'customers' count)", "is " + settings.url() + " a licence portal?");
            }
            return n.get("customers").asInt();
        } catch (IOException e) {
            throw new EngineException(where(), "the licence portal's answer is not JSON", "is " + settings.url()
                    + " a licence portal?");
        }
    }

    private SourceLocation where() {
        return SourceLocation.of(settings.url().toString());
    }

    private HttpResponse<byte[]> send(HttpRequest.Builder b, String operator) {
        b.timeout(timeout).header("Authorization", "Bearer " + settings.token().reveal())
                .header("Accept", "application/json");
        if (operator != null && operator.matches("[A-Za-z0-9._@+-]{1,100}")) {
            b.header("X-Portal-Actor", operator);
        }
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpTimeoutException e) {
            throw new EngineException(where(), "the licence portal did not answer within " + timeout.toSeconds()
                    + " s", "check that it runs (GET " + settings.url() + "/healthz); nothing was changed");
        } catch (IOException e) {
            throw new EngineException(where(), "cannot reach the licence portal: " + (e.getMessage() == null
                    ? e.getClass().getSimpleName() : e.getMessage()), "check BUDGETCTL_PORTAL_URL / portal.yaml and"
                    + " the network; nothing was changed");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException(where(), "interrupted while asking the licence portal", null);
        }
    }

    /** The body of a 200 answer; any other status is one line naming it. */
    private byte[] ok(HttpResponse<byte[]> r) {
        if (r.statusCode() == 200) {
            if (r.body().length > MAX_BYTES) {
                throw new EngineException(where(), "the portal's answer is larger than it can be", null);
            }
            return r.body();
        }
        String error = errorOf(r.body());
        if (r.statusCode() == 401 || r.statusCode() == 403) {
            throw new EngineException(where(), "the licence portal refused the API token (HTTP " + r.statusCode()
                    + ")", "check BUDGETCTL_PORTAL_TOKEN or portal.yaml's 'token' (docs/licence-portal.md)");
        }
        throw new EngineException(where(), "the licence portal answered HTTP " + r.statusCode()
                + (error == null ? "" : ": " + error), "see the portal's log; nothing was changed");
    }

    private static String errorOf(byte[] body) {
        try {
            JsonNode n = JSON.readTree(body);
            if (n == null || !n.path("error").isTextual()) {
                return null;
            }
            String e = n.get("error").asText().replaceAll("\\p{Cntrl}", " ");
            return e.length() > 200 ? e.substring(0, 200) + "..." : e;
        } catch (IOException e) {
            return null;
        }
    }
}
