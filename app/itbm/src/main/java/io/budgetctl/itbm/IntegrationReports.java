package io.budgetctl.itbm;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The integrations' latest results, shared between services through Redis: the worker runs SMTP and the 1C exchange
 * and publishes their status as {@code itbm:integration:<name>} (expiring after {@link #TTL_SECONDS}, refreshed every
 * {@link #PUBLISH_SECONDS}); the backend runs the OIDC check itself and reads the others' from there.
 */
final class IntegrationReports {
  static final String KEY = "itbm:integration:";
  static final int TTL_SECONDS = 180;
  static final int PUBLISH_SECONDS = 30;
  /** The order {@code GET /api/integrations} lists them in. */
  static final List<String> NAMES = List.of("smtp", "sso", "onec");

  private final Map<String, IntegrationStatus> current = new ConcurrentHashMap<>();

  void put(IntegrationStatus s) {
    current.put(s.name(), s);
  }

  IntegrationStatus get(String name) {
    return current.get(name);
  }

  /** This service's statuses, written to Redis. */
  void publish(Jobs jobs) {
    try (var j = jobs.pool.getResource()) {
      for (IntegrationStatus s : current.values()) {
        j.setex(KEY + s.name(), TTL_SECONDS, s.toJson());
      }
    }
  }

  /**
   * Every integration, in {@link #NAMES} order: this service's own, else the one another service published, else
   * {@code unknown} (nobody reported within {@link #TTL_SECONDS}, or Redis cannot be read).
   */
  List<IntegrationStatus> all(Jobs jobs) {
    List<IntegrationStatus> out = new ArrayList<>();
    for (String name : NAMES) {
      IntegrationStatus own = current.get(name);
      if (own != null) {
        out.add(own);
        continue;
      }
      IntegrationStatus published;
      try (var j = jobs.pool.getResource()) {
        String json = j.get(KEY + name);
        published = json == null ? IntegrationStatus.unknown(name, "no report from the worker in the last "
            + TTL_SECONDS + " s: is it running?") : IntegrationStatus.fromJson(json);
      } catch (IOException | RuntimeException e) {
        published = IntegrationStatus.unknown(name, "cannot read the worker's report from Redis: " + e.getMessage());
      }
      out.add(published);
    }
    return out;
  }
}
