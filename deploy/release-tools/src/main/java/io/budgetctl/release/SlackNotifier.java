package io.budgetctl.release;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Posts the announcement to a Slack incoming webhook: {@code {"text": ...}} as JSON; anything but 2xx fails. */
public final class SlackNotifier {
  private final URI webhook;
  private final HttpClient http;

  public SlackNotifier(URI webhook) {
    if (!"https".equals(webhook.getScheme()) && !"http".equals(webhook.getScheme())) {
      throw new ReleaseException("Slack webhook must be an http(s) URL (hint: SLACK_WEBHOOK_URL=https://hooks.slack.com/services/...)");
    }
    this.webhook = webhook;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  }

  public void send(Announcement a) {
    ObjectNode json = new ObjectMapper().createObjectNode();
    json.put("text", "*" + a.subject() + "*"
        + (a.releaseUrl() == null || a.releaseUrl().isBlank() ? "" : " <" + a.releaseUrl() + "|release notes>")
        + "\n" + a.changelog().strip());
    json.put("unfurl_links", false);
    HttpRequest request = HttpRequest.newBuilder(webhook).timeout(Duration.ofSeconds(20))
        .header("Content-Type", "application/json; charset=utf-8")
        .POST(HttpRequest.BodyPublishers.ofString(json.toString())).build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() / 100 != 2) {
        throw new ReleaseException("Slack webhook answered HTTP " + response.statusCode() + " "
            + response.body().strip() + " (hint: check the webhook URL secret; the release itself is done)");
      }
    } catch (IOException e) {
      // the URL carries the webhook's secret path: name the host only
      throw new ReleaseException("cannot reach the Slack webhook at " + webhook.getHost() + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ReleaseException("interrupted while notifying Slack", e);
    }
  }
}
