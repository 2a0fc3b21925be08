package io.budgetctl.notify;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A Slack-style incoming webhook (Slack, Mattermost, ...): one JSON POST per message, 10 s to connect, 20 s for the
 * answer, redirects not followed. The URL's path is the webhook's secret: only {@link #host()} is fit for messages.
 */
public final class Webhook {
    private final URI url;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    /** What the webhook answered. */
    public record Answer(int status, String body) {
        /** A 2xx status: the message was taken. */
        public boolean ok() {
            return status / 100 == 2;
        }
    }

    /** @throws IllegalArgumentException unless {@code url} is an http(s) URL with a host */
    public Webhook(URI url) {
        if (!("https".equals(url.getScheme()) || "http".equals(url.getScheme())) || url.getHost() == null) {
            throw new IllegalArgumentException("a webhook must be an http(s) URL");
        }
        this.url = url;
    }

    /** The webhook's host: what messages may name (never the secret path). */
    public String host() {
        return url.getHost();
    }

    /**
     * POSTs {@code json} as {@code application/json; charset=utf-8} and returns the answer, whatever its status.
     *
     * @throws IOException when there is no answer
     */
    public Answer post(String json) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        return new Answer(r.statusCode(), r.body());
    }
}
