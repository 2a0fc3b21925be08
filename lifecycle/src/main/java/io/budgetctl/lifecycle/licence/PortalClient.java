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

/** Fetches a customer's signed licence from the portal's API ({@code GET /api/v1/customers/{id}/licence}). */
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
        URI uri = URI.create(settings.url() + "/api/v1/customers/" + client + "/licence");
        SourceLocation where = SourceLocation.of(settings.url().toString());
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout).GET()
                .header("Authorization", "Bearer " + settings.token().reveal()).header("Accept", "application/json");
        if (operator != null && operator.matches("[A-Za-z0-9._@+-]{1,100}")) {
            b.header("X-Portal-Actor", operator);
        }
        HttpResponse<byte[]> r;
        try {
            r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpTimeoutException e) {
            throw new EngineException(where, "the licence portal did not answer within " + timeout.toSeconds() + " s",
                    "check that it runs (GET " + settings.url() + "/healthz); nothing was changed");
        } catch (IOException e) {
            throw new EngineException(where, "cannot reach the licence portal: " + (e.getMessage() == null
                    ? e.getClass().getSimpleName() : e.getMessage()), "check BUDGETCTL_PORTAL_URL / portal.yaml and"
                    + " the network; nothing was changed");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException(where, "interrupted while asking the licence portal", null);
        }
        if (r.statusCode() == 200) {
            if (r.body().length > MAX_BYTES) {
                throw new EngineException(where, "the portal's answer is larger than a licence can be", null);
            }
            return r.body();
        }
        String error = errorOf(r.body());
        if (r.statusCode() == 401 || r.statusCode() == 403) {
            throw new EngineException(where, "the licence portal refused the API token (HTTP " + r.statusCode() + ")",
                    "check BUDGETCTL_PORTAL_TOKEN or portal.yaml's 'token' (docs/portal.md)");
        }
        if (r.statusCode() == 404) {
            throw new EngineException(where, "the licence portal has no licence for '" + client + "'"
                    + (error == null ? "" : ": " + error), "issue it on the portal (PUT /api/v1/licences/{id})");
        }
        throw new EngineException(where, "the licence portal answered HTTP " + r.statusCode()
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
