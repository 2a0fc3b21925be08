package io.budgetctl.itbm;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;

/**
 * Enqueues the monthly report of the previous month once per month (a Redis SET NX marker makes several schedulers
 * safe) and, when LICENCE_PORTAL_URL is set, sends the instance heartbeat to the licence portal ({@link PortalHeartbeat}).
 */
final class Scheduler {
  private final Config config;
  private final PrintStream log;
  private final Instant started = Instant.now();

  Scheduler(Config config, PrintStream log) {
    this.config = config;
    this.log = log;
  }

  void start() {
    LiveLicence licence = new LiveLicence(config, log);
    Store store = new Store(config);
    PortalHeartbeat portal = config.licencePortalUrl().isPresent()
        ? new PortalHeartbeat(config, log, Clock.systemUTC()) : null;
    try (Jobs jobs = new Jobs(config)) {
      log.println("scheduler " + config.version().appVersion() + ": reports every " + config.scheduleSeconds()
          + " s, portal heartbeat " + (portal == null ? "off" : "to " + portal.endpoint() + " every "
          + config.heartbeatSeconds() + " s as " + config.instanceId()));
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
        } catch (RuntimeException e) {
          log.println("scheduler: " + e.getMessage());
        }
        // the portal heartbeat also goes out when Redis is down: then it says so (health degraded)
        if (portal != null && now >= nextHeartbeat) {
          nextHeartbeat = now + portal.send(licence.get(), readiness(store, jobs), Duration.between(started, Instant.now()),
              config.version()).toMillis();
        }
        try {
          Thread.sleep(5000);
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  private Api.Readiness readiness(Store store, Jobs jobs) {
    try {
      return Backend.readiness(config, store, jobs);
    } catch (RuntimeException e) {
      return new Api.Readiness(false, false, 0, 0);
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
}
