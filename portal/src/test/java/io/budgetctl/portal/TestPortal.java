package io.budgetctl.portal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A real portal on a loopback port with its own key, token and database, and a small HTTP client for it. */
final class TestPortal implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String TOKEN = "test-admin-token-0123456789abcdef";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    final PortalServer server;
    final String url;

    private TestPortal(PortalServer server) {
        this.server = server;
        this.url = "http://" + server.host() + ":" + server.port();
    }

    /** Starts a portal on {@code dbUrl} signing with the pair in {@code keyDir} (made when missing). */
    static TestPortal start(Path dir, String dbUrl, Path keyDir, Clock clock, String... extra) throws IOException {
        if (!Files.exists(keyDir.resolve("licence-signing.key"))) {
            SigningKeys.generate(keyDir);
        }
        Path token = dir.resolve("admin.token");
        Files.writeString(token, TOKEN + "\n");
        List<String> args = new ArrayList<>(List.of("--port", "0", "--db-url", dbUrl,
                "--signing-key", keyDir.resolve("licence-signing.key").toString(),
                "--admin-token-file", token.toString(), "--heartbeat-interval", "60"));
        args.addAll(List.of(extra));
        return new TestPortal(PortalServer.start(args, Map.of(), clock));
    }

    static String h2(Path dir) {
        return "jdbc:h2:file:" + dir.resolve("db/portal").toAbsolutePath();
    }

    record Response(int status, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }
    }

    Response call(String method, String path, String token, String body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        try {
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), r.body());
        } catch (IOException e) {
            throw new AssertionError(method + " " + path + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    Response admin(String method, String path, String body) {
        return call(method, path, TOKEN, body);
    }

    @Override
    public void close() {
        server.close();
    }

    /** A clock the test moves by hand: staleness is checked without waiting. */
    static final class MovableClock extends Clock {
        private volatile Instant now;

        MovableClock(Instant start) {
            this.now = start;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
