package io.budgetctl.itbm;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * Enqueues the monthly report of the previous month once per month (a Redis SET NX marker makes several schedulers
 * safe) and, when LICENCE_PORTAL_URL is set, POSTs the instance heartbeat (version, uptime, active modules, health).
 */
final class Scheduler {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Config config;
  private final PrintStream log;
  private final Instant started = Instant.now();

  Scheduler(Config config, PrintStream log) {
    this.config = config;
    this.log = log;
  }

  void start() {
    Licence licence = Backend.loadLicence(config);
    Store store = new Store(config);
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    try (Jobs jobs = new Jobs(config)) {
      log.println("scheduler " + config.version().appVersion() + ": reports every " + config.scheduleSeconds()
          + " s, portal heartbeat " + config.licencePortalUrl().map(u -> "to " + u + " every " + config.heartbeatSeconds() + " s").orElse("off"));
      long nextSchedule = 0;
      long nextHeartbeat = 0;
      while (true) {
        long now = System.currentTimeMillis();
        try {
          try (var j = jobs.pool.getResource()) {
            j.setex(Jobs.SCHEDULER_HEARTBEAT + config.instanceId(), 30, config.version().appVersion());
          }
          Heartbeat.touch(config.heartbeatFile());
          if (now >= nextSchedule) {
            enqueueDue(jobs, Clock.systemUTC());
            nextSchedule = now + config.scheduleSeconds() * 1000L;
          }
          if (config.licencePortalUrl().isPresent() && now >= nextHeartbeat) {
            nextHeartbeat = now + config.heartbeatSeconds() * 1000L;
            sendHeartbeat(http, licence, Backend.readiness(config, store, jobs));
          }
        } catch (RuntimeException e) {
          log.println("scheduler: " + e.getMessage());
        }
        try {
          Thread.sleep(5000);
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  /** The previous month's report, enqueued once: the NX marker lives 40 days. */
  boolean enqueueDue(Jobs jobs, Clock clock) {
    String period = YearMonth.now(clock).minusMonths(1).toString();
    try (var j = jobs.pool.getResource()) {
      String set = j.set("itbm:scheduled:monthly-report:" + period, Instant.now(clock).toString(),
          redis.clients.jedis.params.SetParams.setParams().nx().ex(40L * 24 * 3600));
      if ("OK".equals(set)) {
        j.lpush(Jobs.QUEUE, Jobs.monthlyReportJob(period));
        log.println("scheduler: enqueued monthly report " + period);
        return true;
      }
      return false;
    }
  }

  Map<String, Object> heartbeat(Licence licence, Api.Readiness health) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("instance", config.instanceId());
    body.put("customer", licence.customer());
    body.put("version", config.version().appVersion());
    body.put("git_sha", config.version().gitSha());
    body.put("uptime_seconds", Duration.between(started, Instant.now()).toSeconds());
    body.put("modules", new TreeSet<>(licence.activeModules(LocalDate.now(Clock.systemUTC()))));
    body.put("health", health.ready() ? "ready" : "degraded");
    body.put("schema", health.schema());
    return body;
  }

  private void sendHeartbeat(HttpClient http, Licence licence, Api.Readiness health) {
    try {
      HttpRequest req = HttpRequest.newBuilder(URI.create(config.licencePortalUrl().get()))
          .timeout(Duration.ofSeconds(10))
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(heartbeat(licence, health))))
          .build();
      HttpResponse<Void> resp = http.send(req, HttpResponse.BodyHandlers.discarding());
      if (resp.statusCode() / 100 != 2) {
        log.println("scheduler: licence portal answered " + resp.statusCode());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      log.println("scheduler: licence portal heartbeat failed: " + e.getMessage());
    }
  }
}
