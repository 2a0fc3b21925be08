package io.budgetctl.release;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.budgetctl.notify.Webhook;
import java.io.IOException;
import java.net.URI;

/**
 * Posts the announcement to a Slack incoming webhook (through budgetctl-notify's {@link Webhook}):
 * {@code {"text": ..., "unfurl_links": false}}; anything but 2xx fails.
 */
public final class SlackNotifier {
  private final Webhook webhook;

  public SlackNotifier(URI webhook) {
    try {
      this.webhook = new Webhook(webhook);
    } catch (IllegalArgumentException e) {
      throw new ReleaseException("Slack webhook must be an http(s) URL (hint: SLACK_WEBHOOK_URL=https://hooks.slack.com/services/...)");
    }
  }

  public void send(Announcement a) {
    ObjectNode json = new ObjectMapper().createObjectNode();
    json.put("text", "*" + a.subject() + "*"
        + (a.releaseUrl() == null || a.releaseUrl().isBlank() ? "" : " <" + a.releaseUrl() + "|release notes>")
        + "\n" + a.changelog().strip());
    json.put("unfurl_links", false);
    try {
      Webhook.Answer answer = webhook.post(json.toString());
      if (!answer.ok()) {
        throw new ReleaseException("Slack webhook answered HTTP " + answer.status() + " "
            + answer.body().strip() + " (hint: check the webhook URL secret; the release itself is done)");
      }
    } catch (IOException e) {
      // the URL carries the webhook's secret path: name the host only
      throw new ReleaseException("cannot reach the Slack webhook at " + webhook.host() + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ReleaseException("interrupted while notifying Slack", e);
    }
  }
}
