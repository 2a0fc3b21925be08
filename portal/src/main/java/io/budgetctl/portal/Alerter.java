package io.budgetctl.portal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.budgetctl.notify.Mail;
import io.budgetctl.notify.Smtp;
import io.budgetctl.notify.Webhook;
import jakarta.mail.MessagingException;
import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Alerts on silence and on trouble (docs/licence-portal.md "Alerts"): every check interval it reads the fleet and, for each
 * customer with an enrolled instance, compares its state - stale, unhealthy (its last heartbeat's health is not
 * "ok") or ok - with what it last told ({@code alert_state}). A customer that turns stale (or was never heard from)
 * raises one STALE alert, one whose heartbeats say degraded or failing one UNHEALTHY alert, one back to ok a
 * RECOVERED alert, once per change, not once per check: mail to the list and/or a
 * POST to a Slack-style webhook (both sent through budgetctl-notify, as the release announcements are). The state is
 * written only when at least one channel took the alert, so a failed delivery is tried again at the next check; a
 * restart neither repeats nor misses one. Each alert is audited.
 */
final class Alerter implements AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(Alerter.class);

    private final Portal portal;
    private final PortalConfig.Alerting cfg;
    private final Clock clock;
    /** The channels; null when off. */
    private final Mail mail;
    private final Webhook webhook;
    private ScheduledExecutorService timer;

    Alerter(Portal portal, PortalConfig.Alerting cfg, Clock clock) {
        this.portal = portal;
        this.cfg = cfg;
        this.clock = clock;
        this.mail = cfg.mail() ? new Mail(new Smtp(cfg.smtpHost(), cfg.smtpPort(), cfg.smtpUser(), cfg.smtpPassword(),
                cfg.startTls(), cfg.from())) : null;
        this.webhook = cfg.webhook() == null ? null : new Webhook(cfg.webhook());
    }

    void start() {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "portal-alerts");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(() -> {
            try {
                check();
            } catch (RuntimeException e) {
                LOG.error("alert check failed", e);
            }
        }, cfg.checkEvery().toSeconds(), cfg.checkEvery().toSeconds(), TimeUnit.SECONDS);
        LOG.info("alerts: checking every {} s; {}", cfg.checkEvery().toSeconds(), cfg);
    }

    /** One check; returns the alerts delivered (their first lines), for the log and the tests. */
    List<String> check() {
        List<String> sent = new ArrayList<>();
        for (JsonNode cu : portal.fleet().get("customers")) {
            if (!enrolled(cu)) {
                continue;
            }
            String id = cu.get("customer").asText();
            String state = state(cu);
            String told = told(id);
            if (state.equals(told) || told == null && state.equals("ok")) {
                if (told == null) {
                    remember(id, state);
                }
                continue;
            }
            String subject = (state.equals("ok") ? "RECOVERED" : state.toUpperCase(java.util.Locale.ROOT)) + ": " + id
                    + " (" + cu.get("name").asText() + ")";
            String body = body(cu, state);
            List<String> channels = deliver(subject, body);
            if (channels.isEmpty()) {
                LOG.warn("alert for {} not delivered; trying again at the next check", id);
                continue;
            }
            remember(id, state);
            ObjectNode detail = Portal.JSON.createObjectNode().put("alert", state.equals("ok") ? "recovered" : state);
            channels.forEach(detail.putArray("channels")::add);
            portal.tx(c -> {
                portal.audit(c, "portal", "alert_sent", id, detail);
                return null;
            });
            sent.add(subject);
        }
        return sent;
    }

    private static boolean enrolled(JsonNode cu) {
        for (JsonNode i : cu.path("instances")) {
            if (!i.path("revoked").asBoolean()) {
                return true;
            }
        }
        return false;
    }

    /** stale (no heartbeat for two intervals, or none ever), unhealthy (the last one's health is not ok), ok. */
    static String state(JsonNode cu) {
        if (cu.get("stale").asBoolean()) {
            return "stale";
        }
        JsonNode hb = cu.get("last_heartbeat");
        return hb != null && !hb.isNull() && !"ok".equals(hb.path("health").asText("ok")) ? "unhealthy" : "ok";
    }

    private String body(JsonNode cu, String state) {
        boolean stale = state.equals("stale");
        JsonNode hb = cu.get("last_heartbeat");
        StringBuilder b = new StringBuilder();
        if (hb == null || hb.isNull()) {
            b.append(cu.get("customer").asText()).append(" has an enrolled instance but never sent a heartbeat.");
        } else if (stale) {
            b.append(cu.get("customer").asText()).append(" has sent no heartbeat for ")
                    .append(WebUi.age(cu.get("age_seconds").asLong())).append(" (more than two intervals of ")
                    .append(WebUi.age(portal.heartbeatInterval().toSeconds())).append(").\nLast heartbeat: ")
                    .append(hb.get("received_at").asText()).append(" from ").append(hb.get("instance_id").asText())
                    .append(", version ").append(hb.get("version").asText()).append(", health ")
                    .append(hb.get("health").asText()).append('.');
        } else if (state.equals("unhealthy")) {
            b.append(cu.get("customer").asText()).append(" reports health ").append(hb.get("health").asText())
                    .append(" (").append(hb.get("received_at").asText()).append(" from ")
                    .append(hb.get("instance_id").asText()).append(", version ").append(hb.get("version").asText())
                    .append(").\nIts database or Redis is not ready: budgetctl status --client ")
                    .append(cu.get("customer").asText()).append(" (docs/troubleshooting.md).");
        } else {
            b.append(cu.get("customer").asText()).append(" reports again: ").append(hb.get("received_at").asText())
                    .append(" from ").append(hb.get("instance_id").asText()).append(", version ")
                    .append(hb.get("version").asText()).append(", health ").append(hb.get("health").asText())
                    .append('.');
        }
        if (stale) {
            b.append("\nThe instance may be down, unable to reach the portal, or its token revoked (docs/licence-portal.md).");
        }
        return b.append("\n(licence portal, ").append(clock.instant()).append(")").toString();
    }

    /** The channels that took the alert. */
    private List<String> deliver(String subject, String body) {
        List<String> ok = new ArrayList<>();
        if (mail != null) {
            try {
                mail.send(cfg.to(), "[licence portal] " + subject, body);
                ok.add("mail");
            } catch (MessagingException e) {
                LOG.warn("alert mail to {} failed: {}", cfg.to(), e.getMessage());
            }
        }
        if (webhook != null) {
            try {
                Webhook.Answer r = webhook.post(Portal.JSON.createObjectNode().put("text", subject + "\n" + body)
                        .toString());
                if (r.ok()) {
                    ok.add("webhook");
                } else {
                    LOG.warn("alert webhook {} answered HTTP {}", webhook.host(), r.status());
                }
            } catch (IOException e) {
                LOG.warn("alert webhook {} failed: {}", webhook.host(), e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return ok;
    }

    /** What was last told about {@code customer}: ok, stale, unhealthy, or null when nothing yet. */
    private String told(String customer) {
        return portal.tx(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT state FROM alert_state WHERE customer_id = ?")) {
                s.setString(1, customer);
                ResultSet r = s.executeQuery();
                return r.next() ? r.getString(1) : null;
            }
        });
    }

    private void remember(String customer, String state) {
        portal.tx(c -> {
            try (PreparedStatement u = c.prepareStatement(
                    "UPDATE alert_state SET state = ?, stale = ?, changed_at = ? WHERE customer_id = ?")) {
                u.setString(1, state);
                u.setBoolean(2, state.equals("stale"));
                u.setTimestamp(3, portal.now());
                u.setString(4, customer);
                if (u.executeUpdate() == 0) {
                    try (PreparedStatement i = c.prepareStatement(
                            "INSERT INTO alert_state (customer_id, state, stale, changed_at) VALUES (?, ?, ?, ?)")) {
                        i.setString(1, customer);
                        i.setString(2, state);
                        i.setBoolean(3, state.equals("stale"));
                        i.setTimestamp(4, portal.now());
                        i.executeUpdate();
                    }
                }
            }
            return null;
        });
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
