package io.budgetctl.itbm;

import java.io.PrintStream;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The backend's side of the integrations: OpenID Connect's discovery document and keys, loaded at start, refreshed
 * every {@link #REFRESH_SECONDS} (keys rotate) and retried every {@link #RETRY_SECONDS} while failing (the identity
 * provider may start after us); the backend itself starts and serves either way. {@link #all} is what
 * {@code GET /api/integrations} shows: this, plus the worker's SMTP and 1C reports from Redis.
 */
final class BackendIntegrations implements AutoCloseable {
  static final int REFRESH_SECONDS = 3600;
  static final int RETRY_SECONDS = 30;
  private final IntegrationReports reports = new IntegrationReports();
  private final Jobs jobs;
  private final PrintStream log;
  private final Clock clock;
  private final OidcDiscovery oidc;
  private final ScheduledExecutorService exec = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "oidc");
    t.setDaemon(true);
    return t;
  });

  BackendIntegrations(IntegrationSettings settings, Jobs jobs, PrintStream log, Clock clock) {
    this.jobs = jobs;
    this.log = log;
    this.clock = clock;
    this.oidc = settings.oidc().map(OidcDiscovery::new).orElse(null);
    reports.put(oidc == null ? IntegrationStatus.notConfigured("sso")
        : IntegrationStatus.pending("sso", oidc.details()));
  }

  void start() {
    if (oidc != null) {
      exec.schedule(this::checkOidc, 0, TimeUnit.SECONDS);
    }
  }

  private void checkOidc() {
    IntegrationStatus s;
    try {
      s = oidc.check(clock);
    } catch (RuntimeException e) {
      s = IntegrationStatus.failing("sso", e.getClass().getSimpleName() + ": " + e.getMessage(), clock.instant(),
          oidc.details());
    }
    IntegrationStatus before = reports.get("sso");
    reports.put(s);
    if (!before.state().equals(s.state()) || !Objects.equals(before.reason(), s.reason())) {
      log.println("backend: integration sso " + s.state() + ": " + s.reason());
    }
    exec.schedule(this::checkOidc, s.state().equals(IntegrationStatus.OK) ? REFRESH_SECONDS : RETRY_SECONDS,
        TimeUnit.SECONDS);
  }

  List<IntegrationStatus> all() {
    return reports.all(jobs);
  }

  @Override
  public void close() {
    exec.shutdownNow();
  }
}
