package io.budgetctl.itbm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * Takes jobs from Redis (BRPOP itbm:jobs) and writes results to PostgreSQL. Liveness: the key
 * itbm:heartbeat:worker:INSTANCE (30 s expiry) and the heartbeat file, both refreshed at least every 5 s.
 */
final class Worker {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Config config;
  private final PrintStream log;
  private volatile boolean running = true;
  /** SMTP and the 1C exchange; null in tests that call {@link #process} without {@link #start}. */
  private WorkerIntegrations integrations;

  Worker(Config config, PrintStream log) {
    this.config = config;
    this.log = log;
  }

  void start() {
    Store store = new Store(config);
    try (Jobs jobs = new Jobs(config);
         WorkerIntegrations integ = new WorkerIntegrations(config, store, jobs, log, Clock.systemDefaultZone())) {
      log.println("worker " + config.version().appVersion() + " taking jobs from " + Jobs.QUEUE);
      integrations = integ;
      integ.start();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> running = false));
      while (running) {
        try (var j = jobs.pool.getResource()) {
          j.setex(Jobs.WORKER_HEARTBEAT + config.instanceId(), 30, config.version().appVersion());
          Heartbeat.touch(config.heartbeatFile());
          List<String> item = j.brpop(5, Jobs.QUEUE);
          if (item != null && item.size() == 2) {
            process(store, item.get(1));
          }
        } catch (RuntimeException e) {
          log.println("worker: " + e.getMessage() + "; retrying in 2 s");
          sleep(2000);
        }
      }
    }
  }

  void process(Store store, String job) {
    JsonNode n;
    try {
      n = JSON.readTree(job);
    } catch (Exception e) {
      log.println("worker: dropped a job that is not JSON");
      return;
    }
    String type = n.path("type").asText();
    if (!type.equals("monthly-report")) {
      log.println("worker: dropped a job of unknown type '" + type + "'");
      return;
    }
    String period = n.path("period").asText();
    try {
      Validation.period(period, "period");
      Map<String, Object> totals = store.totals(period);
      store.saveReport("monthly", period, JSON.writeValueAsString(totals));
      log.println("worker: monthly report " + period + " written (spent " + totals.get("spent") + ")");
      if (integrations != null) {
        integrations.reportWritten(period, totals);
      }
    } catch (ApiException e) {
      log.println("worker: monthly report " + period + " failed: " + e.getMessage());
      if (e.status >= 500) {
        throw new IllegalStateException(e.getMessage());
      }
    } catch (Exception e) {
      throw new IllegalStateException(e.getMessage());
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
