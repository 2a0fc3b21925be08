package io.budgetctl.portal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.mail.Authenticator;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.PasswordAuthentication;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Alerts on silence (docs/portal.md "Alerts"): every check interval it reads the fleet and, for each customer with an
 * enrolled instance, compares "stale" with what it last told ({@code alert_state}). A customer that turns stale (or
 * was never heard from) raises one STALE alert, one that reports again a RECOVERED alert: mail to the list and/or a
 * POST to a Slack-style webhook. The state is written only when at least one channel took the alert, so a failed
 * delivery is tried again at the next check; a restart neither repeats nor misses one. Each alert is audited.
 */
final class Alerter implements AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(Alerter.class);

    private final Portal portal;
    private final PortalConfig.Alerting cfg;
    private final Clock clock;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private ScheduledExecutorService timer;

    Alerter(Portal portal, PortalConfig.Alerting cfg, Clock clock) {
        this.portal = portal;
        this.cfg = cfg;
        this.clock = clock;
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
            boolean stale = cu.get("stale").asBoolean();
            Boolean told = told(id);
            if (told != null && told == stale || told == null && !stale) {
                if (told == null) {
                    remember(id, false);
                }
                continue;
            }
            String subject = (stale ? "STALE: " : "RECOVERED: ") + id + " (" + cu.get("name").asText() + ")";
            String body = body(cu, stale);
            List<String> channels = deliver(subject, body);
            if (channels.isEmpty()) {
                LOG.warn("alert for {} not delivered; trying again at the next check", id);
                continue;
            }
            remember(id, stale);
            ObjectNode detail = Portal.JSON.createObjectNode().put("alert", stale ? "stale" : "recovered");
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

    private String body(JsonNode cu, boolean stale) {
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
        } else {
            b.append(cu.get("customer").asText()).append(" reports again: ").append(hb.get("received_at").asText())
                    .append(" from ").append(hb.get("instance_id").asText()).append(", version ")
                    .append(hb.get("version").asText()).append(", health ").append(hb.get("health").asText())
                    .append('.');
        }
        if (stale) {
            b.append("\nThe instance may be down, unable to reach the portal, or its token revoked (docs/portal.md).");
        }
        return b.append("\n(licence portal, ").append(clock.instant()).append(")").toString();
    }

    /** The channels that took the alert. */
    private List<String> deliver(String subject, String body) {
        List<String> ok = new ArrayList<>();
        if (cfg.mail()) {
            try {
                mail(subject, body);
                ok.add("mail");
            } catch (MessagingException e) {
                LOG.warn("alert mail to {} failed: {}", cfg.to(), e.getMessage());
            }
        }
        if (cfg.webhook() != null) {
            try {
                String json = Portal.JSON.createObjectNode().put("text", subject + "\n" + body).toString();
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(cfg.webhook()).timeout(Duration.ofSeconds(20))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() / 100 == 2) {
                    ok.add("webhook");
                } else {
                    LOG.warn("alert webhook {} answered HTTP {}", cfg.webhook().getHost(), r.statusCode());
                }
            } catch (IOException e) {
                LOG.warn("alert webhook {} failed: {}", cfg.webhook().getHost(), e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return ok;
    }

    private void mail(String subject, String body) throws MessagingException {
        Properties p = new Properties();
        p.put("mail.smtp.host", cfg.smtpHost());
        p.put("mail.smtp.port", String.valueOf(cfg.smtpPort()));
        p.put("mail.smtp.connectiontimeout", "10000");
        p.put("mail.smtp.timeout", "20000");
        p.put("mail.smtp.starttls.enable", String.valueOf(cfg.startTls()));
        boolean auth = cfg.smtpUser() != null && !cfg.smtpUser().isBlank();
        p.put("mail.smtp.auth", String.valueOf(auth));
        Session session = auth ? Session.getInstance(p, new Authenticator() {
            @Override
            protected PasswordAuthentication getPasswordAuthentication() {
                return new PasswordAuthentication(cfg.smtpUser(), cfg.smtpPassword());
            }
        }) : Session.getInstance(p);
        MimeMessage m = new MimeMessage(session);
        m.setFrom(new InternetAddress(cfg.from(), true));
        List<InternetAddress> to = new ArrayList<>();
        for (String a : cfg.to()) {
            to.add(new InternetAddress(a, true));
        }
        m.setRecipients(Message.RecipientType.TO, to.toArray(InternetAddress[]::new));
        m.setSubject("[licence portal] " + subject, StandardCharsets.UTF_8.name());
        m.setText(body, StandardCharsets.UTF_8.name());
        Transport.send(m);
    }

    private Boolean told(String customer) {
        return portal.tx(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT stale FROM alert_state WHERE customer_id = ?")) {
                s.setString(1, customer);
                ResultSet r = s.executeQuery();
                return r.next() ? r.getBoolean(1) : null;
            }
        });
    }

    private void remember(String customer, boolean stale) {
        portal.tx(c -> {
            try (PreparedStatement u = c.prepareStatement(
                    "UPDATE alert_state SET stale = ?, changed_at = ? WHERE customer_id = ?")) {
                u.setBoolean(1, stale);
                u.setTimestamp(2, portal.now());
                u.setString(3, customer);
                if (u.executeUpdate() == 0) {
                    try (PreparedStatement i = c.prepareStatement(
                            "INSERT INTO alert_state (customer_id, stale, changed_at) VALUES (?, ?, ?)")) {
                        i.setString(1, customer);
                        i.setBoolean(2, stale);
                        i.setTimestamp(3, portal.now());
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
