package io.budgetctl.itbm;

import jakarta.mail.MessagingException;
import java.io.PrintStream;
import java.time.Clock;
import java.time.LocalDateTime;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The worker's side of the integrations: SMTP (checked at start and every {@link #SMTP_CHECK_SECONDS}, and with every
 * mail: the monthly report's notification) and the 1C exchange (ONEC_FIRST_RUN_SECONDS after start, then on
 * ONEC_SCHEDULE). Each result is published to Redis for the backend's {@code GET /api/integrations}
 * ({@link IntegrationReports}); a change of state or reason is logged as one line, without secrets.
 */
final class WorkerIntegrations implements AutoCloseable {
  static final int SMTP_CHECK_SECONDS = 900;
  private final IntegrationSettings settings;
  private final Config config;
  private final Store store;
  private final Jobs jobs;
  private final PrintStream log;
  private final Clock clock;
  private final IntegrationReports reports = new IntegrationReports();
  private final Optional<Mailer> mailer;
  private final Optional<OneCExchange> onec;
  private final ScheduledExecutorService exec = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "integrations");
    t.setDaemon(true);
    return t;
  });
  private volatile LocalDateTime nextExchange;

  WorkerIntegrations(Config config, Store store, Jobs jobs, PrintStream log, Clock clock) {
    this.settings = config.integrations();
    this.config = config;
    this.store = store;
    this.jobs = jobs;
    this.log = log;
    this.clock = clock;
    this.mailer = settings.smtp().map(Mailer::new);
    this.onec = settings.onec().map(OneCExchange::new);
  }

  void start() {
    reports.put(settings.smtp().map(s -> IntegrationStatus.pending("smtp", smtpDetails()))
        .orElse(IntegrationStatus.notConfigured("smtp")));
    reports.put(onec.map(o -> IntegrationStatus.pending("onec", o.details()))
        .orElse(IntegrationStatus.notConfigured("onec")));
    log.println("worker: integrations: " + settings.smtp().map(Object::toString).orElse("smtp not configured") + "; "
        + settings.onec().map(Object::toString).orElse("1c not configured"));
    exec.scheduleWithFixedDelay(guard(this::publish), 0, IntegrationReports.PUBLISH_SECONDS, TimeUnit.SECONDS);
    if (mailer.isPresent()) {
      exec.scheduleWithFixedDelay(guard(this::checkSmtp), 0, SMTP_CHECK_SECONDS, TimeUnit.SECONDS);
    }
    if (onec.isPresent()) {
      nextExchange = settings.onec().get().schedule().next(LocalDateTime.now(clock));
      exec.schedule(guard(this::exchange), settings.onec().get().firstRunSeconds(), TimeUnit.SECONDS);
      exec.scheduleWithFixedDelay(guard(this::tick), 15, 15, TimeUnit.SECONDS);
    }
  }

  private Runnable guard(Runnable r) {
    return () -> {
      try {
        r.run();
      } catch (RuntimeException e) {
        log.println("worker: integrations: " + e.getClass().getSimpleName() + ": " + e.getMessage());
      }
    };
  }

  private Map<String, Object> smtpDetails() {
    IntegrationSettings.Smtp s = settings.smtp().orElseThrow();
    Map<String, Object> d = new java.util.LinkedHashMap<>();
    d.put("host", s.host() + ":" + s.port());
    d.put("sender", s.sender());
    d.put("starttls", s.starttls());
    s.user().ifPresent(u -> d.put("user", u));
    return d;
  }

  void checkSmtp() {
    try {
      mailer.orElseThrow().check();
      record(IntegrationStatus.ok("smtp", "connected" + (settings.smtp().get().starttls() ? " with STARTTLS" : "")
          + settings.smtp().get().user().map(u -> " and authenticated as " + u).orElse(""), clock.instant(),
          smtpDetails()));
    } catch (MessagingException e) {
      record(IntegrationStatus.failing("smtp", mailer.get().describe(e), clock.instant(), smtpDetails()));
    }
  }

  /** The product's notification: the monthly report of {@code period} is written. */
  void reportWritten(String period, Map<String, Object> totals) {
    if (mailer.isEmpty()) {
      return;
    }
    IntegrationSettings.Smtp s = settings.smtp().get();
    String subject = "IT Budget Manager: monthly report " + period + " is ready";
    String text = "The monthly report for " + period + " has been written.\n\n"
        + "Budget: " + totals.get("budget") + "\nSpent: " + totals.get("spent") + "\n\n"
        + "Instance: " + config.instanceId() + " (" + config.version().appVersion() + ")\n";
    try {
      mailer.get().send(subject, text);
      record(IntegrationStatus.ok("smtp", "sent '" + subject + "' to " + String.join(", ", s.recipients()),
          clock.instant(), smtpDetails()));
    } catch (MessagingException e) {
      record(IntegrationStatus.failing("smtp", "the report mail of " + period + " was not sent: "
          + mailer.get().describe(e), clock.instant(), smtpDetails()));
    }
  }

  private void tick() {
    LocalDateTime now = LocalDateTime.now(clock);
    if (nextExchange != null && !now.isBefore(nextExchange)) {
      nextExchange = settings.onec().get().schedule().next(now);
      exchange();
    }
  }

  void exchange() {
    IntegrationStatus s = onec.orElseThrow().run(store, clock);
    record(nextExchange == null ? s : s.with("next_run", nextExchange.toString()));
  }

  private void record(IntegrationStatus s) {
    IntegrationStatus before = reports.get(s.name());
    reports.put(s);
    if (before == null || !before.state().equals(s.state()) || !Objects.equals(before.reason(), s.reason())) {
      log.println("worker: integration " + s.name() + " " + s.state() + ": " + s.reason());
    }
    publish();
  }

  private void publish() {
    try {
      reports.publish(jobs);
    } catch (RuntimeException e) {
      // Redis down: the worker's main loop says so; the next publish catches up
    }
  }

  IntegrationReports reports() {
    return reports;
  }

  @Override
  public void close() {
    exec.shutdownNow();
  }
}
